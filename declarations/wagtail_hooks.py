"""The declaration register in the Wagtail admin: the moderation queue, its audit-log actions and
the number waiting on the dashboard."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry

from .dashboard import DeclarationsPanel
from .models import Declaration
from .viewsets import DeclarationViewSetGroup


@hooks.register("register_admin_viewset")
def register_declaration_viewsets():
    return DeclarationViewSetGroup()


class ModerationLogFormatter(LogFormatter):
    """Shows the reason or message the moderator wrote as the history entry's comment."""

    comment_key = ""

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get(self.comment_key, "")


def describe_change(change):
    if change.get("private"):
        return f"{change['label']}：変更あり（非公開項目）"
    return f"{change['label']}：「{change['before']}」→「{change['after']}」"


class ChangesLogFormatter(LogFormatter):
    """Shows the changed fields (old → new) kept on the log entry as its comment."""

    def format_comment(self, log_entry):
        return "\n".join(describe_change(change) for change in (log_entry.data or {}).get("changes", []))


@hooks.register("register_log_actions")
def register_declaration_log_actions(actions):
    @actions.register_action("declarations.approve")
    class ApproveFormatter(LogFormatter):
        label = "承認"

        def format_message(self, log_entry):
            declared_on = (log_entry.data or {}).get("declared_on", "")
            return f"承認して掲載しました（宣言日 {declared_on}）" if declared_on else "承認して掲載しました"

    @actions.register_action("declarations.request_changes")
    class RequestChangesFormatter(ModerationLogFormatter):
        label = "修正依頼"
        message = "修正を依頼しました"
        comment_key = "message"

    @actions.register_action("declarations.reject")
    class RejectFormatter(ModerationLogFormatter):
        label = "却下"
        message = "却下しました"
        comment_key = "reason"

    @actions.register_action("declarations.withdraw")
    class WithdrawFormatter(ModerationLogFormatter):
        label = "掲載取り下げ"
        message = "掲載を取り下げました"
        comment_key = "reason"

    @actions.register_action("declarations.resubmit")
    class ResubmitFormatter(ChangesLogFormatter):
        label = "申請者による修正"
        message = "申請者が修正して再提出しました"

    @actions.register_action("declarations.send_owner_link")
    class SendOwnerLinkFormatter(LogFormatter):
        label = "専用リンクの再送"
        message = "宣言書・変更用の専用リンクを再送しました"

    @actions.register_action("declarations.issue_certificate")
    class IssueCertificateFormatter(LogFormatter):
        label = "宣言書の作り直し"
        message = "宣言書を作り直しました"

    @actions.register_action("declarations.change_submitted")
    class ChangeSubmittedFormatter(ChangesLogFormatter):
        label = "変更申請"
        message = "宣言企業・団体が掲載内容の変更を申請しました"

    @actions.register_action("declarations.change_approve")
    class ChangeApproveFormatter(ChangesLogFormatter):
        label = "変更申請の承認"
        message = "変更申請を承認し、掲載内容を変更しました"

    @actions.register_action("declarations.change_reject")
    class ChangeRejectFormatter(ModerationLogFormatter):
        label = "変更申請の却下"
        message = "変更申請を却下しました"
        comment_key = "reason"

    @actions.register_action("declarations.withdraw_by_declarant")
    class WithdrawByDeclarantFormatter(ModerationLogFormatter):
        label = "宣言企業・団体による取り下げ"
        message = "宣言企業・団体が専用リンクから掲載を取り下げました"
        comment_key = "reason"

    @actions.register_action("declarations.import")
    class ImportFormatter(LogFormatter):
        label = "一括登録"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            if "founding" in data:
                return "創設時の宣言として登録しました"
            return "名簿ファイルから登録しました"


class WaitingDeclarationsSummaryItem(SummaryItem):
    order = 150
    template_name = "declarations/admin/summary_waiting.html"

    def get_context_data(self, parent_context):
        return {
            "waiting_count": Declaration.objects.waiting().count(),
            "queue_url": reverse("declaration_admin:index"),
        }

    def is_shown(self):
        policy = policy_registry.get_by_type(Declaration)
        return policy.user_has_any_permission(self.request.user, ["change", "view"])


@hooks.register("construct_homepage_summary_items")
def add_waiting_declarations_summary_item(request, items):
    items.append(WaitingDeclarationsSummaryItem(request))


@hooks.register("construct_homepage_panels")
def add_declarations_panel(request, panels):
    panels.append(DeclarationsPanel(request))

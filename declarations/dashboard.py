"""The register's dashboard panel: what waits for a decision and what waits for the applicant, oldest first."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from core.dashboard import ITEMS_SHOWN, Cell, Count, DashboardPanel, Table
from core.era import format_date

from .models import WAITING_TOO_LONG, Declaration, Status


def waited(since, now):
    """「12日」: how long an item has waited, in whole days (「今日」 for less than one)."""
    days = (now - since).days
    return f"{days}日" if days else "今日"


class DeclarationsPanel(DashboardPanel):
    name = "declarations_waiting"
    heading = "推進宣言の審査"
    icon = "doc-full"
    order = 60

    def is_shown(self):
        policy = policy_registry.get_by_type(Declaration)
        return policy.user_has_any_permission(self.request.user, ["change", "view"])

    def queue_url(self, status=None):
        url = reverse("declaration_admin:index")
        return f"{url}?{urlencode({'status': status})}" if status else url

    def get_panel_data(self):
        now = timezone.now()
        counts = Declaration.objects.dashboard_counts(now)
        waiting = list(Declaration.objects.waiting().with_waiting_since().order_by("waiting_since", "pk")[:ITEMS_SHOWN])
        awaiting = list(Declaration.objects.awaiting_applicant()[:ITEMS_SHOWN])
        rows = [self.waiting_row(declaration, now) for declaration in waiting]
        rows += [self.awaiting_row(declaration, now) for declaration in awaiting]
        note = ""
        if counts["oldest_pending"]:
            note = f"いちばん古い審査待ちの申請は{format_date(counts['oldest_pending'])}から待っています。"
        return {
            "counts": [
                Count("審査待ち（新規申請）", counts["pending"], self.queue_url(Status.PENDING)),
                Count(
                    f"うち{WAITING_TOO_LONG.days}日以上",
                    counts["pending_old"],
                    self.queue_url(Status.PENDING),
                    alert=counts["pending_old"] > 0,
                ),
                Count("変更申請", counts["changes"], self.queue_url(Status.PENDING)),
                Count("修正待ち", counts["awaiting_applicant"], self.queue_url(Status.CHANGES_REQUESTED)),
                Count(
                    "うちリンク期限切れ",
                    counts["correction_expired"],
                    self.queue_url(Status.CHANGES_REQUESTED),
                    alert=counts["correction_expired"] > 0,
                ),
            ],
            "note": note,
            "table": Table("審査待ち・修正待ちの古い順", ["企業・団体名", "状態", "待ち始めた日", "待ち日数"], rows),
            "empty": "審査待ち・修正待ちの申請はありません。",
            "list_url": self.queue_url(),
            "list_label": "審査待ち・修正待ちの一覧へ",
        }

    def inspect_url(self, declaration):
        return reverse("declaration_admin:inspect", args=[declaration.pk])

    def waiting_row(self, declaration, now):
        since = declaration.waiting_since
        kind = "変更申請" if declaration.status == Status.PUBLISHED else "審査待ち（新規申請）"
        return [
            Cell(declaration.name, self.inspect_url(declaration)),
            Cell(kind),
            Cell(format_date(since)),
            Cell(waited(since, now)),
        ]

    def awaiting_row(self, declaration, now):
        """修正待ち, dated from the correction request; with the link's deadline while it still works."""
        since = declaration.correction_requested_at or declaration.submitted_at
        state = declaration.staff_status_label
        if not declaration.correction_link_expired:
            state += f"（期限 {format_date(declaration.correction_expires_at)}）"
        return [
            Cell(declaration.name, self.inspect_url(declaration)),
            Cell(state),
            Cell(format_date(since)),
            Cell(waited(since, now)),
        ]

"""The CMS's dashboard panels: pages scheduled to go live, and pages nobody has updated for a year; and the
list of every scheduled page they link to (Wagtail's explorer cannot filter by schedule)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, Revision
from wagtail.permissions import policy_registry

from core.dashboard import ITEMS_SHOWN, Cell, Count, DashboardPanel, Table
from core.era import format_date

# A live page not published again for this long is listed for review (its 更新日 shows the age to residents).
STALE_AFTER = timedelta(days=365)


def scheduled_revisions():
    """Revisions approved to go live later (「公開日時を予約」), the soonest first; the title is the
    revision's own record of it, so no page is read."""
    return Revision.page_revisions.filter(approved_go_live_at__isnull=False).order_by("approved_go_live_at", "pk")


def stale_pages(now=None):
    """Live pages (below the root) last published more than STALE_AFTER ago, the oldest first."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return Page.objects.live().filter(depth__gt=1, last_published_at__lt=cutoff).order_by("last_published_at", "pk")


def format_moment(value):
    """令和8年12月24日 9:00: a go-live time as staff read it."""
    local = timezone.localtime(value)
    return f"{format_date(local)} {local.hour}:{local.minute:02d}"


def edits_pages(user):
    return policy_registry.get_by_type(Page).user_has_any_permission(user, ["add", "change", "publish"])


class ScheduledPagesPanel(DashboardPanel):
    name = "scheduled_pages"
    heading = "公開予約中のページ"
    icon = "calendar-alt"
    order = 80

    def is_shown(self):
        return edits_pages(self.request.user)

    def get_panel_data(self):
        revisions = scheduled_revisions()
        total = revisions.count()
        soonest = list(revisions.values("object_id", "object_str", "approved_go_live_at")[:ITEMS_SHOWN])
        rows = [
            [
                Cell(row["object_str"], reverse("wagtailadmin_pages:edit", args=[row["object_id"]])),
                Cell(format_moment(row["approved_go_live_at"])),
            ]
            for row in soonest
        ]
        return {
            "counts": [Count("公開予約", total, reverse("kyosei_scheduled_pages"))],
            "table": Table("公開予約中のページ（公開の早い順）", ["ページ", "公開日時"], rows),
            "empty": "公開を予約したページはありません。",
            "list_url": reverse("kyosei_scheduled_pages") if total else "",
            "list_label": "公開予約中のページの一覧へ",
        }


class StalePagesPanel(DashboardPanel):
    name = "stale_pages"
    heading = "1年以上更新していないページ"
    icon = "time"
    order = 90

    def is_shown(self):
        return edits_pages(self.request.user)

    def get_panel_data(self):
        now = timezone.now()
        pages = stale_pages(now)
        total = pages.count()
        oldest = list(pages.values("pk", "title", "last_published_at")[:ITEMS_SHOWN])
        rows = [
            [
                Cell(row["title"], reverse("wagtailadmin_pages:edit", args=[row["pk"]])),
                Cell(format_date(row["last_published_at"])),
            ]
            for row in oldest
        ]
        cutoff = timezone.localdate(now - STALE_AFTER).isoformat()
        list_url = (
            reverse("wagtailadmin_reports:aging_pages") + "?" + urlencode({"live": "true", "last_published_at": cutoff})
        )
        return {
            "counts": [Count("1年以上前に公開したまま", total, list_url)],
            "note": "内容が今も正しいか確かめ、直すところがなければそのまま「公開」すると更新日が新しくなります。"
            if total
            else "",
            "table": Table("1年以上更新していないページ（古い順）", ["ページ", "最後に公開した日"], rows),
            "empty": "1年以上更新していないページはありません。",
            "list_url": list_url if total else "",
            "list_label": "古いページの一覧（公開ページの経過日数）へ",
        }


class ScheduledPagesView(WagtailAdminTemplateMixin, TemplateView):
    """Every page scheduled to go live, soonest first, with who scheduled it."""

    page_title = "公開予約中のページ"
    header_icon = "calendar-alt"
    template_name = "pages/admin/scheduled_pages.html"

    def dispatch(self, request, *args, **kwargs):
        if not edits_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        rows = [
            {
                "title": revision.object_str,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[revision.object_id]),
                "go_live_at": format_moment(revision.approved_go_live_at),
                "by": (revision.user.get_full_name() or revision.user.get_username()) if revision.user else "",
            }
            for revision in scheduled_revisions().select_related("user")
        ]
        return super().get_context_data(rows=rows, **kwargs)


urlpatterns = [path("scheduled-pages/", ScheduledPagesView.as_view(), name="kyosei_scheduled_pages")]

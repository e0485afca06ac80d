"""The dashboard panel of the feedback box: what residents answered in the last 7 days, per page."""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from core.dashboard import ITEMS_SHOWN, Cell, Count, DashboardPanel, Table

from .models import Feedback, Rating

RECENT = timedelta(days=7)


class RecentFeedbackPanel(DashboardPanel):
    name = "recent_feedback"
    heading = f"この{RECENT.days}日間のページへのご意見"
    icon = "comment"
    order = 85

    def is_shown(self):
        policy = policy_registry.get_by_type(Feedback)
        return policy.user_has_any_permission(self.request.user, ["view", "change", "delete"])

    def list_url(self, since, **params):
        # The list's 受付日 filter: from the first day of the period.
        query = {"created_at_after": since.isoformat(), **params}
        return f"{reverse('feedback_admin:index')}?{urlencode(query)}"

    def get_panel_data(self):
        now = timezone.now()
        since = timezone.localdate(now - RECENT)
        recent = Feedback.objects.filter(created_at__gte=timezone.make_aware(datetime.combine(since, time.min)))
        totals = recent.aggregate(
            total=Counted("pk"),
            comments=Counted("pk", filter=~Q(comment="")),
            **{rating.value: Counted("pk", filter=Q(rating=rating.value)) for rating in Rating},
        )
        pages = list(recent.counts_by_page()[:ITEMS_SHOWN])
        rows = [
            [Cell(row["page_title"], self.list_url(since, page_url=row["page_url"])), Cell(f"{row['total']}件")]
            + [Cell(f"{row[rating.value]}件") for rating in Rating]
            for row in pages
        ]
        return {
            "counts": [
                Count("ご意見", totals["total"], self.list_url(since)),
                Count("うちコメントあり", totals["comments"]),
            ]
            + [
                Count(rating.label, totals[rating.value], self.list_url(since, rating=rating.value))
                for rating in Rating
            ],
            "table": Table(
                "ページ別の評価（件数の多い順）", ["ページ", "件数", *(rating.label for rating in Rating)], rows
            ),
            "empty": f"この{RECENT.days}日間のご意見はありません。",
            "list_url": self.list_url(since),
            "list_label": f"この{RECENT.days}日間のご意見の一覧へ",
        }

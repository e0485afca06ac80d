"""The dashboard panel of event applications: the coming events that take applications, with how many are
confirmed and waiting, and which 配慮 staff must arrange (interpreters are booked weeks ahead)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from wagtail.permissions import policy_registry

from core.dashboard import ITEMS_SHOWN, Cell, Count, DashboardPanel, Table
from core.era import format_date
from pages.models import ApplicationStatus, EventPage

from .models import Accommodation, EventApplication

# The 配慮 counted on the panel's first line: what must be booked or set up before the day.
HEADLINE_ACCOMMODATIONS = [Accommodation.SIGN_LANGUAGE, Accommodation.CAPTIONING, Accommodation.WHEELCHAIR]


def events_taking_applications(today=None):
    """Live events not yet over that take (or took) applications on the site, the soonest first."""
    return EventPage.objects.live().upcoming(today).exclude(application_status=ApplicationStatus.NONE)


class UpcomingEventsPanel(DashboardPanel):
    name = "upcoming_events"
    heading = "今後の行事と参加申込み"
    icon = "date"
    order = 70

    def is_shown(self):
        policy = policy_registry.get_by_type(EventApplication)
        return policy.user_has_any_permission(self.request.user, ["view", "change"])

    def list_url(self, event_id=None):
        url = reverse("event_applications_admin:index")
        return f"{url}?{urlencode({'event': event_id})}" if event_id else url

    def get_panel_data(self):
        events = events_taking_applications(timezone.localdate())
        total = events.count()
        soonest = list(events.values("pk", "title", "start_date", "application_capacity")[:ITEMS_SHOWN])
        summaries = EventApplication.objects.filter(event__in=events.order_by().values("pk")).summary_by_event()
        totals = {
            key: sum(summary.accommodations[key][0] for summary in summaries.values()) for key in Accommodation.values
        }
        rows = [self.row(event, summaries.get(event["pk"])) for event in soonest]
        return {
            "counts": [Count("参加申込みのある今後の行事", total, self.list_url())]
            + [
                Count(
                    Accommodation(key).label, totals[key], alert=key == Accommodation.SIGN_LANGUAGE and totals[key] > 0
                )
                for key in HEADLINE_ACCOMMODATIONS
            ],
            "note": "配慮の申出は取り消されていない申込みの件数です。手話通訳・要約筆記は早めに手配してください。",
            "table": Table(
                "今後の行事（開催の早い順）", ["行事", "開催日", "参加確定", "キャンセル待ち", "配慮の申出"], rows
            ),
            "empty": "参加申込みのある今後の行事はありません。",
            "list_url": self.list_url(),
            "list_label": "参加申込みの一覧へ",
        }

    def row(self, event, summary):
        confirmed = summary.confirmed_people if summary else 0
        capacity = event["application_capacity"]
        accommodations = summary.requested_accommodations() if summary else []
        return [
            Cell(event["title"], self.list_url(event["pk"])),
            Cell(format_date(event["start_date"], "weekday")),
            Cell(f"{confirmed}人" + (f"／定員{capacity}人" if capacity else "")),
            Cell(f"{summary.waiting_people if summary else 0}人"),
            Cell("、".join(f"{label} {count}件" for label, count in accommodations) or "なし"),
        ]

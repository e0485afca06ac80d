"""What pages' templates show of event applications: an event's 受付状況 and the privacy policy's retention
facts (read from the model and settings, never retyped). pages' templates load this library; pages'
Python never imports this app."""

from django import template
from django.conf import settings
from django.urls import reverse

from ..models import availability

register = template.Library()


@register.simple_tag
def event_application_state(event):
    """{"state", "label", "remaining", "url"} for the event page, or None when it takes no applications."""
    state = availability(event)
    if state.state == "none":
        return None
    return {
        "state": state.state,
        "label": state.label,
        "remaining": state.remaining,
        "accepting": state.accepting,
        "url": reverse("event_applications:apply", args=[event.slug]),
    }


@register.simple_tag
def event_application_collected_fields():
    """The application form's items as applicants see them (for the privacy policy)."""
    from ..forms import EventApplicationForm

    names = EventApplicationForm.PERSON_FIELDS + EventApplicationForm.ATTENDING_FIELDS + ["accommodations"]
    labels = [str(EventApplicationForm.base_fields[name].label) for name in names if name != "email_confirm"]
    return labels + ["行事ごとの追加の質問への回答"]


@register.simple_tag
def event_application_retention_facts():
    days = settings.EVENT_APPLICATIONS_RETENTION_DAYS
    return [
        {
            "what": "行事の参加申込み（氏名、連絡先、参加人数、配慮の申出、質問への回答）とお送りしたメール",
            "period": f"行事の最終日から{days}日を過ぎたものを自動で削除します。公開はしません。",
        }
    ]

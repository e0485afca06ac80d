"""What the event application mails say. Each kind is a subject and body template under
templates/event_applications/email/; this module only renders them (the model queues them in its
own transaction, and the worker sends them after commit)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.text import clean, plain_text_context
from pages.models import ContactSettings
from pages.site_name import site_name

KINDS = {"receipt", "promoted", "cancelled", "cancelled_by_staff", "reminder"}


def base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def render_email(kind, context):
    context = plain_text_context(context)
    subject = render_to_string(f"event_applications/email/{kind}_subject.txt", context)
    body = render_to_string(f"event_applications/email/{kind}.txt", context)
    return " ".join(clean(subject, multiline=False).split()), clean(body)


def application_emails(application, kind, *, token=None, waiting_reason=None):
    """[(to, subject, body)] for one kind of mail to the applicant; `token` gives the cancellation link,
    `waiting_reason` (a models.WaitingReason) why the receipt's application waits."""
    if kind not in KINDS:
        raise ValueError(kind)
    event = application.event
    parts = event.get_url_parts()
    context = {
        "application": application,
        "event": event,
        "event_url": base_url() + (parts[2] if parts else "/"),
        "site_name": site_name(),
        "site_url": base_url() + "/",
        "contact": ContactSettings.for_default_site(),
        "waiting": application.status == "waiting",
        "waiting_reason": waiting_reason,
        "accommodations": "、".join(application.accommodation_labels()),
    }
    if token:
        context["cancel_url"] = base_url() + reverse(
            "event_applications:cancel", kwargs={"slug": event.slug, "token": token}
        )
    return [(application.email, *render_email(kind, context))]

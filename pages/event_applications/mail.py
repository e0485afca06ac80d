"""What the event application mails say. Each kind is a subject and body template under
templates/event_applications/email/; this module only renders them (the model queues them in its
own transaction, and the worker sends them after commit).

Staff get two mails of their own about 配慮の申出 (interpreters and captioners are booked weeks ahead):
one as soon as an application asks for any, and on the day before the event the list of those still
open. They go to the event's 配慮の申出の通知先, else the お問い合わせ先 setting's notice address, and say
only what staff need to arrange it; the applicant's name and contact details stay in the admin.
"""

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


def event_url(event):
    parts = event.get_url_parts()
    return base_url() + (parts[2] if parts else "/")


def application_emails(application, kind, *, token=None, waiting_reason=None):
    """[(to, subject, body)] for one kind of mail to the applicant; `token` gives the cancellation link,
    `waiting_reason` (a models.WaitingReason) why the receipt's application waits."""
    if kind not in KINDS:
        raise ValueError(kind)
    event = application.event
    contact = ContactSettings.for_default_site()
    context = {
        "application": application,
        "event": event,
        "event_url": event_url(event),
        "site_name": site_name(),
        "site_url": base_url() + "/",
        "contact": contact,
        "contact_phone": contact.mail_phone("events") if contact else None,
        "waiting": application.status == "waiting",
        "waiting_reason": waiting_reason,
        "accommodations": "、".join(application.accommodation_labels()),
    }
    if token:
        context["cancel_url"] = base_url() + reverse(
            "event_applications:cancel", kwargs={"slug": event.slug, "token": token}
        )
    return [(application.email, *render_email(kind, context))]


def staff_address(event):
    """Where staff want to hear of the event's 配慮の申出: the event's own address, else the contact setting's
    notice address (its メール when it has none); "" when nobody has given one."""
    if event.application_notice_email:
        return event.application_notice_email
    contact = ContactSettings.for_default_site()
    return contact.staff_notice_email if contact else ""


def admin_list_url(event):
    return base_url() + reverse("event_applications_admin:index") + f"?event={event.pk}"


def staff_accommodation_emails(application):
    """[(to, subject, body)]: the notice to staff that this application asks for 配慮 (none when it asks for
    none, or when no address is known)."""
    to = staff_address(application.event)
    if not application.accommodations or not to:
        return []
    context = {
        "application": application,
        "event": application.event,
        "event_url": event_url(application.event),
        "site_name": site_name(),
        "accommodations": "、".join(application.accommodation_labels()),
        "inspect_url": base_url() + reverse("event_applications_admin:inspect", args=[application.pk]),
        "list_url": admin_list_url(application.event),
    }
    return [(to, *render_email("staff_accommodation", context))]


def staff_reminder_emails(event, applications, counts):
    """[(to, subject, body)]: the day-before list of the event's open applications that ask for 配慮
    (`applications`, each with `accommodation_labels()`), with `counts` per type [(label, applications, people)]."""
    to = staff_address(event)
    if not applications or not to:
        return []
    context = {
        "event": event,
        "event_url": event_url(event),
        "site_name": site_name(),
        "items": [
            {
                "application": application,
                "accommodations": "、".join(application.accommodation_labels()),
                "inspect_url": base_url() + reverse("event_applications_admin:inspect", args=[application.pk]),
            }
            for application in applications
        ],
        "counts": [row for row in counts if row[1]],
        "list_url": admin_list_url(event),
    }
    return [(to, *render_email("staff_reminder", context))]

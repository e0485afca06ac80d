"""Outgoing mail for the declaration register.

Every message is first written as an OutboundEmail row in the same transaction as the change it
reports, then sent once that transaction commits. A mail server that is down therefore loses
nothing: the row stays unsent and `manage.py send_pending_mail` sends it later. The moderation
actions use `queue_email` the same way.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboundEmail

logger = logging.getLogger(__name__)


def queue_email(*, to, subject, body, declaration=None):
    """Write one message to the outbox and send it after the current transaction commits."""
    email = OutboundEmail.objects.create(declaration=declaration, to=to, subject=subject, body=body)
    transaction.on_commit(lambda: send_queued([email.pk]))
    return email


def render_email(template_name, context):
    """(subject, body) from templates/declarations/email/<name>_subject.txt and <name>.txt."""
    subject = render_to_string(f"declarations/email/{template_name}_subject.txt", context)
    body = render_to_string(f"declarations/email/{template_name}.txt", context)
    return " ".join(subject.split()), body


def queue_application_emails(declaration):
    """The receipt with the 受付番号 to the applicant and a notice to the staff mailbox."""
    context = {"declaration": declaration, "admin_base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
    subject, body = render_email("receipt", context)
    queue_email(to=declaration.email, subject=subject, body=body, declaration=declaration)
    subject, body = render_email("staff_notice", context)
    queue_email(to=settings.DECLARATIONS_STAFF_EMAIL, subject=subject, body=body, declaration=declaration)


def send_one(email):
    """Try to send one outbox row; record the outcome on it. Returns True when it was sent."""
    message = EmailMessage(subject=email.subject, body=email.body, to=[email.to])
    email.attempts += 1
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any failure of the mail server must leave the row for a retry
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        email.save(update_fields=["attempts", "last_error"])
        logger.warning("Mail to outbox #%s not sent: %s", email.pk, email.last_error)
        return False
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def send_queued(pks=None):
    """Send unsent outbox rows (those in `pks`, or all of them); returns (sent, failed).

    Each row is locked while it is sent (skipped if another process holds it), so the command and
    an on-commit send never deliver the same message twice.
    """
    sent = failed = 0
    candidates = OutboundEmail.objects.filter(sent_at__isnull=True)
    if pks is not None:
        candidates = candidates.filter(pk__in=pks)
    for pk in candidates.order_by("created_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            email = (
                OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
            )
            if email is None:
                continue
            if send_one(email):
                sent += 1
            else:
                failed += 1
    return sent, failed

"""The worker's part: sending the application mails, the sweep, the day-before reminder and the purge."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks import task

from core.outbox import MAX_SEND_ATTEMPTS, retry_delay

from .models import ApplicationEmail
from .reminders import send_reminders, send_staff_reminders
from .retention import purge_expired

logger = logging.getLogger(__name__)

REMINDER_EVERY = timedelta(hours=1)


@task()
def send_application_email(pk):
    sent, failed = ApplicationEmail.objects.send_pending([pk])
    if not failed:
        return "sent" if sent else "nothing to send"
    attempts = ApplicationEmail.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0
    if attempts >= MAX_SEND_ATTEMPTS:
        logger.error("event mail #%s not sent after %s tries; the sweep keeps trying", pk, attempts)
        return "gave up"
    if send_application_email.get_backend().supports_defer:
        send_application_email.using(run_after=timezone.now() + retry_delay(attempts)).enqueue(pk)
    return "retry"


@task()
def send_pending_application_mail():
    now = timezone.now()
    ApplicationEmail.objects.report_interrupted(now)
    pks = list(ApplicationEmail.objects.for_the_sweep(now).values_list("pk", flat=True))
    sent, failed = ApplicationEmail.objects.send_pending(pks)
    return {"sent": sent, "failed": failed}


@task()
def send_event_reminders():
    """The day before: each confirmed applicant's reminder, and staff's list of the open 配慮の申出."""
    sent = send_reminders()
    send_staff_reminders()
    return sent


@task()
def purge_expired_event_applications():
    return purge_expired()


def enqueue_send_on_commit(sender, instance, created, raw=False, **kwargs):
    # Sent once the transaction that wrote it commits: a rolled-back change sends nothing. Robust: a task that
    # could not be queued is left to the sweep; the stored application is never reported as failed.
    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: send_application_email.enqueue(pk), robust=True)


def connect_signals():
    post_save.connect(enqueue_send_on_commit, sender=ApplicationEmail, dispatch_uid="event-application-mail-send")

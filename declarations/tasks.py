"""The register's background work, run by the worker (`manage.py run_worker`), never inside a request.

- `send_email(pk)`: sends one outbox row, enqueued when the transaction that wrote it commits. A
  failure leaves the row unsent (the outbox stays the record) and enqueues another try later, each
  wait twice the last, up to MAX_SEND_ATTEMPTS tries; the sweep picks up what is left.
- `send_pending_mail()`: the sweep, every few minutes (scheduled in `DeclarationsConfig.ready()`).
- `purge_expired_applications()`: the daily retention purge (APPI; see retention.py).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks import task

from core.outbox import MAX_SEND_ATTEMPTS, SWEEP_EVERY, retry_delay  # noqa: F401 (SWEEP_EVERY: read from here by the app config and tests)

from .models import OutboundEmail
from .retention import purge_expired

logger = logging.getLogger(__name__)


@task()
def send_email(pk):
    sent, failed = OutboundEmail.objects.send_pending([pk])
    if not failed:
        return "sent" if sent else "nothing to send"
    attempts = OutboundEmail.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0
    if attempts >= MAX_SEND_ATTEMPTS:
        logger.error("outbox #%s not sent after %s tries; the sweep keeps trying", pk, attempts)
        return "gave up"
    if send_email.get_backend().supports_defer:
        # The backend without a queue (tests, or TASKS unset) cannot wait: the sweep retries instead.
        send_email.using(run_after=timezone.now() + retry_delay(attempts)).enqueue(pk)
    logger.warning("outbox #%s not sent (try %s of %s); retrying later", pk, attempts, MAX_SEND_ATTEMPTS)
    return "retry"


def enqueue_send_on_commit(sender, instance, created, raw=False, **kwargs):
    """A post_save handler: a new outbox row is sent once the transaction that wrote it commits (not
    before: a rolled-back change must send nothing). Robust: the row is stored, and a task that could not be
    queued (the database busy for a moment) is left to the sweep, never reported as a failed application."""
    if created and not raw:
        pk = instance.pk
        transaction.on_commit(lambda: send_email.enqueue(pk), robust=True)


def connect_signals():
    post_save.connect(enqueue_send_on_commit, sender=OutboundEmail, dispatch_uid="outbox-send-on-commit")


def rows_for_the_sweep(now):
    """Unsent rows no task is retrying any more: their tries ran out, their task never ran (it was lost
    between the commit and the queue), or their chain of retries should have ended long ago (a worker
    died mid-way). Rows still inside their chain are left to it, so its waits are kept."""
    return OutboundEmail.objects.for_the_sweep(now)


@task()
def send_pending_mail():
    """The sweep: another try for every row `rows_for_the_sweep` returns."""
    now = timezone.now()
    OutboundEmail.objects.report_interrupted(now)
    pks = list(rows_for_the_sweep(now).values_list("pk", flat=True))
    sent, failed = OutboundEmail.objects.send_pending(pks)
    if sent or failed:
        logger.info("mail sweep: %s sent, %s failed", sent, failed)
    return {"sent": sent, "failed": failed}


@task()
def purge_expired_applications():
    return purge_expired()

"""The outbox pattern for mail, for any app: a message is a row written in the same transaction as the
change it reports, and the worker sends it after commit, so no request ever waits for the mail server.

An app subclasses `OutboxEmail` (an abstract model) and gets `send()` and the queryset's
`send_pending()`; its tasks use `retry_delay()` for the waits between tries. The register's outbox
(`declarations.OutboundEmail`) and the event applications' (`ApplicationEmail`) are both built on it.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=1)
SWEEP_EVERY = timedelta(minutes=5)


def retry_delay(attempts):
    """How long to wait before the next try after `attempts` failed ones: 1, 2, 4, 8 minutes."""
    return FIRST_RETRY_AFTER * 2 ** max(attempts - 1, 0)


class OutboxQuerySet(models.QuerySet):
    def send_pending(self, pks=None):
        """Send unsent rows (those in `pks`, or all of them); returns (sent, failed). Each row is locked
        while it is sent (skipped when another process holds it), so nothing is delivered twice."""
        sent = failed = 0
        candidates = self.filter(sent_at__isnull=True)
        if pks is not None:
            candidates = candidates.filter(pk__in=pks)
        for pk in candidates.order_by("created_at", "pk").values_list("pk", flat=True):
            with transaction.atomic():
                email = self.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
                if email is None:
                    continue
                if email.send():
                    sent += 1
                else:
                    failed += 1
        return sent, failed

    def for_the_sweep(self, now):
        """Unsent rows no retry chain is looking after any more (tries ran out, task lost, worker died)."""
        chain = sum((retry_delay(n) for n in range(1, MAX_SEND_ATTEMPTS)), timedelta())
        return self.filter(sent_at__isnull=True, created_at__lt=now - SWEEP_EVERY).filter(
            models.Q(attempts=0)
            | models.Q(attempts__gte=MAX_SEND_ATTEMPTS)
            | models.Q(created_at__lt=now - chain - SWEEP_EVERY)
        )


class OutboxEmail(models.Model):
    to = models.EmailField("宛先")
    subject = models.CharField("件名", max_length=200)
    body = models.TextField("本文")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("送信試行回数", default=0)
    last_error = models.TextField("直近のエラー", blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def send(self):
        """Try to send this row (EMAIL_TIMEOUT bounds a hanging server); record the outcome. True when sent."""
        message = EmailMessage(subject=self.subject, body=self.body, to=[self.to])
        self.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server must leave the row for a retry
            self.last_error = f"{type(error).__name__}: {error}"[:2000]
            self.save(update_fields=["attempts", "last_error"])
            logger.warning("Mail %s #%s not sent: %s", self._meta.label, self.pk, self.last_error)
            return False
        self.sent_at = timezone.now()
        self.last_error = ""
        self.save(update_fields=["attempts", "last_error", "sent_at"])
        return True

"""The outbox pattern for mail, for any app: a message is a row written in the same transaction as the
change it reports, and the worker sends it after commit, so no request ever waits for the mail server.

An app subclasses `OutboxEmail` (an abstract model) and gets `send()` and the queryset's
`send_pending()`; its tasks use `retry_delay()` for the waits between tries. The register's outbox
(`declarations.OutboundEmail`) and the event applications' (`ApplicationEmail`) are both built on it.

Delivered at most once. Before talking to the mail server a worker claims the row in its own committed
transaction (`sending_since`); the row is marked sent only once the server has accepted the message. A
worker killed in between leaves a claimed row with no outcome: the server may or may not have accepted
it, and nothing here can ask. Such a row is never sent again by the worker or the sweep (a staff notice
sent twice was the bug this rule fixes): once the claim is older than CLAIM_EXPIRES, the sweep logs it as
an error and marks it (INTERRUPTED), the health checks count it as unsent mail, and a person who has
checked the inbox sends it again with `--resend-interrupted` on the send commands. Receipts are held to
the same rule: their 受付番号 is on the page that ended the application too. Every message carries a
Message-ID made from its row, so a copy sent again by hand is recognisable as the same message.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
FIRST_RETRY_AFTER = timedelta(minutes=1)
SWEEP_EVERY = timedelta(minutes=5)
# A claim this old has no worker behind it any more: a send is bounded by EMAIL_TIMEOUT per step.
CLAIM_EXPIRES = timedelta(minutes=10)
INTERRUPTED = (
    "送信の途中でワーカーが止まったため、届いたかどうか分かりません。二重に届かないよう自動では再送しません。"
    "宛先に届いていないことを確かめてから、送信コマンドに --resend-interrupted を付けて送り直してください。"
)


def retry_delay(attempts):
    """How long to wait before the next try after `attempts` failed ones: 1, 2, 4, 8 minutes."""
    return FIRST_RETRY_AFTER * 2 ** max(attempts - 1, 0)


class OutboxQuerySet(models.QuerySet):
    def send_pending(self, pks=None):
        """Send unsent rows (those in `pks`, or all of them) that no worker has claimed; returns (sent, failed).
        Each row is claimed before it is sent (skipped when another process claimed it first), so nothing is
        delivered twice."""
        sent = failed = 0
        candidates = self.filter(sent_at__isnull=True, sending_since__isnull=True)
        if pks is not None:
            candidates = candidates.filter(pk__in=pks)
        for pk in candidates.order_by("created_at", "pk").values_list("pk", flat=True):
            email = self.filter(pk=pk).first()
            if email is None:
                continue
            outcome = email.send()
            if outcome is True:
                sent += 1
            elif outcome is False:
                failed += 1
        return sent, failed

    def for_the_sweep(self, now):
        """Unsent rows no retry chain is looking after any more (tries ran out, task lost, worker died).
        A claimed row is never among them (see the module docstring)."""
        chain = sum((retry_delay(n) for n in range(1, MAX_SEND_ATTEMPTS)), timedelta())
        return self.filter(sent_at__isnull=True, sending_since__isnull=True, created_at__lt=now - SWEEP_EVERY).filter(
            models.Q(attempts=0)
            | models.Q(attempts__gte=MAX_SEND_ATTEMPTS)
            | models.Q(created_at__lt=now - chain - SWEEP_EVERY)
        )

    def interrupted(self, now=None):
        """Rows whose sending was cut off: claimed long ago, neither sent nor failed."""
        now = now or timezone.now()
        return self.filter(sent_at__isnull=True, sending_since__lt=now - CLAIM_EXPIRES)

    def report_interrupted(self, now=None):
        """Mark and log, once each, the rows whose sending was cut off; the sweep calls it. Returns their number."""
        rows = self.interrupted(now).exclude(last_error=INTERRUPTED)
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            self.filter(pk__in=pks).update(last_error=INTERRUPTED)
            logger.error(
                "Mail %s %s: sending was cut off (worker stopped); not resent automatically, check and resend by hand",
                self.model._meta.label,
                pks,
            )
        return len(pks)

    def release_interrupted(self):
        """Make the rows whose sending was cut off sendable again (a person checked they did not arrive)."""
        return self.interrupted().update(sending_since=None)


class OutboxEmail(models.Model):
    to = models.EmailField("宛先")
    subject = models.CharField("件名", max_length=200)
    body = models.TextField("本文")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField("送信試行回数", default=0)
    # Set (and committed) before the mail server is contacted, cleared with the outcome.
    sending_since = models.DateTimeField("送信開始日時", null=True, blank=True)
    last_error = models.TextField("直近のエラー", blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def message_id(self):
        """The same Message-ID every time this row is sent, so a recipient's server can tell a copy."""
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        return f"<{self._meta.label_lower}.{self.pk}.{int(self.created_at.timestamp())}@{domain}>"

    def claim(self):
        """Mark this row as being sent by this process, in its own committed statement; False when it was
        sent or claimed already."""
        now = timezone.now()
        claimed = type(self)._default_manager.filter(pk=self.pk, sent_at__isnull=True, sending_since__isnull=True)
        if not claimed.update(sending_since=now, attempts=models.F("attempts") + 1):
            return False
        self.sending_since = now
        self.attempts += 1
        return True

    def send(self):
        """Claim this row and send it (EMAIL_TIMEOUT bounds a hanging server); record the outcome. True when
        sent, False when the server refused it or could not be reached (the row waits for a retry), None when
        another process had it already."""
        if not self.claim():
            return None
        message = EmailMessage(
            subject=self.subject, body=self.body, to=[self.to], headers={"Message-ID": self.message_id()}
        )
        try:
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server must leave the row for a retry
            self.last_error = f"{type(error).__name__}: {error}"[:2000]
            self.sending_since = None
            self.save(update_fields=["attempts", "last_error", "sending_since"])
            logger.warning("Mail %s #%s not sent: %s", self._meta.label, self.pk, self.last_error)
            return False
        self.sent_at = timezone.now()
        self.sending_since = None
        self.last_error = ""
        self.save(update_fields=["attempts", "last_error", "sent_at", "sending_since"])
        return True


class SendPendingCommand(BaseCommand):
    """A `send_pending_…` management command for one outbox model (`model`): sends every unsent row at once
    and exits with status 1 while some still fail, so a scheduler's alerting sees a mail server that stays down."""

    model = None

    def add_arguments(self, parser):
        parser.add_argument(
            "--resend-interrupted",
            action="store_true",
            help="送信の途中でワーカーが止まり、届いたか分からないメールも送り直します（届いていないことを確かめてから）。",
        )

    def handle(self, *args, resend_interrupted=False, **options):
        if resend_interrupted:
            released = self.model.objects.release_interrupted()
            self.stdout.write(f"送信が中断されたメール: {released}件を送り直します")
        sent, failed = self.model.objects.send_pending()
        self.stdout.write(f"送信: {sent}件、失敗: {failed}件")
        if failed:
            raise CommandError(
                f"{failed}件のメールを送信できませんでした。未送信のまま残したので、後でもう一度実行してください。"
            )

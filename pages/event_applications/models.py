"""Applications to attend an event (行事の参加申込み), with a waiting list.

The rules live here: who is confirmed and who waits, and why (`availability`, which the event page, the
確認 step and `EventApplicationQuerySet.submit` all ask), what a cancellation frees and who moves up
(`EventApplication.cancel`, `promote_waiting`). Applications are served strictly in the order they came
in: a party is confirmed only when all of it fits and nobody waits ahead of it, and the waiting list
moves up from its head only (a smaller party behind never overtakes a larger one); a party is never
split. Every change that touches the count of places locks the event's row first (SELECT … FOR UPDATE
on PostgreSQL; SQLite runs one writer at a time), so two applications for the last place can never both
be confirmed.
"""

import hashlib
import math
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone

from core import page_cache
from core.outbox import OutboxEmail
from core.reference_numbers import generate_reference_number
from pages.models import ApplicationStatus, EventPage

from . import mail

REFERENCE_PREFIX = "EV"
MAX_PARTY_SIZE = 10
# 残りわずか: this share of the capacity or less is left (at least one place).
FEW_PLACES_SHARE = 0.1


class Status(models.TextChoices):
    CONFIRMED = "confirmed", "参加確定"
    WAITING = "waiting", "キャンセル待ち"
    CANCELLED = "cancelled", "キャンセル"


class Attendance(models.TextChoices):
    VENUE = "venue", "会場で参加"
    ONLINE = "online", "オンラインで参加"


# Which ways of attending each setting of the event offers.
ATTENDANCE_FOR_MODES = {
    "venue": [Attendance.VENUE],
    "online": [Attendance.ONLINE],
    "both": [Attendance.VENUE, Attendance.ONLINE],
}


class Accommodation(models.TextChoices):
    """配慮の申出: staff book interpreters and arrange seats from the counts of these."""

    CAPTIONING = "captioning", "要約筆記"
    SIGN_LANGUAGE = "sign_language", "手話通訳"
    WHEELCHAIR = "wheelchair", "車椅子席"
    CARER = "carer", "介助者同伴"
    CHILDCARE = "childcare", "託児"
    OTHER = "other", "その他"


class CancelledBy(models.TextChoices):
    APPLICANT = "applicant", "申込者"
    STAFF = "staff", "職員"


class ApplicationsClosed(Exception):
    """The event takes no more applications (closed by staff, past its deadline, or already begun)."""


class NotCancellable(Exception):
    """The application is already cancelled, or the event has begun."""


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def accepting(event, now=None):
    """Whether the event's form takes applications now."""
    now = now or timezone.now()
    return (
        event.application_status == ApplicationStatus.OPEN
        and bool(event.application_capacity)
        and event.application_deadline is not None
        and now < event.application_deadline
        and now < event.starts_at
    )


@dataclass(frozen=True)
class WaitingReason:
    """Why an application goes on the waiting list, as the 確認 and 完了 pages and the receipt say it."""

    kind: str  # "full", "others_waiting" or "party_too_large"
    places_left: int = 0
    party_size: int = 0

    @property
    def because(self):
        if self.kind == "full":
            return "満席のため"
        if self.kind == "others_waiting":
            return "先にキャンセル待ちの方がいるため"
        return f"残りの席（{self.places_left}人分）がお申込みの参加人数（{self.party_size}人）より少ないため"


@dataclass(frozen=True)
class Availability:
    state: str  # "open", "few", "full", "closed", or "none" (no applications on the site)
    label: str
    remaining: int  # places open to a new applicant: none while anyone waits, whoever comes next waits too
    places_left: int = 0  # places no confirmed application takes
    anyone_waiting: bool = False

    @property
    def accepting(self):
        return self.state in ("open", "few", "full")

    def waiting_reason(self, party_size):
        """None when a party of this size would be confirmed now, else why it would wait."""
        if self.places_left <= 0:
            return WaitingReason("full")
        if self.anyone_waiting:
            return WaitingReason("others_waiting")
        if party_size > self.places_left:
            return WaitingReason("party_too_large", self.places_left, party_size)
        return None


LABELS = {
    "open": "受付中",
    "few": "残りわずか",
    "full": "満席（キャンセル待ち受付中）",
    "closed": "受付終了",
    "none": "",
}


def event_tag(event_id):
    """The page cache's tag of every page that shows an event's 受付状況 (core/page_cache.py)."""
    return f"event:{event_id}"


def few_places_threshold(capacity):
    return max(1, math.ceil(capacity * FEW_PLACES_SHARE))


def availability(event, now=None):
    """What the event page and the form say: 受付中 / 残りわずか / 満席（キャンセル待ち受付中） / 受付終了,
    and (`waiting_reason`) whether a party applying now gets a place. 満席 as soon as anyone waits: a new
    applicant queues behind them even when a place or two is free.

    Every page that shows it reads it here, so the page is tagged with the event's tag (before the counts
    are read): an application, a cancellation or a promotion makes only those pages stale."""
    page_cache.tag(event_tag(event.pk))
    if event.application_status == ApplicationStatus.NONE:
        return Availability("none", LABELS["none"], 0)
    places_left = max(0, (event.application_capacity or 0) - EventApplication.objects.confirmed_places(event))
    anyone_waiting = EventApplication.objects.waiting_list(event).exists()
    remaining = 0 if anyone_waiting else places_left
    if not accepting(event, now):
        state = "closed"
    elif remaining == 0:
        state = "full"
    elif remaining <= few_places_threshold(event.application_capacity):
        state = "few"
    else:
        state = "open"
    return Availability(state, LABELS[state], remaining, places_left, anyone_waiting)


def lock_event(event):
    """The event's row, locked until the transaction ends (only this table's row, not Wagtail's page row)."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


class EventApplicationQuerySet(models.QuerySet):
    def confirmed_places(self, event):
        """How many places the event's confirmed applications take (their 参加人数 summed)."""
        total = self.filter(event=event, status=Status.CONFIRMED).aggregate(n=Sum("party_size"))["n"]
        return total or 0

    def waiting_list(self, event):
        return self.filter(event=event, status=Status.WAITING).order_by("submitted_at", "pk")

    def submit(self, application, *, submission_key=None, now=None):
        """Save a new application, confirmed when `availability` says its whole party gets a place now,
        else on the waiting list; queue its receipt with the private cancellation link and the reason it
        waits. Returns (application, created); `application.waiting_reason` is that reason (None when it
        was confirmed, or when the application already existed).

        The same `submission_key` twice (a double click, two tabs) returns the application already made.
        Raises ApplicationsClosed when the event no longer takes applications.
        """
        with transaction.atomic():
            if submission_key:
                existing = self.filter(submission_key=submission_key).first()
                if existing:
                    existing.waiting_reason = None
                    return existing, False
            event = lock_event(application.event)
            now = now or timezone.now()
            if not accepting(event, now):
                raise ApplicationsClosed
            reason = availability(event, now).waiting_reason(application.party_size)
            application.event = event
            application.status = Status.WAITING if reason else Status.CONFIRMED
            application.waiting_reason = reason
            application.submitted_at = application.consented_at = now
            application.confirmed_at = now if application.status == Status.CONFIRMED else None
            application.submission_key = submission_key or None
            token = secrets.token_urlsafe(32)
            application.cancel_token_hash = hash_token(token)
            try:
                application.insert_with_reference_number()
            except IntegrityError:
                existing = self.filter(submission_key=submission_key).first() if submission_key else None
                if existing:
                    existing.waiting_reason = None
                    return existing, False
                raise
            application.queue_email("receipt", token=token, waiting_reason=reason)
            application.queue_staff_notice()
        return application, True

    def by_cancel_token(self, slug, token):
        """The application a cancellation link opens (in any state), or None."""
        if not token:
            return None
        return self.select_related("event").filter(event__slug=slug, cancel_token_hash=hash_token(token)).first()

    def accommodation_counts(self):
        """[(label, applications, people)] for each 配慮 type among these applications."""
        counts = {key: [0, 0] for key in Accommodation.values}
        for requested, size in self.values_list("accommodations", "party_size"):
            _count_accommodations(counts, requested, size)
        return [(Accommodation(key).label, *counts[key]) for key in Accommodation.values]

    def summary_by_event(self):
        """{event id: EventSummary} of these applications, cancelled ones left out, in one query: the people
        confirmed and waiting, and the applications asking for each 配慮 type (for the dashboard)."""
        summaries = {}
        rows = self.exclude(status=Status.CANCELLED).values_list("event_id", "status", "party_size", "accommodations")
        for event_id, status, size, requested in rows.order_by():
            summary = summaries.setdefault(event_id, EventSummary())
            if status == Status.CONFIRMED:
                summary.confirmed_people += size
            else:
                summary.waiting_people += size
            _count_accommodations(summary.accommodations, requested, size)
        return summaries


def _count_accommodations(counts, requested, size):
    """Adds one application (of `size` people) to {key: [applications, people]} for each 配慮 it asks for."""
    for key in requested or []:
        if key in counts:
            counts[key][0] += 1
            counts[key][1] += size


@dataclass
class EventSummary:
    confirmed_people: int = 0
    waiting_people: int = 0
    accommodations: dict = field(default_factory=lambda: {key: [0, 0] for key in Accommodation.values})

    def requested_accommodations(self):
        """[(label, applications)] for the 配慮 types at least one application asks for, in the form's order."""
        return [
            (Accommodation(key).label, self.accommodations[key][0])
            for key in Accommodation.values
            if self.accommodations[key][0]
        ]


def promote_waiting(event, now=None):
    """Confirm waiting applications from the head of the list while the first one's whole party fits in
    the places left, and queue their mail; stop at the first that does not fit, so nobody behind it
    overtakes it. Call with the event's row locked (inside the transaction). Returns those promoted."""
    now = now or timezone.now()
    if now >= event.starts_at:
        return []
    left = event.application_capacity - EventApplication.objects.confirmed_places(event)
    promoted = []
    for application in EventApplication.objects.waiting_list(event):
        if application.party_size > left:
            break
        EventApplication.objects.filter(pk=application.pk, status=Status.WAITING).update(
            status=Status.CONFIRMED, confirmed_at=now, promoted_at=now
        )
        page_cache.invalidate_tags(event_tag(event.pk), reason="promoted")  # the event page's 残りわずか / 満席
        application.refresh_from_db()
        application.queue_email("promoted")
        left -= application.party_size
        promoted.append(application)
    return promoted


def promote_after_change(event):
    """After staff changed the event (a larger capacity): move up the waiting list, in order, as far as it fits."""
    if not event.application_capacity:
        return []
    with transaction.atomic():
        return promote_waiting(lock_event(event))


def promote_on_publish(sender, instance, **kwargs):
    """page_published handler: a published change to an event (a larger capacity) moves up the waiting list."""
    promote_after_change(instance)


class EventApplication(models.Model):
    """One person's (or group's) application to attend an event. Never shown publicly."""

    event = models.ForeignKey(EventPage, verbose_name="行事", on_delete=models.CASCADE, related_name="applications")
    reference_number = models.CharField("受付番号", max_length=20, unique=True, editable=False)
    status = models.CharField("状態", max_length=10, choices=Status.choices, db_index=True)

    name = models.CharField("氏名", max_length=50)
    name_kana = models.CharField("ふりがな", max_length=100)
    organisation = models.CharField("所属", max_length=100, blank=True)
    email = models.EmailField("メールアドレス")
    phone = models.CharField("電話番号", max_length=20)
    party_size = models.PositiveSmallIntegerField("参加人数", default=1)
    attendance = models.CharField("参加方法", max_length=10, choices=Attendance.choices)
    accommodations = models.JSONField("配慮の申出", default=list, blank=True)
    accommodation_details = models.TextField("配慮の申出（内容）", blank=True)
    # [{"question": …, "answer": …}] as asked when the person applied (staff may edit the questions later).
    answers = models.JSONField("追加の質問への回答", default=list, blank=True)

    submitted_at = models.DateTimeField("申込日時", default=timezone.now, db_index=True)
    consented_at = models.DateTimeField("同意日時", null=True, blank=True)
    confirmed_at = models.DateTimeField("参加確定日時", null=True, blank=True)
    promoted_at = models.DateTimeField("繰り上げ日時", null=True, blank=True)
    cancelled_at = models.DateTimeField("キャンセル日時", null=True, blank=True)
    cancelled_by = models.CharField("キャンセルした人", max_length=10, choices=CancelledBy.choices, blank=True)
    # Set in the same UPDATE that claims the reminder, so it is sent once however often the job runs.
    reminded_at = models.DateTimeField("前日のお知らせ送信日時", null=True, blank=True)

    cancel_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = EventApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = "参加申込み"
        verbose_name_plural = "参加申込み"

    def __str__(self):
        return f"{self.name}（{self.reference_number}）"

    def accommodation_labels(self):
        return [Accommodation(key).label for key in self.accommodations if key in Accommodation.values]

    def insert_with_reference_number(self, attempts=5):
        for attempt in range(attempts):
            self.reference_number = generate_reference_number(REFERENCE_PREFIX)
            try:
                with transaction.atomic():
                    self.save(force_insert=True)
                return
            except IntegrityError:
                self.pk = None
                taken = type(self).objects.filter(reference_number=self.reference_number).exists()
                if not taken or attempt == attempts - 1:
                    raise

    @property
    def can_cancel(self):
        return self.status != Status.CANCELLED and timezone.now() < self.event.starts_at

    def cancel(self, *, by=CancelledBy.APPLICANT, now=None):
        """Cancel this application and move up the waiting list as far as it now fits: a confirmed one
        frees its places, a waiting one may have been the party the others were queued behind.
        Raises NotCancellable when it is already cancelled or the event has begun."""
        now = now or timezone.now()
        with transaction.atomic():
            event = lock_event(self.event)
            if now >= event.starts_at:
                raise NotCancellable
            updated = type(self).objects.filter(pk=self.pk).exclude(status=Status.CANCELLED)
            if not updated.update(status=Status.CANCELLED, cancelled_at=now, cancelled_by=by):
                raise NotCancellable
            page_cache.invalidate_tags(event_tag(event.pk), reason="cancelled")  # the event page's 残りわずか / 満席
            self.refresh_from_db()
            self.queue_email("cancelled_by_staff" if by == CancelledBy.STAFF else "cancelled")
            promote_waiting(event, now)

    def queue_email(self, kind, token=None, waiting_reason=None):
        for to, subject, body in mail.application_emails(self, kind, token=token, waiting_reason=waiting_reason):
            ApplicationEmail.objects.create(application=self, to=to, subject=subject, body=body)

    def queue_staff_notice(self):
        """Tell staff at once when this application asks for 配慮 (nothing when it asks for none)."""
        for to, subject, body in mail.staff_accommodation_emails(self):
            ApplicationEmail.objects.create(application=self, to=to, subject=subject, body=body)


class StaffReminder(models.Model):
    """That staff were sent the day-before list of an event's 配慮の申出 for its date: the row is written in the
    transaction that queues the mail, so the list goes out once however often the job runs (and again only
    when the event moves to another day)."""

    event = models.ForeignKey(EventPage, verbose_name="行事", on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField("開催日")
    created_at = models.DateTimeField("送信日時", auto_now_add=True)

    class Meta:
        verbose_name = "前日の配慮の申出の一覧"
        verbose_name_plural = "前日の配慮の申出の一覧"
        constraints = [
            models.UniqueConstraint(fields=["event", "start_date"], name="one_staff_reminder_per_event_day"),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.start_date}"


class ApplicationEmail(OutboxEmail):
    """A mail about an application, sent by the worker after the change that wrote it commits."""

    application = models.ForeignKey(
        EventApplication, on_delete=models.CASCADE, related_name="emails", null=True, blank=True
    )

    class Meta(OutboxEmail.Meta):
        verbose_name = "参加申込みのメール"
        verbose_name_plural = "参加申込みのメール"

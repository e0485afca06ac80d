"""The reminder the day before an event (前日のお知らせ), sent by the worker's hourly job.

Each confirmed application is claimed with a conditional UPDATE of its `reminded_at` in the same
transaction that queues its mail, so however often the job runs, and however many workers run it,
nobody gets the reminder twice. Staff get the event's open 配慮の申出 once more the same day, claimed by
a `StaffReminder` row (unique per event and date) written with the mail.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import mail
from .models import ApplicationEmail, EventApplication, StaffReminder, Status


def due(now):
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return EventApplication.objects.filter(
        status=Status.CONFIRMED, reminded_at__isnull=True, event__start_date=tomorrow
    ).select_related("event")


def send_reminders(now=None):
    """Queue the reminder for every confirmed application to an event that starts tomorrow; returns how many."""
    now = now or timezone.now()
    sent = 0
    for application in due(now):
        with transaction.atomic():
            claimed = EventApplication.objects.filter(
                pk=application.pk, status=Status.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                application.queue_email("reminder")
                sent += 1
    return sent


def open_accommodations(now):
    """{event: [applications]}: the applications to tomorrow's events that ask for 配慮 and are not cancelled."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    applications = (
        EventApplication.objects.filter(event__start_date=tomorrow, status__in=[Status.CONFIRMED, Status.WAITING])
        .select_related("event")
        .order_by("event_id", "submitted_at", "pk")
    )
    by_event = {}
    for application in applications:
        if application.accommodations:
            by_event.setdefault(application.event, []).append(application)
    return by_event


def send_staff_reminders(now=None):
    """Queue, once per event and date, the list of tomorrow's open 配慮の申出 for staff; returns how many lists."""
    now = now or timezone.now()
    sent = 0
    for event, applications in open_accommodations(now).items():
        counts = EventApplication.objects.filter(pk__in=[a.pk for a in applications]).accommodation_counts()
        messages = mail.staff_reminder_emails(event, applications, counts)
        if not messages:
            continue
        try:
            with transaction.atomic():
                StaffReminder.objects.create(event=event, start_date=event.start_date)
                for to, subject, body in messages:
                    ApplicationEmail.objects.create(to=to, subject=subject, body=body)
        except IntegrityError:
            continue  # sent already, by an earlier run or another worker
        sent += 1
    return sent

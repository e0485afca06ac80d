"""The reminder the day before an event (前日のお知らせ), sent by the worker's hourly job.

Each confirmed application is claimed with a conditional UPDATE of its `reminded_at` in the same
transaction that queues its mail, so however often the job runs, and however many workers run it,
nobody gets the reminder twice.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import EventApplication, Status


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

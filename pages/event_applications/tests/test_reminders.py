"""The day-before reminder: to confirmed applications only, once, however often the job runs."""

import datetime

import pytest
from django.utils import timezone

from core import scheduling

from ..models import ApplicationEmail, Status
from ..reminders import send_reminders
from ..tasks import send_event_reminders
from .factories import make_open_event, submit

pytestmark = pytest.mark.django_db


def test_the_reminder_goes_to_confirmed_applications_of_tomorrows_event_once():
    event = make_open_event(capacity=1, days_ahead=1, deadline_in=datetime.timedelta(hours=1))
    confirmed = submit(event)
    waiting = submit(event)
    cancelled_later = make_open_event(capacity=5, days_ahead=1, slug="other", deadline_in=datetime.timedelta(hours=1))
    gone = submit(cancelled_later)
    gone.cancel()

    assert send_reminders() == 1
    assert send_reminders() == 0
    assert send_event_reminders.call() == 0
    reminders = ApplicationEmail.objects.filter(subject__contains="明日は")
    assert list(reminders.values_list("application", flat=True)) == [confirmed.pk]
    assert "明日開催の「地域共生フォーラム」" in reminders.get().body
    assert waiting.status == Status.WAITING


def test_no_reminder_for_an_event_further_ahead():
    event = make_open_event(days_ahead=3)
    submit(event)
    assert send_reminders() == 0
    assert send_reminders(now=timezone.now() + datetime.timedelta(days=2)) == 1


def test_the_worker_runs_the_reminder_every_hour():
    jobs = {job.name: job for job in scheduling.jobs()}
    assert jobs["event_applications.send_reminders"].interval == datetime.timedelta(hours=1)
    assert jobs["event_applications.purge_expired"].interval == datetime.timedelta(days=1)

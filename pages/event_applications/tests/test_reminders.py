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


# Issue 23, item 3: staff get the open 配慮の申出 again the day before.


def staff_lists():
    return ApplicationEmail.objects.filter(subject__contains="明日の行事の配慮の申出")


@pytest.mark.database  # once is a unique constraint's work
def test_staff_get_tomorrows_open_accommodations_once():
    from .test_mail import make_contact

    event = make_open_event(capacity=2, days_ahead=1, deadline_in=datetime.timedelta(hours=1))
    make_contact()
    interpreted = submit(event, accommodations=["sign_language"], accommodation_details="舞台の近くで")
    submit(event)  # asks for nothing
    waiting = submit(event, 2, accommodations=["wheelchair"])
    withdrawn = submit(event, accommodations=["captioning"])
    withdrawn.cancel()

    send_event_reminders.call()
    send_event_reminders.call()
    [sent] = staff_lists()
    assert sent.to == "notice@example.jp"
    assert "2件" in sent.subject and "地域共生フォーラム" in sent.subject
    assert f"受付番号 {interpreted.reference_number}（参加確定、1人" in sent.body
    assert "詳しい内容: 舞台の近くで" in sent.body
    assert f"受付番号 {waiting.reference_number}（キャンセル待ち、2人" in sent.body
    assert withdrawn.reference_number not in sent.body
    assert "手話通訳: 1件（1人）" in sent.body and "車椅子席: 1件（2人）" in sent.body
    assert "要約筆記" not in sent.body
    assert "土佐 花子" not in sent.body


def test_no_staff_list_for_an_event_without_accommodations_or_further_ahead():
    from .test_mail import make_contact

    tomorrow = make_open_event(days_ahead=1, deadline_in=datetime.timedelta(hours=1))
    make_contact()
    submit(tomorrow)
    submit(make_open_event(days_ahead=3, slug="later"), accommodations=["sign_language"])
    send_event_reminders.call()
    assert not staff_lists().exists()

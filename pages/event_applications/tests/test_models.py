"""The rules: who is confirmed, who waits, who moves up, when the form closes, what the page says."""

import datetime

import pytest
from django.utils import timezone

from pages.models import ApplicationStatus

from ..models import (
    ApplicationEmail,
    ApplicationsClosed,
    CancelledBy,
    EventApplication,
    NotCancellable,
    Status,
    availability,
    hash_token,
    promote_after_change,
)
from .factories import application, make_open_event, submit

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def test_applications_are_confirmed_while_their_party_fits_then_wait():
    event = make_open_event(capacity=5)
    first = submit(event, 3)
    second = submit(event, 2)
    third = submit(event, 1)
    assert [first.status, second.status, third.status] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    assert EventApplication.objects.confirmed_places(event) == 5


def test_a_party_larger_than_the_places_left_waits_while_a_smaller_one_still_fits():
    event = make_open_event(capacity=5)
    submit(event, 4)
    assert submit(event, 2).status == Status.WAITING
    assert submit(event, 1).status == Status.CONFIRMED


def test_each_application_gets_a_reference_number_and_only_a_hash_of_its_cancel_token():
    event = make_open_event()
    applied = submit(event)
    assert applied.reference_number.startswith("EV-")
    assert len(applied.cancel_token_hash) == 64
    body = ApplicationEmail.objects.get(application=applied).body
    token = body.split("/apply/cancel/")[1].split("/")[0]
    assert hash_token(token) == applied.cancel_token_hash
    assert token not in applied.cancel_token_hash


def test_the_same_submission_key_twice_makes_one_application():
    event = make_open_event()
    first, created = EventApplication.objects.submit(application(event), submission_key="k" * 40)
    again, created_again = EventApplication.objects.submit(application(event), submission_key="k" * 40)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert EventApplication.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"application_status": ApplicationStatus.CLOSED},
        {"application_deadline": timezone.now() - datetime.timedelta(minutes=1)},
    ],
    ids=["closed-by-staff", "deadline-passed"],
)
def test_no_application_is_taken_once_closed_or_past_the_deadline(change):
    event = make_open_event()
    type(event).objects.filter(pk=event.pk).update(**change)
    event.refresh_from_db()
    with pytest.raises(ApplicationsClosed):
        submit(event)
    assert availability(event).state == "closed"
    assert availability(event).label == "受付終了"
    assert EventApplication.objects.count() == 0


def test_no_application_is_taken_once_the_event_has_begun():
    event = make_open_event(days_ahead=0, deadline_in=datetime.timedelta(days=2), start_time=datetime.time(0, 0))
    with pytest.raises(ApplicationsClosed):
        submit(event)


def test_cancelling_a_confirmed_place_promotes_the_first_waiting_application_that_fits():
    event = make_open_event(capacity=3)
    confirmed = submit(event, 2)
    submit(event, 1)
    too_big = submit(event, 3, name="大人数 団体")
    fits = submit(event, 2, name="繰上 太郎")
    later = submit(event, 1, name="後着 次郎")
    assert [too_big.status, fits.status, later.status] == [Status.WAITING] * 3

    confirmed.cancel()

    for item in (confirmed, too_big, fits, later):
        item.refresh_from_db()
    assert confirmed.status == Status.CANCELLED
    assert confirmed.cancelled_by == CancelledBy.APPLICANT
    assert too_big.status == Status.WAITING  # 3 people do not fit in the 2 places freed
    assert fits.status == Status.CONFIRMED
    assert fits.promoted_at is not None
    assert later.status == Status.WAITING  # the 2 places are taken again
    assert ApplicationEmail.objects.filter(application=fits, subject__contains="参加が確定しました").exists()
    assert EventApplication.objects.confirmed_places(event) == 3


def test_staff_removal_frees_the_places_too_and_says_who_cancelled():
    event = make_open_event(capacity=1)
    confirmed = submit(event)
    waiting = submit(event, name="待機 花子")
    confirmed.cancel(by=CancelledBy.STAFF)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert ApplicationEmail.objects.filter(application=confirmed, subject__contains="取消し").exists()


def test_cancelling_a_waiting_application_promotes_nobody_and_cancelling_twice_is_refused():
    event = make_open_event(capacity=1)
    submit(event)
    waiting = submit(event)
    waiting.cancel()
    with pytest.raises(NotCancellable):
        waiting.cancel()
    assert EventApplication.objects.filter(status=Status.CONFIRMED).count() == 1


def test_nobody_cancels_or_moves_up_once_the_event_has_begun():
    event = make_open_event(capacity=1)
    confirmed = submit(event)
    submit(event)
    later = event.starts_at + datetime.timedelta(minutes=1)
    with pytest.raises(NotCancellable):
        confirmed.cancel(now=later)


def test_a_larger_capacity_published_by_staff_moves_up_whoever_now_fits():
    event = make_open_event(capacity=1)
    submit(event)
    waiting = submit(event, 2)
    event.application_capacity = 3
    event.save_revision().publish()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert promote_after_change(event) == []


@pytest.mark.parametrize(
    ("capacity", "taken", "state", "label"),
    [
        (100, 0, "open", "受付中"),
        (100, 89, "open", "受付中"),
        (100, 90, "few", "残りわずか"),
        (10, 9, "few", "残りわずか"),
        (10, 10, "full", "満席（キャンセル待ち受付中）"),
    ],
)
def test_the_state_the_event_page_shows(capacity, taken, state, label):
    event = make_open_event(capacity=capacity)
    for _ in range(taken // 10):
        submit(event, 10)
    for _ in range(taken % 10):
        submit(event, 1)
    shown = availability(event)
    assert (shown.state, shown.label, shown.remaining) == (state, label, capacity - taken)


def test_an_event_without_applications_shows_no_state():
    event = make_open_event(application_status=ApplicationStatus.NONE)
    assert availability(event).state == "none"


def test_opening_applications_needs_a_capacity_and_a_deadline():
    from django.core.exceptions import ValidationError

    event = make_open_event()
    event.application_capacity = None
    event.application_deadline = None
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "定員" in str(error.value.message_dict["application_capacity"])
    assert "申込締切" in str(error.value.message_dict["application_deadline"])


def test_accommodation_counts_per_type_count_applications_and_people():
    event = make_open_event(capacity=20)
    submit(event, 2, accommodations=["sign_language", "wheelchair"])
    submit(event, 3, accommodations=["sign_language"])
    submit(event, 1)
    counts = {label: (n, people) for label, n, people in EventApplication.objects.accommodation_counts()}
    assert counts["手話通訳"] == (2, 5)
    assert counts["車椅子席"] == (1, 2)
    assert counts["要約筆記"] == (0, 0)
    assert list(counts) == ["要約筆記", "手話通訳", "車椅子席", "介助者同伴", "託児", "その他"]

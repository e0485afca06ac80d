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
    WaitingReason,
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


def test_applications_are_served_in_order_a_smaller_party_never_overtakes_a_larger_one():
    # The finding: capacity 5 with 4 taken, a party of 2 then a party of 1.
    event = make_open_event(capacity=5)
    submit(event, 2)
    one_place = submit(event, 1)
    another_place = submit(event, 1)
    pair = submit(event, 2, name="二人 組")
    single = submit(event, 1, name="一人 さん")
    assert (pair.status, pair.waiting_reason) == (Status.WAITING, WaitingReason("party_too_large", 1, 2))
    assert (single.status, single.waiting_reason) == (Status.WAITING, WaitingReason("others_waiting"))
    assert availability(event).remaining == 0
    assert promote_after_change(event) == []  # the free place is not given to the party of 1 behind

    one_place.cancel()  # 2 places free: the party of 2 moves up and fills them
    pair.refresh_from_db()
    single.refresh_from_db()
    assert (pair.status, single.status) == (Status.CONFIRMED, Status.WAITING)

    another_place.cancel()
    single.refresh_from_db()
    assert single.status == Status.CONFIRMED
    assert EventApplication.objects.confirmed_places(event) == 5
    promoted = ApplicationEmail.objects.filter(subject__contains="参加が確定しました").order_by("pk")
    assert [message.application for message in promoted] == [pair, single]


def test_a_party_is_never_split():
    event = make_open_event(capacity=3)
    submit(event, 2)
    party = submit(event, 3)
    assert party.status == Status.WAITING
    assert EventApplication.objects.confirmed_places(event) == 2


def test_cancelling_the_first_in_line_lets_the_next_one_move_up():
    event = make_open_event(capacity=5)
    submit(event, 4)
    first_in_line = submit(event, 3)
    next_in_line = submit(event, 1)
    first_in_line.cancel()
    next_in_line.refresh_from_db()
    assert next_in_line.status == Status.CONFIRMED
    assert next_in_line.promoted_at is not None


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


def test_a_waiting_party_that_does_not_fit_holds_its_place_in_line():
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
    # 3 people do not fit in the 2 places freed, and nobody behind them goes first.
    assert [too_big.status, fits.status, later.status] == [Status.WAITING] * 3
    assert EventApplication.objects.confirmed_places(event) == 1
    assert availability(event).state == "full"

    too_big.cancel()  # the head of the line leaves: the next party fits the 2 places and moves up

    fits.refresh_from_db()
    later.refresh_from_db()
    assert fits.status == Status.CONFIRMED
    assert fits.promoted_at is not None
    assert later.status == Status.WAITING
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


def test_a_larger_capacity_moves_up_the_waiting_list_in_order_only():
    event = make_open_event(capacity=4)
    submit(event, 3)
    head = submit(event, 3)
    behind = submit(event, 1)
    event.application_capacity = 5
    event.save_revision().publish()
    head.refresh_from_db()
    behind.refresh_from_db()
    assert (head.status, behind.status) == (Status.WAITING, Status.WAITING)

    event.application_capacity = 7
    event.save_revision().publish()
    head.refresh_from_db()
    behind.refresh_from_db()
    assert (head.status, behind.status) == (Status.CONFIRMED, Status.CONFIRMED)


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


def test_while_anyone_waits_no_place_is_open_to_a_new_applicant():
    event = make_open_event(capacity=10)
    submit(event, 8)
    submit(event, 3)  # waits: 2 places left are fewer than 3
    shown = availability(event)
    assert (shown.state, shown.label, shown.remaining) == ("full", "満席（キャンセル待ち受付中）", 0)
    assert shown.places_left == 2
    assert shown.waiting_reason(1) == WaitingReason("others_waiting")
    assert submit(event, 1).status == Status.WAITING


@pytest.mark.parametrize(
    ("taken", "party_size", "reason", "because"),
    [
        (4, 1, None, None),
        (3, 2, None, None),
        (4, 2, WaitingReason("party_too_large", 1, 2), "残りの席（1人分）がお申込みの参加人数（2人）より少ないため"),
        (5, 1, WaitingReason("full"), "満席のため"),
    ],
)
def test_why_a_party_would_wait(taken, party_size, reason, because):
    event = make_open_event(capacity=5)
    for _ in range(taken):
        submit(event, 1)
    assert availability(event).waiting_reason(party_size) == reason
    if reason:
        assert reason.because == because
        assert submit(event, party_size).waiting_reason == reason


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


def test_the_summary_per_event_counts_people_and_配慮_and_leaves_cancelled_ones_out():
    event = make_open_event(capacity=3)
    other = make_open_event(slug="other")
    submit(event, 2, accommodations=["sign_language", "wheelchair"])
    submit(event, 2, accommodations=["sign_language"])  # waits: one place left for two
    cancelled = submit(event, 1, accommodations=["captioning"])
    cancelled.cancel()
    submit(other, 1, accommodations=["childcare"])

    summaries = EventApplication.objects.filter(event=event).summary_by_event()

    assert list(summaries) == [event.pk]
    summary = summaries[event.pk]
    assert (summary.confirmed_people, summary.waiting_people) == (2, 2)
    assert summary.requested_accommodations() == [("手話通訳", 2), ("車椅子席", 1)]

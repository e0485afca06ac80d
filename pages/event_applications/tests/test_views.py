"""The public steps as a browser posts them: 入力 → 確認 → 完了, the closed page, the cancellation link."""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from pages.models import ApplicationStatus

from ..models import ApplicationEmail, EventApplication, Status
from .factories import form_data, make_open_event, submit

pytestmark = pytest.mark.django_db

APPLY = "/events/forum/apply/"
CONFIRM = APPLY + "confirm/"
COMPLETE = APPLY + "complete/"


@pytest.fixture
def event():
    return make_open_event(capacity=3)


def apply(client, **overrides):
    response = client.post(APPLY, form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.post(CONFIRM, {"action": "submit"})


def cancel_link(application):
    body = ApplicationEmail.objects.filter(application=application).order_by("pk").first().body
    return re.search(r"http://testserver(/events/forum/apply/cancel/[^/\s]+/)", body).group(1)


def test_the_three_steps_make_one_confirmed_application(client, event):
    page = client.get(APPLY).content.decode()
    assert "地域共生フォーラム 参加申込み" in page
    assert 'href="/privacy/"' in page
    assert "受付中" in page

    response = client.post(APPLY, form_data())
    assert response.status_code == 302 and response.url == CONFIRM
    confirm = client.get(CONFIRM).content.decode()
    assert "申込内容の確認" in confirm
    assert "要約筆記、車椅子席" in confirm
    assert "キャンセル待ち" not in confirm
    assert EventApplication.objects.count() == 0  # nothing is saved before 確認

    response = client.post(CONFIRM, {"action": "submit"})
    assert response.url == COMPLETE
    complete = client.get(COMPLETE).content.decode()
    application = EventApplication.objects.get()
    assert application.status == Status.CONFIRMED
    assert f"受付番号：<strong>{application.reference_number}</strong>" in complete
    assert "参加申込みを受け付けました" in complete
    assert application.consented_at is not None
    assert client.get(COMPLETE).status_code == 200  # a reload shows it again
    assert EventApplication.objects.count() == 1


def test_pressing_submit_twice_makes_one_application(client, event):
    client.post(APPLY, form_data())
    client.post(CONFIRM, {"action": "submit"})
    again = client.post(CONFIRM, {"action": "submit"})
    assert again.url == COMPLETE
    assert EventApplication.objects.count() == 1


def test_errors_keep_what_was_typed_and_say_what_to_fix(client, event):
    response = client.post(APPLY, form_data(phone="12", name="土佐 花子"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "入力内容に1件の誤りがあります" in page
    assert 'href="#id_phone"' in page
    assert 'value="土佐 花子"' in page
    assert 'aria-invalid="true"' in page


def test_back_from_confirm_shows_the_form_filled_in(client, event):
    client.post(APPLY, form_data(organisation="高知市社会福祉協議会"))
    response = client.post(CONFIRM, {"action": "back"})
    assert response.url == APPLY
    assert 'value="高知市社会福祉協議会"' in client.get(APPLY).content.decode()


RULE = "お申込み順に受け付けます。参加人数分の席がそろわない場合はキャンセル待ちとなり、順番は入れ替わりません。"


def apply_and_read(client, capture, party_size):
    """(確認 page, 完了 page, the receipt as sent) for one applicant typing `party_size`."""
    client.post(
        APPLY,
        form_data(
            party_size=party_size, email=f"party{party_size}@example.jp", email_confirm=f"party{party_size}@example.jp"
        ),
    )
    confirm = client.get(CONFIRM).content.decode()
    with capture(execute=True):
        client.post(CONFIRM, {"action": "submit"})
    complete = client.get(COMPLETE).content.decode()
    sent = [message for message in mail.outbox if message.to == [f"party{party_size}@example.jp"]]
    assert len(sent) == 1
    return confirm, complete, sent[0]


def test_a_party_larger_than_the_places_left_is_told_why_it_waits(client, event, django_capture_on_commit_callbacks):
    submit(event, 2)  # 1 place left of 3
    form = client.get(APPLY).content.decode()
    assert RULE in form
    assert "残りわずか</span>（残り1人）" in form

    confirm, complete, receipt = apply_and_read(client, django_capture_on_commit_callbacks, "2")
    because = "残りの席（1人分）がお申込みの参加人数（2人）より少ないため"
    assert f"{because}、キャンセル待ちでの受付になります。" in confirm
    assert RULE in confirm
    assert "キャンセル待ちとして受け付けました" in complete
    assert f"{because}、キャンセル待ちで受け付けました。" in complete
    assert "キャンセル待ちで受け付けました" in receipt.subject
    assert f"{because}、キャンセル待ちで受け付けました。" in receipt.body
    assert RULE in receipt.body
    assert EventApplication.objects.get(party_size=2, status=Status.WAITING)


def test_a_later_smaller_party_waits_behind_and_is_told_so(client, event, django_capture_on_commit_callbacks):
    submit(event, 2)
    submit(event, 2)  # waits: 1 place is left, fewer than 2
    page = client.get("/events/forum/").content.decode()
    assert "満席（キャンセル待ち受付中）" in page and "残り1人" not in page
    assert "キャンセル待ちに申し込む" in page and RULE in page

    confirm, complete, receipt = apply_and_read(client, django_capture_on_commit_callbacks, "1")
    because = "先にキャンセル待ちの方がいるため"
    assert f"{because}、キャンセル待ちでの受付になります。" in confirm
    assert f"{because}、キャンセル待ちで受け付けました。" in complete
    assert f"{because}、キャンセル待ちで受け付けました。" in receipt.body
    assert EventApplication.objects.get(party_size=1).status == Status.WAITING


def test_when_full_confirm_and_complete_say_waiting_list(client, event, django_capture_on_commit_callbacks):
    submit(event, 3)
    assert "満席（キャンセル待ち受付中）" in client.get(APPLY).content.decode()
    confirm, complete, receipt = apply_and_read(client, django_capture_on_commit_callbacks, "1")
    assert "キャンセル待ちでの申込みになります" in confirm
    assert "満席のため、キャンセル待ちでの受付になります。" in confirm
    assert "キャンセル待ちとして受け付けました" in complete
    assert "満席のため、キャンセル待ちで受け付けました。" in complete
    assert EventApplication.objects.get(status=Status.WAITING).party_size == 1
    assert "キャンセル待ち" in receipt.subject and "まだ参加は確定していません" in receipt.body
    assert "満席のため、キャンセル待ちで受け付けました。" in receipt.body


def test_a_confirmed_party_hears_nothing_of_the_waiting_list(client, event, django_capture_on_commit_callbacks):
    submit(event, 1)
    confirm, complete, receipt = apply_and_read(client, django_capture_on_commit_callbacks, "2")
    assert 'id="waiting-notice"' not in confirm
    assert "参加申込みを受け付けました" in complete and "キャンセル待ち" not in complete.split("<main", 1)[1]
    assert "参加が確定しました" in receipt.body and "キャンセル待ちで受け付けました" not in receipt.body


@pytest.mark.parametrize(
    "change",
    [
        {"application_status": ApplicationStatus.CLOSED},
        {"application_deadline": timezone.now() - datetime.timedelta(seconds=1)},
    ],
    ids=["closed-by-staff", "deadline-passed"],
)
def test_a_closed_event_shows_a_clear_message_and_no_form(client, event, change):
    type(event).objects.filter(pk=event.pk).update(**change)
    page = client.get(APPLY).content.decode()
    assert "参加申込みの受付は終了しました" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "受付終了" in page


def test_closing_between_confirm_and_submit_saves_nothing(client, event):
    client.post(APPLY, form_data())
    type(event).objects.filter(pk=event.pk).update(application_status=ApplicationStatus.CLOSED)
    response = client.post(CONFIRM, {"action": "submit"})
    assert "参加申込みの受付は終了しました" in response.content.decode()
    assert EventApplication.objects.count() == 0


def test_an_event_that_takes_no_applications_has_no_form(client, event):
    type(event).objects.filter(pk=event.pk).update(application_status=ApplicationStatus.NONE)
    assert client.get(APPLY).status_code == 404
    assert client.get("/events/no-such-event/apply/").status_code == 404


def test_the_steps_are_never_cached(client, event):
    response = client.get(APPLY)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@override_settings(EVENT_APPLICATIONS_RATE_LIMITS={"form": (2, 3600)})
def test_many_posts_from_one_address_are_refused_in_japanese(client, event):
    client.post(APPLY, form_data(phone="1"))
    client.post(APPLY, form_data(phone="1"))
    response = client.post(APPLY, form_data())
    assert response.status_code == 429
    assert "しばらく時間をおいてから" in response.content.decode()


def test_the_event_page_shows_the_state_and_the_link(client, event):
    page = client.get("/events/forum/").content.decode()
    assert "受付中" in page and 'href="/events/forum/apply/"' in page
    submit(event, 3)
    page = client.get("/events/forum/").content.decode()
    assert "満席（キャンセル待ち受付中）" in page and "キャンセル待ちに申し込む" in page
    type(event).objects.filter(pk=event.pk).update(application_status=ApplicationStatus.CLOSED)
    page = client.get("/events/forum/").content.decode()
    assert "受付終了" in page and 'href="/events/forum/apply/"' not in page


def test_the_event_page_says_few_places_left(client):
    event = make_open_event(capacity=10)
    submit(event, 9)
    assert "残りわずか" in client.get("/events/forum/").content.decode()


def event_facts(client, url="/events/forum/"):
    """The event page's facts as a resident reads them: {"定員": "3人", ...}."""
    html = client.get(url).content.decode()
    rows = re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", html, re.S)
    return {term: re.sub(r"<[^>]+>", "", value) for term, value in rows}


def test_the_event_page_shows_the_capacity_the_deadline_in_japan_and_the_places_left(client):
    # 00:30 in Japan is the day before in UTC: the page must say the day residents see on their clock.
    deadline = datetime.datetime(2030, 3, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    event = make_open_event(capacity=20, deadline_in=deadline - timezone.now(), days_ahead=3700)
    submit(event, 3)
    facts = event_facts(client)
    assert facts["定員"] == "20人"
    assert facts["申込締切"] == "令和12年3月1日（金） 0:30"
    assert facts["受付状況"] == "受付中（残り17人）"


def test_the_event_page_and_the_form_say_the_same_places_left(client, event):
    submit(event, 2)
    page, form = event_facts(client), event_facts(client, APPLY)
    assert page["受付状況"] == form["受付状況"] == "残りわずか（残り1人）"
    assert page["定員"] == form["定員"] == "3人"


def test_a_full_event_page_says_full_and_waiting_list_not_a_count(client, event):
    submit(event, 3)
    assert event_facts(client)["受付状況"] == "満席（キャンセル待ち受付中）"


def test_an_event_without_applications_shows_no_capacity(client):
    from pages.tests.factories import make_event, make_event_index, make_home

    make_event(make_event_index(make_home()), "talk", "講演会", timezone.localdate() + datetime.timedelta(days=5))
    facts = event_facts(client, "/events/talk/")
    assert "日時" in facts and "定員" not in facts and "受付状況" not in facts


# The private cancellation link


def test_the_cancel_link_asks_first_then_cancels_on_post_and_moves_up_the_waiting(client, event):
    confirmed = submit(event, 3)
    waiting = submit(event, 2, email="waiting@example.jp")
    link = cancel_link(confirmed)

    page = client.get(link).content.decode()
    assert "申込みをキャンセルする" in page and confirmed.reference_number in page
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED  # a GET (a mail scanner following the link) changes nothing

    response = client.post(link)
    assert response.status_code == 302
    assert "申込みはキャンセルされています" in client.get(link).content.decode()
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert ApplicationEmail.objects.filter(to="waiting@example.jp", subject__contains="参加が確定しました").exists()


def test_a_used_link_posted_again_says_so_without_an_error(client, event):
    link = cancel_link(submit(event))
    client.post(link)
    response = client.post(link)
    assert response.status_code == 200
    assert "申込みはキャンセルされています" in response.content.decode()


@pytest.mark.parametrize("token", ["wrong-token", "x" * 300, "%00", "%E3%81%82", "..%5C"])
def test_a_wrong_link_gets_a_clear_page_not_a_500(client, event, token):
    submit(event)
    for response in (client.get(f"{APPLY}cancel/{token}/"), client.post(f"{APPLY}cancel/{token}/")):
        assert response.status_code == 404
        assert "キャンセル用リンクが無効です" in response.content.decode()


def test_a_mangled_link_with_slashes_is_the_site_not_found_page(client, event):
    assert client.get(f"{APPLY}cancel/..%2F..%2F/").status_code == 404


def test_a_link_for_another_event_does_not_open_the_application(client, event):
    link = cancel_link(submit(event))
    other = link.replace("/forum/", "/other-event/")
    assert client.get(other).status_code == 404


def test_robots_stay_out_of_the_later_steps_and_the_cancel_links_but_may_read_the_form(client):
    body = client.get("/robots.txt").content.decode()
    for step in ("confirm/", "complete/", "cancel/"):
        assert f"Disallow: /events/*/apply/{step}\n" in body
    assert "Disallow: /events/*/apply/\n" not in body

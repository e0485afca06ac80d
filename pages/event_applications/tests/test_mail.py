"""The mails: what each says, that they go through the outbox after commit, and that a failing or
hanging mail server loses nothing and makes no applicant wait."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from ..models import ApplicationEmail, CancelledBy, EventApplication
from ..tasks import send_pending_application_mail
from .factories import form_data, make_open_event, submit

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def test_the_receipt_has_the_reference_number_the_event_and_a_private_cancel_link():
    event = make_open_event(capacity=5)
    applied = submit(event, 2, accommodations=["sign_language"])
    message = ApplicationEmail.objects.get(application=applied)
    assert message.to == "hanako@example.jp"
    assert message.subject == f"【高知家地域共生社会】参加申込みを受け付けました（受付番号 {applied.reference_number}）"
    assert "土佐 花子 様" in message.body
    assert "参加が確定しました" in message.body
    assert "参加人数: 2人" in message.body
    assert "配慮の申出: 手話通訳" in message.body
    assert "地域共生フォーラム" in message.body and "高知県民文化ホール" in message.body
    assert re.search(r"http://testserver/events/forum/apply/cancel/[A-Za-z0-9_-]{43}/", message.body)


def test_the_waiting_list_receipt_says_the_place_is_not_confirmed():
    event = make_open_event(capacity=1)
    submit(event)
    waiting = submit(event)
    message = ApplicationEmail.objects.get(application=waiting)
    assert "キャンセル待ちで受け付けました" in message.subject
    assert "まだ参加は確定していません" in message.body


def test_promotion_cancellation_and_staff_removal_each_send_their_mail():
    event = make_open_event(capacity=1)
    first = submit(event)
    second = submit(event)
    first.cancel()
    second.refresh_from_db()
    second.cancel(by=CancelledBy.STAFF)
    subjects = list(ApplicationEmail.objects.order_by("pk").values_list("subject", flat=True))
    assert any("参加申込みをキャンセルしました" in s for s in subjects)
    assert any("参加が確定しました" in s for s in subjects)
    assert any("取消しのお知らせ" in s for s in subjects)
    promoted = ApplicationEmail.objects.get(application=second, subject__contains="参加が確定しました")
    assert "席が空いたため参加が確定しました" in promoted.body


def test_a_name_with_control_characters_stored_earlier_cannot_forge_mail_lines():
    event = make_open_event()
    applied = submit(event, name="悪意\n件名: 偽物\x1b[2J")
    body = ApplicationEmail.objects.get(application=applied).body
    assert "\x1b" not in body
    assert "\n件名: 偽物" not in body


def test_mail_is_sent_after_commit_by_the_task(client, django_capture_on_commit_callbacks):
    make_open_event()
    client.post("/events/forum/apply/", form_data())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/events/forum/apply/confirm/", {"action": "submit"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanako@example.jp"]
    assert ApplicationEmail.objects.get().sent_at is not None


@override_settings(EMAIL_BACKEND="pages.event_applications.tests.test_mail.HangingBackend")
def test_a_hanging_mail_server_loses_nothing_and_the_application_is_made(client, django_capture_on_commit_callbacks):
    make_open_event()
    client.post("/events/forum/apply/", form_data())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/events/forum/apply/confirm/", {"action": "submit"})
    assert response.status_code == 302
    assert EventApplication.objects.count() == 1
    row = ApplicationEmail.objects.get()
    assert row.sent_at is None and "TimeoutError" in row.last_error
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        ApplicationEmail.objects.filter(pk=row.pk).update(created_at=row.created_at.replace(year=2020))
        assert send_pending_application_mail.call() == {"sent": 1, "failed": 0}


class HangingBackend:
    """A mail server that accepts the connection and never answers: EMAIL_TIMEOUT ends the wait."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise TimeoutError("timed out")


def test_unsent_mail_shows_in_health_and_the_command_sends_it():
    import datetime

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from ..health import check_outbox

    make_open_event()
    with override_settings(EMAIL_BACKEND="pages.event_applications.tests.test_mail.HangingBackend"):
        submit(make_open_event(slug="second"))
        row = ApplicationEmail.objects.get()
        row.send()
        ApplicationEmail.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
        assert check_outbox() == (False, "1 unsent")
        with pytest.raises(CommandError):
            call_command("send_pending_event_mail", stdout=open("/dev/null", "w"))
    call_command("send_pending_event_mail", stdout=open("/dev/null", "w"))
    assert check_outbox() == (True, "0 unsent")
    assert len(mail.outbox) == 1


# Issue 23, item 3: a 配慮 request reaches staff at once, and again the day before.


def staff_mail(**filters):
    return ApplicationEmail.objects.filter(subject__contains="配慮の申出", **filters)


def make_contact(**fields):
    from wagtail.models import Site

    from pages.models import ContactSettings

    values = {
        "department": "地域福祉政策課",
        "postal_code": "780-8570",
        "address": "高知市",
        "email": "kyosei@example.jp",
        "notice_email": "notice@example.jp",
        "phone_lines": [{"type": "phone", "value": {"label": "地域共生社会室", "number": "088-823-9840"}}],
        "event_mail_line": "地域共生社会室",
        **fields,
    }
    return ContactSettings.objects.create(site=Site.objects.get(is_default_site=True), **values)


def test_a_sign_language_request_sends_staff_a_notice_with_what_they_need_and_nothing_more():
    event = make_open_event(capacity=5)
    make_contact()
    applied = submit(
        event, 2, accommodations=["sign_language", "wheelchair"], accommodation_details="前方の席を希望します"
    )
    notice = staff_mail().get()
    assert notice.to == "notice@example.jp"
    assert notice.application == applied
    assert "手話通訳、車椅子席" in notice.subject and "地域共生フォーラム" in notice.subject
    assert applied.reference_number in notice.subject
    assert "令和" in notice.subject  # the event's date, in era style
    assert "配慮の申出: 手話通訳、車椅子席" in notice.body
    assert "申出の詳しい内容: 前方の席を希望します" in notice.body
    assert "参加人数: 2人" in notice.body
    assert f"http://testserver/admin/event-applications/{applied.pk}/" in notice.body
    assert f"http://testserver/admin/event-applications/?event={event.pk}" in notice.body
    # Staff open the admin for who applied: the mail carries no name, address or phone number of theirs.
    for private in ("土佐 花子", "hanako@example.jp", "088-823-9097"):
        assert private not in notice.body


def test_the_events_own_address_takes_the_notice_before_the_sites():
    event = make_open_event(application_notice_email="gyoji@example.jp")
    make_contact()
    submit(event, accommodations=["captioning"])
    assert list(staff_mail().values_list("to", flat=True)) == ["gyoji@example.jp"]


def test_without_a_notice_address_the_contact_email_gets_it():
    event = make_open_event()
    make_contact(notice_email="")
    submit(event, accommodations=["captioning"])
    assert list(staff_mail().values_list("to", flat=True)) == ["kyosei@example.jp"]


def test_an_application_without_accommodations_sends_staff_nothing():
    event = make_open_event()
    make_contact()
    submit(event)
    assert not staff_mail().exists()
    assert ApplicationEmail.objects.count() == 1  # the receipt


def test_the_staff_notice_is_sent_after_commit_only(django_capture_on_commit_callbacks):
    event = make_open_event()
    make_contact()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(event, accommodations=["sign_language"])
    assert [m.to for m in mail.outbox] == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["hanako@example.jp", "notice@example.jp"]


def test_every_mail_to_the_applicant_names_one_contact():
    event = make_open_event()
    make_contact(
        phone_lines=[
            {"type": "phone", "value": {"label": "地域福祉推進担当", "number": "088-823-9090"}},
            {"type": "phone", "value": {"label": "地域共生社会室", "number": "088-823-9840"}},
        ]
    )
    applied = submit(event)
    body = ApplicationEmail.objects.get(application=applied).body
    assert "地域福祉政策課 地域共生社会室\n電話 088-823-9840" in body
    assert "088-823-9090" not in body

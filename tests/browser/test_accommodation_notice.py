"""A 配慮 request made through the public form reaches staff at once (issue 23, item 3): in Chromium, to the
last button, against the production middleware; the mail is sent as the worker sends it after commit
(the test settings run tasks at once) and read from Django's test mailbox."""

import pytest
from django.core import mail
from django.core.management import call_command

from pages.event_applications.models import ApplicationEmail, EventApplication
from pages.models import EventPage
from tests.accessibility.scenarios import (
    EVENT_APPLY,
    fill_event_application,
    open_event_for_applications,
    submitted_reference_number,
)

pytestmark = pytest.mark.browser

STAFF = "gyoji-tanto@example.jp"


def test_a_sign_language_request_through_the_form_sends_staff_a_mail(page, site_url):
    event = open_event_for_applications(capacity=30, questions=False)
    EventPage.objects.filter(pk=event.pk).update(application_notice_email=STAFF)
    mail.outbox.clear()

    page.goto(site_url + EVENT_APPLY)
    fill_event_application(page, accommodation_details="ステージに近い席を希望します")  # 要約筆記 and 手話通訳
    page.get_by_label("車椅子席").check()
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_url("**/apply/confirm/")
    page.get_by_role("button", name="この内容で申し込む").click()
    page.wait_for_url("**/apply/complete/")
    reference = submitted_reference_number(page)

    application = EventApplication.objects.get(reference_number=reference)
    [notice] = [message for message in mail.outbox if message.to == [STAFF]]
    assert "要約筆記、手話通訳、車椅子席" in notice.subject
    assert reference in notice.subject and event.title in notice.subject
    assert "申出の詳しい内容: ステージに近い席を希望します" in notice.body
    assert f"/admin/event-applications/{application.pk}/" in notice.body
    assert "見本 花子" not in notice.body and application.email not in notice.body
    assert ApplicationEmail.objects.get(to=STAFF).sent_at is not None
    # The applicant got the receipt as before, and nothing of the staff notice.
    [receipt] = [message for message in mail.outbox if message.to == [application.email]]
    assert "配慮の申出: 要約筆記、手話通訳、車椅子席" in receipt.body
    assert "/admin/" not in receipt.body
    call_command("send_pending_event_mail", verbosity=0)  # nothing left unsent, nothing sent twice
    assert len([message for message in mail.outbox if message.to == [STAFF]]) == 1

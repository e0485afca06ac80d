"""Event applications in Debian's Chromium, to the last button, against the production middleware:
apply (入力 → 確認 → 完了), cancel through the private link from the receipt, and a waiting-list
application moved up when a place opens; axe-core on every page of the way."""

import re

import pytest

from pages.event_applications.models import ApplicationEmail, EventApplication, Status
from tests.accessibility.scenarios import (
    EVENT_APPLY,
    cancel_link_for,
    fill_event_application,
    open_event_for_applications,
    submitted_reference_number,
)

pytestmark = pytest.mark.browser


def apply_in_browser(page, site_url, axe=None, **text):
    page.goto(site_url + EVENT_APPLY)
    if axe:
        axe(page)
    fill_event_application(page, **text)
    page.get_by_label("当日、手話での質問を希望しますか").fill("はい、希望します")
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_url("**/apply/confirm/")
    if axe:
        axe(page)
    return page


def submit_in_browser(page):
    page.get_by_role("button", name="この内容で申し込む").click()
    page.wait_for_url("**/apply/complete/")
    return submitted_reference_number(page)


def test_apply_to_the_last_button_then_cancel_through_the_link(page, site_url, axe):
    event = open_event_for_applications(capacity=30)
    page.goto(site_url + event.url)
    assert page.locator(".event-details .application-state").inner_text() == "受付中"
    page.get_by_role("link", name="参加を申し込む").click()
    page.wait_for_url("**" + EVENT_APPLY)

    # A mistake first: the summary links to the field, and what was typed is kept.
    page.get_by_role("button", name="確認画面へ進む").click()
    assert "入力内容に" in page.locator(".error-summary").inner_text()
    axe(page)

    apply_in_browser(page, site_url, axe)
    confirm = page.locator("main").inner_text()
    assert "見本 花子" in confirm and "要約筆記、手話通訳" in confirm and "はい、希望します" in confirm
    reference = submit_in_browser(page)
    assert page.locator("h1").inner_text() == "参加申込みを受け付けました"
    axe(page)

    application = EventApplication.objects.get(reference_number=reference)
    assert application.status == Status.CONFIRMED
    assert application.accommodations == ["captioning", "sign_language"]
    assert application.answers[0]["answer"] == "はい、希望します"

    page.goto(site_url + cancel_link_for(reference))
    assert page.locator("h1").inner_text() == "参加申込みのキャンセル"
    axe(page)
    page.get_by_role("button", name="申込みをキャンセルする").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "申込みはキャンセルされています"
    axe(page)
    application.refresh_from_db()
    assert application.status == Status.CANCELLED

    response = page.goto(site_url + "/events/festa-2023/apply/cancel/not-a-real-token/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "キャンセル用リンクが無効です"
    axe(page)
    page.wait_for_load_state("networkidle")


def test_a_waiting_list_application_is_moved_up_when_a_place_opens(page, site_url, browser, axe):
    event = open_event_for_applications(capacity=2)
    EventApplication.objects.filter(event=event).delete()

    first = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo").new_page()
    try:
        apply_in_browser(first, site_url, email="first@example.jp", email_confirm="first@example.jp")
        first_reference = submit_in_browser(first)
    finally:
        first.context.close()

    page.goto(site_url + event.url)
    assert "満席（キャンセル待ち受付中）" in page.locator(".event-details").inner_text()
    page.get_by_role("link", name="キャンセル待ちに申し込む").click()
    page.wait_for_url("**" + EVENT_APPLY)
    apply_in_browser(page, site_url, name="待機 次郎", email="waiting@example.jp", email_confirm="waiting@example.jp")
    notice = page.locator("#waiting-notice").inner_text()
    assert "キャンセル待ちでの申込みになります" in notice
    assert "満席のため、キャンセル待ちでの受付になります。" in notice
    assert "お申込み順に受け付けます。" in notice
    axe(page)
    waiting_reference = submit_in_browser(page)
    assert page.locator("h1").inner_text() == "キャンセル待ちとして受け付けました"
    assert "満席のため、キャンセル待ちで受け付けました。" in page.locator("main").inner_text()
    axe(page)
    assert EventApplication.objects.get(reference_number=waiting_reference).status == Status.WAITING

    page.goto(site_url + cancel_link_for(first_reference))
    page.get_by_role("button", name="申込みをキャンセルする").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "申込みはキャンセルされています"

    assert EventApplication.objects.get(reference_number=waiting_reference).status == Status.CONFIRMED
    promoted = ApplicationEmail.objects.get(to="waiting@example.jp", subject__contains="参加が確定しました")
    assert re.search(r"待機 次郎 様", promoted.body)
    page.goto(site_url + event.url)
    assert "満席（キャンセル待ち受付中）" in page.locator(".event-details").inner_text()
    page.wait_for_load_state("networkidle")


def test_a_closed_event_says_so_with_no_form(page, site_url, axe):
    event = open_event_for_applications()
    type(event).objects.filter(pk=event.pk).update(application_status="closed")
    try:
        page.goto(site_url + event.url)
        assert "受付終了" in page.locator(".event-details").inner_text()
        page.goto(site_url + EVENT_APPLY)
        assert page.locator("h1").inner_text() == "参加申込みの受付は終了しました"
        assert page.locator("main form").count() == 0
        axe(page)
    finally:
        open_event_for_applications()

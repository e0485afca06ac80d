"""The whole path in Debian's Chromium: an applicant completes the form with the keyboard alone, a
reviewer logs in to the admin and approves it, and it appears on the public register."""

import re

import pytest

from declarations.models import Declaration, Status
from declarations.tests.factories import make_declaration, make_moderator
from tests.browser.staff import log_in_to_admin

pytestmark = pytest.mark.browser

ORGANISATION = "株式会社キーボード商事"
MAX_TABS = 80


def focused_matches(page, selector):
    return page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector)


def tab_to(page, selector):
    """Press Tab until the element matching `selector` has focus: it must be reachable in tab order."""
    for _ in range(MAX_TABS):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {MAX_TABS} presses of Tab on {page.url}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_option(page, selector, downs):
    """A closed <select> with focus: each ArrowDown moves to the next option, as keyboard users do."""
    tab_to(page, selector)
    for _ in range(downs):
        page.keyboard.press("ArrowDown")


def check_box(page, selector):
    tab_to(page, selector)
    page.keyboard.press("Space")
    assert page.is_checked(selector)


def apply_with_keyboard_only(page, site_url):
    page.goto(site_url + "/declarations/apply/")
    type_into(page, "#id_name", ORGANISATION)
    type_into(page, "#id_name_kana", "キーボードショウジ")
    choose_option(page, "#id_organisation_type", 1)  # 企業
    choose_option(page, "#id_industry", 7)  # G 情報通信業
    choose_option(page, "#id_municipality", 1)  # 高知市
    type_into(page, "#id_representative_title", "代表取締役")
    type_into(page, "#id_representative_name", "鍵 打子")
    type_into(page, "#id_website", "https://keyboard.example.jp/")
    check_box(page, "#id_areas_0")
    check_box(page, "#id_areas_2")
    type_into(page, "#id_content", "社員みんなで地域の見守りと声かけに取り組みます。")
    type_into(page, "#id_postal_code", "７８１－０１１２")
    type_into(page, "#id_address", "高知市仁井田9-8-7")
    type_into(page, "#id_contact_department", "キーボード総務課")
    type_into(page, "#id_contact_name", "入力 太郎")
    type_into(page, "#id_phone", "088-111-2222")
    type_into(page, "#id_email", "taro@keyboard.example.jp")
    type_into(page, "#id_email_confirm", "taro@keyboard.example.jp")
    check_box(page, "#id_agree_privacy")
    check_box(page, "#id_agree_publication")
    check_box(page, "#id_pledge_not_antisocial")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/declarations/apply/confirm/")
    assert page.locator("h1").inner_text() == "申請内容の確認"
    assert ORGANISATION in page.content()
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/declarations/apply/complete/")
    reference = re.search(r"受付番号：(\S+)", page.locator(".reference-number").inner_text()).group(1)
    return reference


def test_an_application_typed_with_the_keyboard_is_approved_and_appears_on_the_register(page, site_url, browser):
    reference = apply_with_keyboard_only(page, site_url)

    declaration = Declaration.objects.get(reference_number=reference)
    assert declaration.status == Status.PENDING
    assert declaration.name_kana == "きーぼーどしょうじ"
    assert declaration.postal_code == "781-0112"
    assert declaration.areas.count() == 2

    reviewer = make_moderator("browser-reviewer")
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    admin = context.new_page()
    try:
        log_in_to_admin(admin, site_url, reviewer)
        assert "審査待ちの推進宣言" in admin.content()
        admin.goto(site_url + "/admin/declarations/")
        admin.get_by_role("link", name=ORGANISATION).click()
        admin.wait_for_url(f"{site_url}/admin/declarations/{declaration.pk}/")
        assert "入力 太郎" in admin.content()  # the private contact, shown to the reviewer
        admin.get_by_role("link", name="承認する").click()
        admin.wait_for_url(f"{site_url}/admin/declarations/{declaration.pk}/approve/")
        admin.get_by_role("button", name="承認する").click()
        admin.wait_for_url(site_url + "/admin/declarations/")
        assert f"「{ORGANISATION}」を承認し、一覧に掲載しました。" in admin.content()
        # Let the admin's own background requests finish before the database is reset for the next module.
        admin.wait_for_load_state("networkidle")
    finally:
        context.close()

    page.goto(site_url + "/declarations/?q=キーボード")
    link = page.get_by_role("link", name=ORGANISATION)
    assert link.count() == 1
    link.click()
    assert page.locator("h1").inner_text().strip() == ORGANISATION
    content = page.content()
    assert "社員みんなで地域の見守りと声かけに取り組みます。" in content
    for private in ["入力 太郎", "taro@keyboard.example.jp", "088-111-2222", "781-0112", "キーボード総務課"]:
        assert private not in content
    page.wait_for_load_state("networkidle")


def test_the_correction_page_and_its_error_pages_pass_axe(page, site_url, axe):
    declaration = make_declaration(name="株式会社アクセシブル", reference_number="KS-AXE0-0001")
    token = declaration.request_changes(by=make_moderator("browser-axe"), message="ふりがなをご確認ください。")

    page.goto(f"{site_url}/declarations/correction/{token}/")
    assert page.locator("h1").inner_text() == "推進宣言の申請内容の修正"
    axe(page)

    response = page.goto(f"{site_url}/declarations/correction/not-a-real-token/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "修正用リンクが無効です"
    axe(page)
    page.wait_for_load_state("networkidle")

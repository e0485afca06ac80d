"""A published declarant's own pages in Debian's Chromium, under the production middleware: the 宣言書
downloaded from the link in the approval mail, a 変更申請 approved by a reviewer in the admin (second
factor and all) and seen on the public page, and a withdrawal that takes the entry off the register."""

import re
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from declarations.models import ChangeRequest, Declaration, OutboundEmail, Status
from declarations.tests.factories import make_declaration, make_moderator
from tests.browser.staff import log_in_to_admin

from .applicant import apply_through_the_form

pytestmark = pytest.mark.browser


def owner_path_from_mail(declaration, link="manage"):
    """The path of the private link in the approval mail the site wrote and sent to the declarant."""
    email = OutboundEmail.objects.filter(declaration=declaration, to=declaration.email).latest("created_at")
    assert email.sent_at is not None
    pattern = r"https?://\S+/declarations/manage/[\w-]+/" + ("certificate/" if link == "certificate" else "")
    return urlsplit(re.search(pattern + r"(?=\s)", email.body).group(0)).path


def staff_tab(browser, site_url, username):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    admin = context.new_page()
    log_in_to_admin(admin, site_url, make_moderator(username))
    return context, admin


def published_declaration(name, content):
    declaration = make_declaration(name=name, content=content, email="soumu@declarant.example.jp")
    token = declaration.approve(by=make_moderator(f"approver-{Declaration.objects.count()}"))
    return declaration, token


def test_the_certificate_downloads_from_the_link_in_the_approval_mail(page, site_url, browser, axe, tmp_path):
    name = "株式会社しょうめい舎"
    reference = apply_through_the_form(page, site_url, name, "地域の見守りに参加します。", "kakari@shomei.example.jp")
    declaration = Declaration.objects.get(reference_number=reference)

    context, admin = staff_tab(browser, site_url, "certificate-reviewer")
    try:
        admin.goto(f"{site_url}/admin/declarations/{declaration.pk}/")
        admin.get_by_role("link", name="承認する", exact=True).click()
        admin.get_by_role("button", name="承認する", exact=True).click()
        admin.wait_for_url(site_url + "/admin/declarations/")
        admin.wait_for_load_state("networkidle")
    finally:
        context.close()

    declaration.refresh_from_db()
    response = page.goto(site_url + owner_path_from_mail(declaration))
    assert response.headers["referrer-policy"] == "same-origin"
    expect(page.locator("h1")).to_have_text("推進宣言の宣言書・掲載内容の変更")
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="宣言書をダウンロード（PDF）").click()
    saved = tmp_path / "sengensho.pdf"
    download_info.value.save_as(saved)
    assert download_info.value.suggested_filename == f"推進宣言書_{reference}.pdf"
    text = "".join(subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True).stdout.split())
    assert "高知家地域共生社会推進宣言書" in text
    assert name in text
    from core.era import format_date

    assert format_date(declaration.declared_on) in text


def test_a_change_request_is_approved_by_a_reviewer_and_shown_on_the_public_page(page, site_url, browser, axe):
    old, new = "清掃活動に参加します。", "清掃活動と、高齢の方への声かけに参加します。"
    declaration, token = published_declaration("株式会社かわる工房", old)

    page.goto(f"{site_url}/declarations/manage/{token}/")
    page.get_by_role("link", name="掲載内容の変更を申請する").click()
    expect(page.locator("h1")).to_have_text("掲載内容の変更申請")
    axe(page)
    # A mistake first: the message is tied to the field and what was typed stays.
    page.fill("#id_name", "")
    page.fill("#id_content", new)
    page.get_by_role("button", name="変更を申請する").click()
    expect(page.locator("#error-summary")).to_contain_text("企業・団体名を入力してください。")
    expect(page.locator("#id_content")).to_have_value(new)
    axe(page)
    page.fill("#id_name", "株式会社かわる工房")
    origins = []
    page.on("request", lambda request: request.method == "POST" and origins.append(request.headers.get("origin")))
    page.get_by_role("button", name="変更を申請する").click()
    page.wait_for_url("**/declarations/manage/done/")
    assert origins == [site_url]
    expect(page.locator("h1")).to_have_text("変更申請を受け付けました")
    axe(page)
    page.goto(f"{site_url}/declarations/{declaration.pk}/")
    expect(page.locator("main")).to_contain_text(old)
    expect(page.locator("main")).not_to_contain_text(new)

    context, admin = staff_tab(browser, site_url, "change-reviewer")
    try:
        admin.goto(f"{site_url}/admin/declarations/")
        expect(admin.locator("main")).to_contain_text("掲載中（変更申請）")
        admin.goto(f"{site_url}/admin/declarations/{declaration.pk}/")
        changes = admin.get_by_role("region", name="変更申請（宣言企業・団体からの申請）")
        expect(changes).to_contain_text(old)
        expect(changes).to_contain_text(new)
        admin.get_by_role("link", name="変更を承認する", exact=True).click()
        admin.get_by_role("button", name="変更を承認する", exact=True).click()
        admin.wait_for_url(site_url + "/admin/declarations/")
        expect(admin.locator("body")).to_contain_text(
            "「株式会社かわる工房」の変更申請を承認し、掲載内容を変更しました。"
        )
        admin.wait_for_load_state("networkidle")
    finally:
        context.close()

    assert ChangeRequest.objects.get(declaration=declaration).status == "approved"
    page.goto(f"{site_url}/declarations/{declaration.pk}/")
    expect(page.locator("main")).to_contain_text(new)


def test_a_withdrawal_takes_the_entry_off_the_register(page, site_url, axe):
    name = "株式会社さよなら商店"
    declaration, token = published_declaration(name, "商店街の見守りに参加します。")
    page.goto(f"{site_url}/declarations/")
    expect(page.locator("main")).to_contain_text(name)

    page.goto(f"{site_url}/declarations/manage/{token}/")
    page.get_by_role("link", name="掲載を取り下げる").click()
    expect(page.locator("h1")).to_have_text("掲載の取り下げ")
    axe(page)
    page.get_by_role("button", name="掲載を取り下げる").click()
    expect(page.locator("#error-summary")).to_contain_text("確認のチェックを入れてください")
    page.fill("#id_reason", "事業を終了するため")
    page.get_by_label("掲載を取り下げることを確認しました").check()
    page.get_by_role("button", name="掲載を取り下げる").click()
    page.wait_for_url("**/declarations/manage/done/")
    expect(page.locator("h1")).to_have_text("掲載を取り下げました")
    axe(page)

    declaration.refresh_from_db()
    assert declaration.status == Status.WITHDRAWN
    page.goto(f"{site_url}/declarations/")
    expect(page.locator("main")).not_to_contain_text(name)
    response = page.goto(f"{site_url}/declarations/{declaration.pk}/")
    assert response.status == 410
    expect(page.locator("h1")).to_have_text("この宣言企業・団体の掲載は取り下げられました")
    axe(page)
    page.goto(f"{site_url}/search/?q=さよなら商店")
    expect(page.locator("main")).not_to_contain_text(name)
    response = page.goto(f"{site_url}/declarations/manage/{token}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("このリンクは使えません")

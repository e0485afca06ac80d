"""Public forms completed in Chromium to their last button, under the production middleware and headers:
a refused CSRF check and what the applicant sees then, and the header's site search.

The application form (test_declaration_flow), the correction form and the admin login
(test_correction_flow) are completed in their own modules.
"""

import re

import pytest
from playwright.sync_api import expect

from declarations.models import Declaration

from .applicant import apply_through_the_form, fill_application

pytestmark = pytest.mark.browser

ORGANISATION = "株式会社のこる商事"


def test_a_refused_submit_shows_the_sites_page_and_the_application_is_kept(page, site_url, axe):
    fill_application(page, site_url, ORGANISATION, "地域の見守りに取り組みます。", "hanako@nokoru.example.jp")
    # The CSRF cookie is lost between 確認 and 申請 (cookies cleared, or blocked for this site).
    page.context.clear_cookies(name="csrftoken")

    with page.expect_response("**/declarations/apply/confirm/") as sent:
        page.locator("button[value=submit]").click()

    assert sent.value.status == 403
    expect(page.locator("h1")).to_have_text("送信できませんでした")
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.locator(".site-footer .contact")).to_contain_text("地域福祉政策課")
    expect(page.locator("main")).to_contain_text("クッキー（Cookie）を有効に")
    expect(page.locator("main")).to_contain_text("申請の入力内容は、保存されています")
    axe(page)
    assert not Declaration.objects.filter(name=ORGANISATION).exists()

    page.get_by_role("link", name="前の画面に戻る").click()
    page.wait_for_url("**/declarations/apply/confirm/")
    expect(page.locator("main")).to_contain_text(ORGANISATION)
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/declarations/apply/complete/")
    assert Declaration.objects.filter(name=ORGANISATION).count() == 1
    page.wait_for_load_state("networkidle")


def test_the_pages_send_the_production_security_headers(page, site_url):
    response = page.goto(site_url + "/declarations/apply/")
    headers = response.headers
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    # The application form still completes under them: its posts carry this site's Origin.
    origins = []
    page.on("request", lambda request: request.method == "POST" and origins.append(request.headers.get("origin")))
    apply_through_the_form(page, site_url, "株式会社みだし商会", "声かけに取り組みます。", "info@midashi.example.jp")
    assert origins and set(origins) == {site_url}
    page.wait_for_load_state("networkidle")


def test_the_header_search_finds_japanese_words_from_any_page(page, site_url):
    page.goto(site_url + "/declarations/")
    box = page.get_by_role("search", name="サイト内検索").get_by_role("searchbox")
    box.fill("あったかふれあいセンター")
    page.get_by_role("search", name="サイト内検索").get_by_role("button", name="検索").click()

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("status")).to_contain_text("検索結果")
    expect(page.locator(".search-result").first).to_contain_text("あったかふれあいセンター")
    page.wait_for_load_state("networkidle")

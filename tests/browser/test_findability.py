"""Residents find what they came for (issue 22, items 1-3), in Chromium under the production middleware:
the centre directory from the main menu, the application form from a search for 申込み, 髙知 and 社協 in
the register's keyword box and the site search alike, and staff tuning the search in the admin."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.staff import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

# Where the screenshots go for a person to look at (not committed).
SHOTS = Path(os.environ.get("FINDABILITY_SCREENSHOTS", "/tmp/findability-screenshots"))


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_resident_reaches_the_centres_from_the_menu_and_the_site_map(page, site_url, axe):
    page.goto(site_url + "/")
    menu = page.get_by_role("navigation", name="メインメニュー")
    shoot(page, "menu-1280")

    menu.get_by_role("link", name="あったかふれあいセンター").click()

    expect(page).to_have_url(site_url + "/centres/")
    expect(page.get_by_role("heading", level=1)).to_have_text("あったかふれあいセンター")
    current = page.get_by_role("navigation", name="メインメニュー").locator('[aria-current="page"]')
    expect(current).to_have_text("あったかふれあいセンター")
    axe(page)

    page.goto(site_url + "/sitemap/")
    axe(page)
    page.get_by_role("main").get_by_role("link", name="あったかふれあいセンター", exact=True).click()
    expect(page).to_have_url(site_url + "/centres/")


def test_a_search_for_moshikomi_lands_on_the_application_form(page, site_url, axe):
    page.goto(site_url + "/")
    box = page.get_by_role("search").get_by_label("サイト内検索")
    box.fill("申込み")
    box.press("Enter")

    expect(page.get_by_role("heading", name="おすすめ")).to_be_visible()
    best_bets = page.locator(".best-bet")
    expect(best_bets.first.locator(".search-result__kind")).to_have_text("おすすめ")
    expect(best_bets.first.get_by_role("link")).to_have_text("推進宣言の申請フォーム")
    # The form and the pages explaining it are results of their own too, not only pinned: the application's
    # guide, whose title says 申込み, then the form.
    results = page.locator(".search-result .card__title")
    expect(results.nth(0)).to_have_text("推進宣言の申込みの手引き（見本）")
    expect(results.nth(1)).to_have_text("推進宣言の申請フォーム")
    axe(page)
    shoot(page, "search-moshikomi-1280")
    page.set_viewport_size({"width": 375, "height": 812})
    shoot(page, "search-moshikomi-375")

    best_bets.first.get_by_role("link").click()

    expect(page).to_have_url(site_url + "/declarations/apply/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("申請")


def test_a_search_for_suishin_sengen_puts_the_explanation_and_the_form_before_the_register(page, site_url):
    page.goto(site_url + "/search/?q=推進宣言")

    pinned = page.locator(".best-bet .card__title")
    expect(pinned).to_have_text(["推進宣言の申請フォーム", "高知家地域共生社会推進宣言"])
    kinds = page.locator(".search-result__kind").all_inner_texts()
    assert "宣言企業・団体" not in kinds[:4]


def register_count(page, site_url, query):
    """How many entries the register's keyword box finds for `query`, typed as a person does."""
    page.goto(site_url + "/declarations/")
    page.get_by_label("キーワード").fill(query)
    page.get_by_role("button", name="この条件で表示する").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("件を表示")
    return int(re.search(r"全(\d+)件", status.inner_text()).group(1))


@pytest.mark.parametrize(("query", "written"), [("髙知", "高知"), ("社協", "社会福祉協議会")])
def test_the_register_and_the_site_search_find_variant_kanji_and_short_forms(page, site_url, query, written):
    # The founding declarants write 高知 and 社会福祉協議会: 髙知 and 社協 find every one of them.
    found = register_count(page, site_url, query)
    assert found > 30
    assert found == register_count(page, site_url, written)

    box = page.get_by_role("search", name="サイト内検索").get_by_label("サイト内検索")
    box.fill(query)
    box.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("の検索結果")
    expect(page.locator(".search-result mark").first).to_contain_text(written)


def test_staff_add_a_synonym_and_a_best_bet_and_the_search_follows(browser, page, site_url, axe):
    user = get_user_model().objects.create_superuser("search-tuner", "tuner@example.jp", PASSWORD)
    page.goto(site_url + "/search/?q=ふれセン")
    expect(page.get_by_role("status")).to_contain_text("見つかりませんでした")

    admin = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP").new_page()
    log_in_to_admin(admin, site_url, user)
    admin.goto(site_url + "/admin/search-synonyms/new/")
    admin.locator("#id_term").fill("ふれセン")
    admin.locator("#id_alternatives").fill("あったかふれあいセンター")
    admin.locator("#id_two_way").uncheck()
    admin.get_by_role("button", name="作成", exact=True).click()
    expect(admin.locator(".messages")).to_contain_text("作成")

    admin.goto(site_url + "/admin/best-bets/new/")
    admin.locator("#id_queries").fill("ふれセン\nボランティア")
    admin.locator("#id_url").fill("/centres/")
    admin.locator("#id_title").fill("あったかふれあいセンターの一覧")
    admin.locator("#id_description").fill("県内のセンターを市町村やサービスで探せます。")
    admin.get_by_role("button", name="作成", exact=True).click()
    expect(admin.locator(".messages")).to_contain_text("作成")
    admin.context.close()

    page.goto(site_url + "/search/?q=ふれセン")
    expect(page.get_by_role("status")).to_contain_text("の検索結果")
    expect(page.locator(".search-result mark").first).to_have_text("あったかふれあいセンター")
    best_bet = page.locator(".best-bet")
    expect(best_bet.get_by_role("link")).to_have_text("あったかふれあいセンターの一覧")
    axe(page)
    best_bet.get_by_role("link").click()
    expect(page).to_have_url(site_url + "/centres/")

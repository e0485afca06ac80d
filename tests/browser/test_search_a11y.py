"""The search page in Chromium: usable by keyboard and screen reader, readable on a 320 px phone,
and free of axe-core WCAG A/AA violations with results, pagination and no results."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_by_keyboard_keeps_the_query_and_marks_the_match(page, site_url):
    page.goto(site_url + "/search/")
    box = page.get_by_label("検索することば")
    expect(box).to_have_attribute("type", "search")
    box.focus()
    page.keyboard.type("ｾﾝﾀｰ")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("status")).to_contain_text("検索結果")
    expect(page.get_by_label("検索することば")).to_have_value("ｾﾝﾀｰ")
    expect(page.locator(".search-result mark").first).to_have_text("センター")


def test_results_with_pagination_pass_axe_on_a_phone(page, site_url, axe):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + "/search/?q=共生&page=2")
    expect(page.get_by_role("navigation", name="検索結果のページ")).to_be_visible()
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe(page)


def test_no_results_page_offers_next_steps_and_passes_axe(page, site_url, axe):
    page.goto(site_url + "/search/?q=共生 存在しないことば")
    expect(page.get_by_role("status")).to_contain_text("見つかりませんでした")
    page.get_by_role("link", name=re.compile("「共生」だけで検索")).click()
    expect(page.get_by_label("検索することば")).to_have_value("共生")
    expect(page.get_by_role("status")).to_contain_text("検索結果")
    axe(page)


def test_narrowing_by_kind_keeps_the_kind_across_pages_and_passes_axe(page, site_url, axe):
    page.goto(site_url + "/search/?q=共生")
    kinds = page.get_by_role("navigation", name="種類で絞り込む")
    expect(kinds.get_by_role("link", name=re.compile("^すべて"))).to_have_attribute("aria-current", "true")
    # The CMS's own pages, documents and events come before the founding declarants.
    expect(page.locator(".search-result__kind").first).not_to_have_text("宣言企業・団体")
    axe(page)

    kinds.get_by_role("link", name=re.compile("^宣言企業・団体（\\d+件）")).click()

    expect(page).to_have_url(re.compile(r"kind=declaration"))
    chosen = page.get_by_role("navigation", name="種類で絞り込む").locator('[aria-current="true"]')
    expect(chosen).to_have_text(re.compile("^宣言企業・団体"))
    expect(page.locator(".search-result__kind")).to_have_text(["宣言企業・団体"] * 20)
    axe(page)

    page.get_by_role("navigation", name="検索結果のページ").get_by_role("link", name="次へ").click()
    expect(page).to_have_url(re.compile(r"kind=declaration.*page=2"))
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")
    assert set(page.locator(".search-result__kind").all_inner_texts()) == {"宣言企業・団体"}
    axe(page)

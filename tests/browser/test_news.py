"""A resident reads the articles: from /news/ to an article and on to the next one in its series, by
keyboard alone, and narrows the list with the filter form (its button pressed, as a browser sends it)."""

import re

import pytest

from tests.browser.test_keyboard import tab_to

pytestmark = pytest.mark.browser

VOL_1 = "（見本）地域の居場所づくりの取り組み"
VOL_2_FIRST = "（見本）見守りのネットワークづくり（前編）"
VOL_2_SECOND = "（見本）見守りのネットワークづくり（後編）"


def follow_with_keyboard(page, selector):
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_resident_reads_the_news_then_the_next_article_in_its_series_by_keyboard(page, site_url, axe):
    page.goto(site_url + "/news/")
    assert page.locator("main h1").inner_text() == "お知らせ・取組紹介"
    titles = page.locator("main .article-summary__title").all_inner_texts()
    assert titles[0] == "（見本）お知らせ記事の見本"  # newest 掲載日 first
    assert VOL_1 in titles

    follow_with_keyboard(page, 'main .article-summary a[href="/news/sample-initiatives-vol-1/"]')
    assert page.locator("main h1").inner_text() == VOL_1
    assert "取組紹介 Vol.1" in page.locator("main .article__labels").inner_text()
    assert page.locator("main .article__dates").inner_text().replace("\n", "") == "掲載日令和7年12月10日"
    axe(page)

    follow_with_keyboard(page, "main .series-nav__next a")
    assert page.locator("main h1").inner_text() == VOL_2_FIRST
    assert "取組紹介 Vol.2 前編" in page.locator("main .article__labels").inner_text()
    previous = page.locator("main .series-nav__previous a")
    assert previous.inner_text().replace("\n", " ") == f"前の記事 取組紹介 Vol.1「{VOL_1}」"

    # The other half of the volume, announced as such.
    follow_with_keyboard(page, "main .series-nav__parts a")
    assert page.locator("main h1").inner_text() == VOL_2_SECOND
    assert page.locator("main .series-nav__parts a").inner_text() == f"前編「{VOL_2_FIRST}」を読む"

    # And back to the list.
    follow_with_keyboard(page, "main .back-link a")
    assert page.url == site_url + "/news/"


def test_the_filter_form_narrows_the_list_and_keeps_the_choice(page, site_url):
    page.goto(site_url + "/news/")
    page.get_by_label("分類").select_option(label="取組紹介")
    page.get_by_label("掲載年").select_option(label="2026年（令和8年）")
    page.get_by_role("button", name="この条件で表示する").click()
    page.wait_for_load_state()

    assert re.search(r"category=initiatives", page.url) and re.search(r"year=2026", page.url)
    assert page.locator("main .article-summary__title").all_inner_texts() == [VOL_2_SECOND, VOL_2_FIRST]
    assert page.locator("main .result-count").inner_text().startswith("分類：取組紹介、掲載年：2026年（令和8年）の記事")
    assert page.get_by_label("分類").input_value() == "initiatives"
    assert page.get_by_label("掲載年").input_value() == "2026"

    page.get_by_role("link", name="条件をすべて解除する").click()
    page.wait_for_load_state()
    assert page.locator("main .article-summary").count() >= 5


def test_a_tag_link_lists_the_articles_with_that_tag_and_a_category_keeps_it(page, site_url):
    page.goto(site_url + "/news/sample-initiatives-vol-2-first/")
    page.locator("main .tag-list a", has_text="見守り").click()
    page.wait_for_load_state()
    assert "タグ「見守り」の付いた記事です。" in page.locator("main").inner_text()
    assert sorted(page.locator("main .article-summary__title").all_inner_texts()) == sorted([VOL_2_FIRST, VOL_2_SECOND])

    page.get_by_label("分類").select_option(label="お知らせ")
    page.get_by_role("button", name="この条件で表示する").click()
    page.wait_for_load_state()
    assert "tag=" in page.url
    assert "条件に当てはまる記事はありません。" in page.locator("main .result-count").inner_text()


def test_a_bad_link_shows_a_message_and_the_list(page, site_url):
    response = page.goto(site_url + "/news/?year=abc&page=99")
    assert response.status == 200
    text = page.locator("main").inner_text()
    assert "指定された掲載年（abc）の記事はありません。" in text
    assert "指定されたページ（99）はありません。1ページ目を表示しています。" in text
    assert page.locator("main .article-summary").count() >= 5


def test_the_home_page_shows_the_newest_articles(page, site_url):
    page.goto(site_url + "/")
    section = page.locator("main .latest-articles")
    assert section.locator("h2").inner_text() == "新着情報"
    assert section.locator(".article-summary").count() == 5
    section.get_by_role("link", name="お知らせ・取組紹介の一覧").click()
    page.wait_for_load_state()
    assert page.url == site_url + "/news/"

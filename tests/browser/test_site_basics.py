"""The basics of a Japanese public site in Chromium, under the production middleware: the feedback box
completed to its last button, breadcrumbs named by their heading, 「ページの先頭へ」 by keyboard, the
site map, and what a printout keeps."""

import re

import pytest
from playwright.sync_api import expect

from pages.feedback.models import COMMENT_MAX_LENGTH, Feedback

pytestmark = pytest.mark.browser

COMMENT = "行事の日程がひと目でわかり、助かりました。"


def test_a_resident_sends_feedback_with_a_comment_and_is_thanked(page, site_url, axe):
    page.goto(site_url + "/training/")
    box = page.get_by_role("region", name="このページの情報は役に立ちましたか")
    expect(box).to_contain_text("個人情報は書かないでください")
    expect(box).to_contain_text(f"{COMMENT_MAX_LENGTH}文字以内")
    axe(page)

    origins = []
    page.on("request", lambda request: request.method == "POST" and origins.append(request.headers.get("origin")))
    box.get_by_label("役に立った", exact=True).check()
    box.get_by_label("ご意見（任意）").fill(COMMENT)
    box.get_by_role("button", name="送信する").click()

    expect(page.locator("h1")).to_have_text("ご意見ありがとうございました")
    expect(page.locator("main")).to_contain_text(
        "「気づいてつなぐ高知家地域共生社会研修」のページへのご意見を受け付けました"
    )
    expect(page.get_by_role("navigation", name="現在位置")).to_contain_text("ご意見ありがとうございました")
    assert origins == [site_url]
    feedback = Feedback.objects.get(comment=COMMENT)
    assert (feedback.rating, feedback.page_url) == ("helpful", "/training/")
    axe(page)

    page.get_by_role("link", name=re.compile("のページへ戻る")).click()
    expect(page).to_have_url(site_url + "/training/")


def test_a_resident_who_forgets_the_rating_is_told_and_keeps_the_comment(page, site_url, axe):
    page.goto(site_url + "/symbol-mark/")
    page.get_by_label("ご意見（任意）").fill(COMMENT)
    page.get_by_role("button", name="送信する").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("入力内容に1件の誤りがあります")
    expect(page.get_by_label("ご意見（任意）")).to_have_value(COMMENT)
    axe(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("役に立った", exact=True)).to_be_focused()

    page.keyboard.press("ArrowRight")  # by keyboard, as a radio group is used
    expect(page.get_by_label("どちらともいえない")).to_be_checked()
    page.get_by_role("button", name="送信する").click()
    expect(page.locator("h1")).to_have_text("ご意見ありがとうございました")
    assert Feedback.objects.filter(comment=COMMENT, rating="neutral", page_url="/symbol-mark/").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/declaration/",
        "/events/",
        "/privacy/",
        "/declarations/",
        "/declarations/apply/",
        "/search/?q=共生",
        "/sitemap/",
        "/no-such-page/",
    ],
)
def test_breadcrumbs_are_a_navigation_named_by_their_heading(page, site_url, path):
    page.goto(site_url + path)

    nav = page.get_by_role("navigation", name="現在位置")
    expect(nav).to_have_count(1)
    heading_id = nav.get_attribute("aria-labelledby")
    expect(page.locator(f"#{heading_id}")).to_have_text("現在位置")
    items = nav.locator("li")
    expect(items.first.get_by_role("link")).to_have_text("トップページ")
    expect(items.last.locator('[aria-current="page"]')).to_have_count(1)
    expect(nav.locator('[aria-current="page"]')).to_have_count(1)


def test_back_to_the_top_by_keyboard(page, site_url):
    page.set_viewport_size({"width": 375, "height": 640})
    page.goto(site_url + "/declaration/")
    link = page.get_by_role("link", name="ページの先頭へ")
    expect(link).to_be_visible()

    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim() === 'ページの先頭へ'"):
            break
    else:
        raise AssertionError("「ページの先頭へ」 never received focus by Tab")
    assert page.evaluate("() => window.scrollY") > 0
    page.keyboard.press("Enter")

    page.wait_for_function("() => window.scrollY === 0")
    page.keyboard.press("Tab")  # the next Tab starts again from the top of the page
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "本文へ移動"


def test_the_site_map_lists_the_pages_and_the_register(page, site_url, axe):
    page.goto(site_url + "/")
    page.locator("footer").get_by_role("link", name="サイトマップ").click()

    expect(page.locator("h1")).to_have_text("サイトマップ")
    tree = page.locator("main .site-map__tree")
    expect(tree.get_by_role("link", name="パンフレット等")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name="宣言企業・団体一覧", exact=True)).to_be_visible()
    axe(page)


def test_a_printout_keeps_the_content_and_the_addresses_of_other_sites(page, site_url):
    page.goto(site_url + "/declaration/")
    page.evaluate(
        """() => {
            const link = document.createElement('a');
            link.href = 'https://www.pref.kochi.lg.jp/';
            link.textContent = '高知県';
            link.id = 'outside';
            document.querySelector('main article').append(link);
        }"""
    )
    page.emulate_media(media="print")

    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".feedback")).to_be_hidden()
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator(".site-footer__links")).to_be_hidden()
    expect(page.locator(".site-footer .contact")).to_be_visible()
    after = page.evaluate("() => getComputedStyle(document.querySelector('#outside'), '::after').content")
    assert "https://www.pref.kochi.lg.jp/" in after
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]

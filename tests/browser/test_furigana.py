"""The ふりがな view in Chromium (issue 24): the switch on and off, readings of the site's names, screen
readers hearing each word once, axe and the W3C checker on its pages, a search sent from inside it, and a
staff correction made in the admin showing on the page."""

from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core import page_cache
from pages.furigana.models import ReadingCorrection

from .applicant import fill_application
from .staff import PASSWORD
from .test_html_validity import VNU_JAR, document_html, goto, vnu_errors

pytestmark = pytest.mark.browser


def reading_of(page, word):
    """The readings shown over `word` wherever it is a ruby's base on the page."""
    return page.locator("ruby").evaluate_all(
        """(rubies, word) => rubies
            .filter(ruby => ruby.firstChild && ruby.firstChild.textContent === word)
            .map(ruby => ruby.querySelector('rt').textContent)""",
        word,
    )


def test_furigana_on_and_off(page, site_url, axe):
    page.goto(site_url + "/about/")
    assert page.locator("ruby").count() == 0
    page.get_by_role("link", name="ふりがなをつける").click()
    page.wait_for_url(site_url + "/furigana/about/")
    assert set(reading_of(page, "高知")) == {"こうち"}
    # The menu stays in the view: the register lists the municipalities.
    page.locator('.main-nav a[href="/furigana/declarations/"]').click()
    page.wait_for_url(site_url + "/furigana/declarations/")
    page.goto(site_url + "/furigana/declarations/?q=四万十")
    assert set(reading_of(page, "四万十")) == {"しまんと"}
    axe(page)

    page.get_by_role("link", name="ふりがなをはずす").click()
    page.wait_for_url(lambda url: unquote(url) == site_url + "/declarations/?q=四万十")
    assert page.locator("ruby").count() == 0
    assert page.get_by_role("link", name="ふりがなをつける").count() == 1


def test_screen_readers_hear_each_word_once(page, site_url):
    page.goto(site_url + "/furigana/about/")
    heading = page.get_by_role("heading", level=1)
    assert heading.locator("rt").count() > 0
    # The accessibility tree holds the words, never their readings.
    assert heading.aria_snapshot() == '- heading "高知型地域共生社会とは" [level=1]'
    assert heading.locator("rt").first.is_visible()
    tree = page.locator("main").aria_snapshot()
    assert tree.count("高知型地域共生社会とは") == 1
    assert "こうちがた" not in tree
    assert "ちいき" not in tree
    # The site's name in the header is a link whose name is the word alone.
    assert page.get_by_role("link", name="高知家地域共生社会", exact=True).count() == 1


def test_the_furigana_pages_have_no_axe_violation_and_are_valid_html(page, site_url, axe, tmp_path):
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci`"
    files = []
    for name, path in (("home", "/furigana/"), ("about", "/furigana/about/"), ("centres", "/furigana/centres/")):
        status, html = document_html(page, goto(path), site_url)
        assert status == 200, f"{path} answered {status}"
        assert "<ruby>" in html
        axe(page)
        file = tmp_path / f"furigana-{name}.html"
        file.write_text(html, encoding="utf-8")
        files.append(file)
    assert vnu_errors(files) == {}


def test_a_search_sent_from_the_view_stays_in_it(page, site_url):
    page.goto(site_url + "/furigana/about/")
    page.get_by_role("search").get_by_label("サイト内検索").fill("あったかふれあいセンター")
    page.get_by_role("search").get_by_role("button", name="検索").click()
    page.wait_for_url("**/furigana/search/?q=*")
    assert page.locator("main ruby").count() > 0
    assert page.get_by_role("link", name="ふりがなをはずす").count() == 1


def test_a_correction_staff_add_in_the_admin_shows_on_the_page(page, site_url, browser, settings):
    settings.PAGE_CACHE_ENABLED = True
    page_cache.clear_local()
    # A resident's view of the page is stored before the correction.
    visitor = browser.new_context(locale="ja-JP")
    try:
        resident = visitor.new_page()
        for _ in range(2):
            resident.goto(site_url + "/furigana/about/")
        assert resident.goto(site_url + "/furigana/about/").headers["x-page-cache"] == "hit"
        assert set(reading_of(resident, "共生")) == {"きょうせい"}

        editor = get_user_model().objects.create_user("henshu-furigana", "henshu-furigana@example.jp", PASSWORD)
        editor.groups.add(Group.objects.get(name="編集者"))  # editors sign in without the second factor
        page.goto(site_url + "/admin/login/")
        page.get_by_label("ユーザー名").fill("henshu-furigana")
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(site_url + "/admin/")

        page.goto(site_url + "/admin/furigana-corrections/new/")
        # A reading in katakana is refused with a message saying what to type.
        page.get_by_label("ことば").fill("共生")
        page.get_by_label("よみ").fill("トモイキ")
        page.get_by_role("button", name="作成").click()
        expect(page.get_by_text("よみはひらがなで入力してください")).to_have_count(1)
        assert not ReadingCorrection.objects.filter(word="共生").exists()

        page.get_by_label("よみ").fill("ともいき")
        page.get_by_role("button", name="作成").click()
        page.wait_for_url(site_url + "/admin/furigana-corrections/")
        assert ReadingCorrection.objects.get(word="共生").reading == "ともいき"

        response = resident.goto(site_url + "/furigana/about/")
        assert response.headers["x-page-cache"] == "miss"
        assert set(reading_of(resident, "共生")) == {"ともいき"}
    finally:
        visitor.close()


def test_an_organisation_applies_through_the_form_inside_the_view(page, site_url):
    from declarations.models import Declaration, Status

    name = "株式会社ふりがな確認商店"
    fill_application(
        page, site_url + "/furigana", name, "ふりがなの画面からも申請できることを確かめます。", "f@example.jp"
    )
    assert page.url == site_url + "/furigana/declarations/apply/confirm/"
    assert page.locator("main ruby").count() > 0
    page.locator("button[value=submit]").click()
    page.wait_for_url(site_url + "/furigana/declarations/apply/complete/")
    assert page.get_by_role("link", name="ふりがなをはずす").count() == 1
    assert Declaration.objects.get(name=name).status == Status.PENDING

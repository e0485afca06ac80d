"""Languages in Chromium (issue 24): a resident moves between 日本語, English and やさしい にほんご with the
switcher on every translated page type and back, each page says its language (`lang`, `hreflang`), the
words around the content follow it, and the English and やさしい日本語 pages pass axe and the W3C checker."""

import re

import pytest
from playwright.sync_api import expect

from pages.feedback.models import Feedback
from tests.browser.test_html_validity import VNU_JAR, document_html, vnu_errors

pytestmark = pytest.mark.browser

# The translated pages the initial content seeds (pages/data/translations.toml), one of each page type.
TRANSLATED = ["/", "/about/", "/declaration/"]
PREFIXES = {"en": "/en", "ja-x-easy": "/easy"}


def switcher(page):
    # Named in the page's own language: 言語, Language, ことば.
    return page.locator("nav.language-switcher")


def alternates(page):
    links = page.locator('head link[rel="alternate"][hreflang]')
    return {links.nth(i).get_attribute("hreflang"): links.nth(i).get_attribute("href") for i in range(links.count())}


def test_a_resident_goes_from_japanese_to_english_and_back_on_the_concept_page(page, site_url, axe):
    page.goto(site_url + "/about/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("高知型地域共生社会とは")

    english = switcher(page).get_by_role("link", name="English")
    expect(english).to_have_attribute("lang", "en")
    english.click()
    expect(page).to_have_url(site_url + "/en/about/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("What Kochi-style community symbiosis is")
    # The words around the content are English too, and the dates as English writes them.
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(1)
    expect(page.get_by_role("navigation", name="You are here")).to_contain_text("Home")
    expect(page.locator(".page-dates")).to_contain_text("9 November 2023")
    expect(page.get_by_role("navigation", name="Language").locator("[aria-current=page]")).to_have_text("English")
    axe(page)

    japanese = page.get_by_role("navigation", name="Language").get_by_role("link", name="日本語")
    expect(japanese).to_have_attribute("lang", "ja")
    japanese.click()
    expect(page).to_have_url(site_url + "/about/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("高知型地域共生社会とは")


@pytest.mark.parametrize("path", TRANSLATED)
@pytest.mark.parametrize("language", ["en", "ja-x-easy"])
def test_every_translated_page_type_switches_language_and_back(page, site_url, path, language):
    page.goto(site_url + path)
    japanese_title = page.locator("h1").inner_text()
    name = {"en": "English", "ja-x-easy": "やさしい にほんご"}[language]
    switcher(page).get_by_role("link", name=name).click()
    expect(page).to_have_url(site_url + PREFIXES[language] + path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_contain_text("(sample)" if language == "en" else "（見本）")

    hreflangs = alternates(page)
    assert set(hreflangs) == {"en", "ja-x-easy", "ja", "x-default"}
    assert hreflangs["en"].endswith("/en" + path)
    assert hreflangs["ja-x-easy"].endswith("/easy" + path)
    assert hreflangs["ja"].endswith(path) and hreflangs["x-default"] == hreflangs["ja"]

    switcher(page).get_by_role("link", name="日本語").click()
    expect(page).to_have_url(site_url + path)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text(japanese_title)


def test_a_page_not_translated_offers_no_other_language(page, site_url):
    page.goto(site_url + "/symbol-mark/")
    expect(switcher(page)).to_have_count(0)
    assert alternates(page) == {}
    response = page.goto(site_url + "/en/symbol-mark/")
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Page not found")


def test_easy_japanese_names_its_words_simply_and_marks_its_dates_in_the_western_year(page, site_url, axe):
    page.goto(site_url + "/easy/about/")
    expect(page.locator("html")).to_have_attribute("lang", "ja-x-easy")
    expect(page.get_by_role("navigation", name="ことば").locator("[aria-current=page]")).to_have_text(
        "やさしい にほんご"
    )
    expect(page.locator(".page-dates")).to_contain_text("2023年11月9日")
    axe(page)


def test_the_feedback_box_on_an_english_page_is_sent_recorded_and_answered_in_english(page, site_url, axe):
    page.goto(site_url + "/en/declaration/")
    box = page.get_by_role("region", name="Was the information on this page useful?")
    box.get_by_label(re.compile("^Comments")).fill("Clear, thank you.")
    box.get_by_role("button", name="Send").click()
    # No rating: explained in English, the comment kept.
    expect(page.locator(".error-summary")).to_contain_text("There is 1 error in what you entered")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    box = page.get_by_role("region", name="Was the information on this page useful?")
    expect(box.get_by_label(re.compile("^Comments"))).to_have_value("Clear, thank you.")
    axe(page)
    box.get_by_label("Useful", exact=True).check()
    box.get_by_role("button", name="Send").click()
    expect(page.locator("h1")).to_have_text("Thank you for your comments")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)
    page.get_by_role("main").get_by_role("link", name=re.compile("^Back to “")).click()
    assert page.url == site_url + "/en/declaration/"
    feedback = Feedback.objects.get(comment="Clear, thank you.")
    assert (feedback.rating, feedback.page_url) == ("helpful", "/en/declaration/")


ACCESSIBILITY_PAGES = ["/en/", "/en/about/", "/en/declaration/", "/easy/", "/easy/about/", "/easy/declaration/"]


@pytest.mark.parametrize("path", ACCESSIBILITY_PAGES)
def test_english_and_easy_japanese_pages_pass_axe(page, site_url, axe, path):
    page.goto(site_url + path)
    axe(page)


def test_english_and_easy_japanese_pages_are_valid_html(page, site_url, tmp_path):
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci`"
    files = []
    for path in [*ACCESSIBILITY_PAGES, "/en/no-such-page/", "/easy/no-such-page/"]:
        status, html = document_html(page, lambda page, base, path=path: page.goto(base + path), site_url)
        assert status == (404 if "no-such-page" in path else 200), path
        file = tmp_path / (path.strip("/").replace("/", "-") + ".html")
        file.write_text(html, encoding="utf-8")
        files.append(file)
    errors = vnu_errors(files)
    assert not errors, "The W3C Nu checker found errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items()
    )

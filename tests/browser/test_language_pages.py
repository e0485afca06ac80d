"""The application's guide, the site search, the site map and the error pages in English and やさしい日本語
(issue 24), in Chromium: a resident switches language on each and back and lands on the same page, searches
from an English page's header and reads the results page in English, and every one of these pages passes
axe and the W3C checker. (The home, concept and 推進宣言 pages: tests/browser/test_languages.py.)"""

import re
from urllib.parse import quote

import pytest
from django.template import loader
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.test_html_validity import VNU_JAR, document_html, vnu_errors
from tests.browser.test_languages import PREFIXES, alternates, switcher

pytestmark = pytest.mark.browser

NAMES = {"en": "English", "ja-x-easy": "やさしい にほんご"}
QUERY = quote("共生")

# Each view in Japanese, and what its heading says in each language.
VIEWS = {
    "guide": (
        "/declaration/guide/",
        {
            "ja": "推進宣言の申込みの手引き（見本）",
            "en": "How to apply for the declaration (sample)",
            "ja-x-easy": "推進宣言の 申し込みかた（見本）",
        },
    ),
    "search": (
        f"/search/?q={QUERY}",
        {"ja": "サイト内検索", "en": "Search this site", "ja-x-easy": "このサイトの なかを さがす"},
    ),
    "site map": ("/sitemap/", {"ja": "サイトマップ", "en": "Site map", "ja-x-easy": "サイトマップ"}),
}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("language", ["en", "ja-x-easy"])
def test_the_guide_the_search_and_the_site_map_switch_language_and_back(page, site_url, view, language):
    path, headings = VIEWS[view]
    page.goto(site_url + path)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text(headings["ja"])

    switcher(page).get_by_role("link", name=NAMES[language]).click()
    expect(page).to_have_url(site_url + PREFIXES[language] + path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(headings[language])
    expect(switcher(page).locator("[aria-current=page]")).to_have_text(NAMES[language])

    # The alternates name the address without the query, as the canonical link does.
    address = path.split("?")[0]
    hreflangs = alternates(page)
    assert set(hreflangs) == {"en", "ja-x-easy", "ja", "x-default"}
    assert hreflangs["en"].endswith("/en" + address)
    assert hreflangs["ja-x-easy"].endswith("/easy" + address)
    assert hreflangs["ja"].endswith(address) and hreflangs["x-default"] == hreflangs["ja"]

    switcher(page).get_by_role("link", name="日本語").click()
    expect(page).to_have_url(site_url + path)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text(headings["ja"])


def test_the_guide_is_reached_from_the_declaration_page_and_leads_to_the_form(page, site_url):
    page.goto(site_url + "/declaration/")
    page.get_by_role("navigation", name=re.compile("関連ページ")).get_by_role("link", name=re.compile("手引き")).click()
    expect(page).to_have_url(site_url + "/declaration/guide/")
    for heading in ("申し込める企業・団体", "準備するもの", "申請から掲載までの流れ", "かかる期間", "お問い合わせ先"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_have_count(1)
    expect(page.get_by_role("heading", level=3)).to_have_count(4)
    page.get_by_role("link", name="申請フォームへ進む").click()
    expect(page).to_have_url(site_url + "/declarations/apply/")

    # The English guide sits below the English declaration page, as the Japanese one does.
    page.goto(site_url + "/en/declaration/")
    page.get_by_role("link", name="How to apply for the declaration (sample)").click()
    expect(page).to_have_url(site_url + "/en/declaration/guide/")
    expect(page.get_by_role("link", name="Apply to declare (in Japanese)")).to_have_attribute(
        "href", "/declarations/apply/"
    )


def test_a_search_from_an_english_pages_header_is_answered_in_english(page, site_url):
    page.goto(site_url + "/en/about/")
    page.get_by_role("search", name="Search this site").get_by_label("Search this site").fill("共生")
    page.get_by_role("search", name="Search this site").get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(re.escape(site_url + "/en/search/?q=") + ".+"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Results for “共生”: [\d,]+ results?"))
    expect(page.get_by_role("navigation", name="Filter by kind")).to_contain_text("All (")
    # What was found is in Japanese, and marked so.
    first = page.locator("main .search-result .card__title a").first
    expect(first).to_have_attribute("lang", "ja")
    expect(page.locator("main .search-result__kind").first).to_have_text(re.compile(r"^[A-Z][a-z]"))
    expect(page.get_by_role("link", name="site map", exact=True)).to_have_attribute("href", "/en/sitemap/")

    page.get_by_label("Words to search for").fill("どこにもないことば")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("Nothing was found for “どこにもないことば”.")
    expect(page.get_by_role("heading", name="Search tips")).to_have_count(1)
    # The pages it suggests are this language's.
    expect(page.get_by_role("link", name="What Kochi-style community symbiosis is (sample)")).to_have_attribute(
        "href", "/en/about/"
    )


def test_the_english_site_map_lists_the_english_pages_and_leads_to_them(page, site_url):
    page.goto(site_url + "/en/")
    page.get_by_role("contentinfo").get_by_role("link", name="Site map").click()
    expect(page).to_have_url(site_url + "/en/sitemap/")
    tree = page.locator("main .site-map__tree")
    for title in (
        "What Kochi-style community symbiosis is (sample)",
        "Kochi-ke Community Symbiosis Declaration (sample)",
        "How to apply for the declaration (sample)",
    ):
        expect(tree.get_by_role("link", name=title)).to_have_count(1)
    # A page with no English version is not offered.
    expect(tree).not_to_contain_text("シンボルマーク")
    tree.get_by_role("link", name="How to apply for the declaration (sample)").click()
    expect(page).to_have_url(site_url + "/en/declaration/guide/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def fulfilled(page, site_url, path, html, status):
    """Serve `html` at `path` of the live site in this tab: the error pages the live server cannot be made to
    answer (500, 413, 400…) get the site's real stylesheet for axe's contrast checks."""
    page.route(site_url + path, lambda route: route.fulfill(status=status, body=html, content_type="text/html"))
    page.goto(site_url + path)


# The error pages that render without a request: (template, status, context).
STATIC_ERRORS = [
    ("400.html", 400, {}),
    ("403.html", 403, {}),
    ("405.html", 405, {"method": "TRACE", "allowed": "GET, HEAD, OPTIONS, POST"}),
    ("408.html", 408, {}),
    ("413.html", 413, {"limit": "20MB"}),
    ("500.html", 500, {"discarded": True}),
]


def static_error_page(template, language, context):
    with translation.override(language):
        return loader.get_template(template).render(context)


@pytest.mark.parametrize("language", ["en", "ja-x-easy"])
def test_the_error_pages_in_english_and_easy_japanese_pass_axe(page, site_url, axe, language):
    prefix = PREFIXES[language]
    for template, status, context in STATIC_ERRORS:
        html = static_error_page(template, language, context)
        fulfilled(page, site_url, f"{prefix}/error-{status}/", html, status)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("link", name=re.compile("Skip to main content|ほんぶんへ いどう"))).to_have_count(1)
        axe(page)

    # The CSRF failure page, as a browser without the cookie meets it.
    csrf_refused(page, site_url, prefix)
    expect(page.locator("html")).to_have_attribute("lang", language)
    axe(page)


def csrf_refused(page, base_url, prefix):
    """Send a form to the search of `prefix`'s language without the CSRF cookie: the CSRF failure page."""
    page.context.clear_cookies()
    page.goto(base_url + prefix + "/sitemap/")
    with page.expect_navigation():
        page.evaluate(
            """(action) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                document.body.append(form);
                form.submit();
            }""",
            prefix + "/search/",
        )


ACCESSIBILITY_PAGES = [
    "/en/declaration/guide/",
    "/easy/declaration/guide/",
    f"/en/search/?q={QUERY}",
    f"/easy/search/?q={QUERY}",
    "/en/search/",
    f"/en/search/?q={quote('どこにもないことば')}",
    f"/easy/search/?q={quote('どこにもないことば')}",
    "/en/sitemap/",
    "/easy/sitemap/",
]


@pytest.mark.parametrize("path", ACCESSIBILITY_PAGES)
def test_the_guide_the_search_and_the_site_map_pass_axe(page, site_url, axe, path):
    page.goto(site_url + path)
    axe(page)


def test_the_guide_the_search_the_site_map_and_the_error_pages_are_valid_html(page, site_url, tmp_path):
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci`"
    files = []

    def keep(name, html):
        file = tmp_path / (re.sub(r"[^\w-]+", "-", name).strip("-") + ".html")
        file.write_text(html, encoding="utf-8")
        files.append(file)

    for path in ACCESSIBILITY_PAGES:
        status, html = document_html(page, lambda page, base, path=path: page.goto(base + path), site_url)
        assert status == 200, path
        keep(path, html)
    for language in ("en", "ja-x-easy"):
        for template, _status, context in STATIC_ERRORS:
            keep(f"{language}-{template}", static_error_page(template, language, context))
        status, html = document_html(
            page, lambda page, base, language=language: csrf_refused(page, base, PREFIXES[language]), site_url
        )
        assert status == 403
        keep(f"{language}-csrf", html)
    errors = vnu_errors(files)
    assert not errors, "The W3C Nu checker found errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items()
    )

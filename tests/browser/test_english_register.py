"""The register and the centre directory in English, in Chromium (issue 24): a resident goes from the
Japanese register to the English one with the language switcher, filters it, opens an entry and switches
back; the English register, an entry, the directory and a centre pass axe and the W3C checker."""

import re

import pytest
from playwright.sync_api import expect

from declarations.models import Declaration
from tests.browser.test_html_validity import VNU_JAR, document_html, vnu_errors

pytestmark = pytest.mark.browser


def switcher(page):
    return page.locator("nav.language-switcher")


def alternates(page):
    links = page.locator('head link[rel="alternate"][hreflang]')
    return {links.nth(i).get_attribute("hreflang"): links.nth(i).get_attribute("href") for i in range(links.count())}


def test_a_resident_reads_the_register_in_english_filters_it_opens_an_entry_and_goes_back_to_japanese(
    page, site_url, axe
):
    page.goto(site_url + "/declarations/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("宣言企業・団体一覧")
    # Only the languages the register is in: no やさしい にほんご here.
    expect(switcher(page).get_by_role("link")).to_have_count(1)

    english = switcher(page).get_by_role("link", name="English")
    expect(english).to_have_attribute("lang", "en")
    english.click()
    expect(page).to_have_url(site_url + "/en/declarations/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Register of declarants")
    expect(page.get_by_role("navigation", name="Language").locator("[aria-current=page]")).to_have_text("English")
    hreflangs = alternates(page)
    assert set(hreflangs) == {"en", "ja", "x-default"}
    assert hreflangs["en"].endswith("/en/declarations/") and hreflangs["ja"].endswith("/declarations/")
    axe(page)

    search = page.get_by_role("search", name="Search the register")
    search.get_by_label("Municipality").select_option(label="四万十市")
    search.get_by_label("Type").select_option(label="Social welfare council")
    search.get_by_role("button", name="Show results").click()

    expect(page).to_have_url(re.compile(r"/en/declarations/\?.*type=social_welfare_council.*#results$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Showing 1 to 1 of 1 entry")
    expect(search.get_by_label("Type").locator("option:checked")).to_have_text("Social welfare council")
    entry = page.locator("table.register-table--entries tbody").get_by_role("link", name="四万十市社会福祉協議会")
    expect(entry).to_have_attribute("lang", "ja")
    axe(page)

    entry.click()
    declaration = Declaration.objects.get(name="四万十市社会福祉協議会")
    expect(page).to_have_url(f"{site_url}/en/declarations/{declaration.pk}/")
    expect(page.locator("h1")).to_have_text("四万十市社会福祉協議会")
    expect(page.locator("h1")).to_have_attribute("lang", "ja")
    details = page.locator("dl.details")
    expect(details).to_contain_text("Date of declaration")
    expect(details).to_contain_text("30 October 2022")
    expect(details).to_contain_text("Social welfare council")
    expect(page.get_by_role("navigation", name="You are here")).to_contain_text("Register of declarants")
    axe(page)

    japanese = page.get_by_role("navigation", name="Language").get_by_role("link", name="日本語")
    expect(japanese).to_have_attribute("lang", "ja")
    japanese.click()
    expect(page).to_have_url(f"{site_url}/declarations/{declaration.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("四万十市社会福祉協議会")
    expect(page.locator("dl.details")).to_contain_text("令和4年10月30日")


def test_the_switcher_keeps_the_registers_filters(page, site_url):
    page.goto(site_url + "/declarations/")
    page.get_by_label("種別").select_option(label="社会福祉協議会")
    page.get_by_role("button", name="この条件で表示する").click()
    switcher(page).get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/declarations/\?.*type=social_welfare_council"))
    expect(page.get_by_label("Type").locator("option:checked")).to_have_text("Social welfare council")
    expect(page.get_by_role("status")).to_have_text("Showing 1 to 20 of 35 entries")


def test_a_resident_finds_a_centre_in_english_and_goes_back_to_japanese(page, site_url, axe):
    page.goto(site_url + "/centres/")
    switcher(page).get_by_role("link", name="English").click()
    expect(page).to_have_url(site_url + "/en/centres/")
    expect(page.locator("h1")).to_have_text("Attaka Fureai Centres")

    page.get_by_label("Municipality").select_option(label="高知市")
    page.get_by_role("button", name="Show results").click()
    expect(page).to_have_url(re.compile(r"/en/centres/\?municipality=.+#results$"))
    expect(page.get_by_role("status")).to_contain_text("Centres in 高知市: 2")
    axe(page)

    page.get_by_role("link", name="（見本）あったかふれあいセンターみほん中央", exact=True).click()
    expect(page).to_have_url(site_url + "/en/centres/sample-02/")
    expect(page.locator("h1")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", name="Accessibility")).to_be_visible()
    axe(page)

    page.get_by_role("navigation", name="Language").get_by_role("link", name="日本語").click()
    expect(page).to_have_url(site_url + "/centres/sample-02/")
    expect(page.get_by_role("heading", name="バリアフリーの情報")).to_be_visible()


ENGLISH_PAGES = {
    "register": lambda page, base: page.goto(base + "/en/declarations/"),
    "register-filtered": lambda page, base: page.goto(base + "/en/declarations/?type=social_welfare_council&page=2"),
    "entry": lambda page, base: page.goto(
        f"{base}/en/declarations/{Declaration.objects.get(name='高知県社会福祉協議会').pk}/"
    ),
    "centres": lambda page, base: page.goto(base + "/en/centres/"),
    "centre": lambda page, base: page.goto(base + "/en/centres/sample-02/"),
}


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_the_english_register_and_directory_pass_axe(page, site_url, axe, name):
    ENGLISH_PAGES[name](page, site_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe(page)


def test_the_english_register_and_directory_are_valid_html(page, site_url, tmp_path):
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci`"
    files = []
    for name, open_page in ENGLISH_PAGES.items():
        status, html = document_html(page, open_page, site_url)
        assert status == 200, name
        assert '<html lang="en">' in html, name
        file = tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        files.append(file)
    errors = vnu_errors(files)
    assert not errors, "The W3C Nu checker found errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in errors.items()
    )

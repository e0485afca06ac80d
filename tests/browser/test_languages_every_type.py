"""Every page type in English, as staff would make it: a translation of one live page of each type (wagtail-
localize's copy, with its parents, then published), reached from the Japanese page with the switcher and left
again (issue 24: "switch languages on every page type and back"). Each says its language and points to the
other with hreflang, on the page as the browser gets it."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale, Page, get_page_models

from tests.browser.test_languages import alternates, switcher

pytestmark = pytest.mark.browser


def page_types():
    return [model for model in get_page_models() if model is not Page and not model._meta.abstract]


def one_live_page_of_each_type():
    """{page type: one live Japanese page of it} for every type the initial content has a page of."""
    japanese = Locale.objects.get(language_code="ja")
    found = {}
    for model in page_types():
        page = model.objects.live().filter(locale=japanese, depth__gte=2).order_by("path").first()
        if page is not None:
            found[model] = page
    return found


def translated(page, locale):
    """The page's translation in `locale`, made and published as an editor would if it has none."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale, copy_parents=True).specific
    copy.title = f"{page.title} (English)"
    copy.save_revision().publish()
    for ancestor in copy.get_ancestors().filter(depth__gte=2, live=False):
        ancestor.specific.save_revision().publish()  # a parent copied with it starts as a draft
    return copy


def test_every_page_type_switches_to_english_and_back(page, site_url):
    english = Locale.objects.get(language_code="en")
    pages = one_live_page_of_each_type()
    # The seed has a page of every type: a new type without one would otherwise silently go untested.
    assert set(pages) == set(page_types()), sorted(model.__name__ for model in set(page_types()) - set(pages))
    for model, japanese in pages.items():
        translation = translated(japanese, english)
        path = japanese.get_url()
        page.goto(site_url + path)
        japanese_title = page.locator("h1").inner_text()

        switcher(page).get_by_role("link", name="English").click()
        expect(page, model.__name__).to_have_url(site_url + "/en" + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_contain_text(translation.title)
        hreflangs = alternates(page)
        assert hreflangs["en"].endswith("/en" + path), (model.__name__, hreflangs)
        assert hreflangs["ja"].endswith(path) and hreflangs["x-default"] == hreflangs["ja"], model.__name__

        switcher(page).get_by_role("link", name="日本語").click()
        expect(page).to_have_url(site_url + path)
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        expect(page.locator("h1")).to_have_text(japanese_title)

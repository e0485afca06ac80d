"""The page cache (core/page_cache.py) with more than one language: each language's page is stored under
its own address, a visitor's Accept-Language never picks another, and an edit to any language's page is
served fresh on the next request, in that language and the others."""

import pytest
from django.test import Client
from wagtail.models import Locale

from pages.models import SectionPage
from pages.tests.factories import make_home, publish

PAGE_HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    """Every test here with the page cache and the site frame on (conftest.py's page_cache_on)."""


def translate(page, language, title):
    translated = page.copy_for_translation(Locale.objects.get(language_code=language)).specific
    translated.title = title
    translated.save_revision().publish()
    return translated


@pytest.fixture
def pages(db):
    home = make_home()
    about = publish(home, SectionPage(title="高知型地域共生社会とは", slug="about"))
    translate(home, "en", "Home")
    english = translate(about, "en", "What it is")
    return about, english


def get(path, **headers):
    return Client().get(path, **headers)


def test_each_language_is_stored_apart_and_accept_language_never_crosses_over(pages):
    assert get("/about/")[PAGE_HEADER] == "miss"
    english = get("/en/about/", HTTP_ACCEPT_LANGUAGE="ja")
    assert english[PAGE_HEADER] == "miss"
    assert "<title>What it is｜" in english.content.decode()

    japanese = get("/about/", HTTP_ACCEPT_LANGUAGE="en")
    assert japanese[PAGE_HEADER] == "hit"
    assert '<html lang="ja">' in japanese.content.decode()
    english = get("/en/about/", HTTP_ACCEPT_LANGUAGE="en")
    assert english[PAGE_HEADER] == "hit"
    assert '<html lang="en">' in english.content.decode()
    # A proxy keeps one copy per address too.
    assert "accept-language" not in english.get("Vary", "").lower()


@pytest.mark.parametrize("edited", ["ja", "en"])
def test_an_edit_to_either_language_is_served_fresh_in_both(pages, committed, edited):
    about, english = pages
    for path in ("/about/", "/en/about/"):
        get(path)
        assert get(path)[PAGE_HEADER] == "hit"
    page = {"ja": about, "en": english}[edited].specific

    def change():
        page.title = "新しい題名" if edited == "ja" else "A new title"
        page.save_revision().publish()

    committed(change)
    for path, title in (("/about/", "高知型地域共生社会とは"), ("/en/about/", "What it is")):
        response = get(path)
        assert response[PAGE_HEADER] == "miss", path
        if path == {"ja": "/about/", "en": "/en/about/"}[edited]:
            title = page.title
        assert f"<title>{title}｜" in response.content.decode(), path


def test_a_new_translation_is_offered_on_the_cached_japanese_page_at_once(pages, committed):
    about, _ = pages
    get("/about/")
    assert "やさしい にほんご" not in get("/about/").content.decode()

    def change():
        translate(about.get_parent().specific, "ja-x-easy", "やさしい トップ")
        translate(about, "ja-x-easy", "せつめい")

    committed(change)
    response = get("/about/")
    assert response[PAGE_HEADER] == "miss"
    assert 'href="/easy/about/"' in response.content.decode()
    assert get("/easy/about/").status_code == 200


@pytest.mark.parametrize("path", ["/search/?q=%E5%85%B1%E7%94%9F", "/sitemap/"])
def test_the_search_and_the_site_map_are_stored_apart_in_each_language(pages, path):
    for prefix, language in (("", "ja"), ("/en", "en"), ("/easy", "ja-x-easy")):
        first = get(prefix + path, HTTP_ACCEPT_LANGUAGE="ja")
        assert first[PAGE_HEADER] == "miss", prefix + path
        again = get(prefix + path, HTTP_ACCEPT_LANGUAGE="en")
        assert again[PAGE_HEADER] == "hit", prefix + path
        assert f'<html lang="{language}">' in again.content.decode()
    assert "<h1>Site map</h1>" in get("/en/sitemap/").content.decode()


def test_a_new_translation_reaches_the_cached_english_site_map_at_once(pages, committed):
    about, _ = pages
    assert get("/en/sitemap/")[PAGE_HEADER] == "miss"
    assert get("/en/sitemap/")[PAGE_HEADER] == "hit"

    def change():
        child = about.add_child(instance=SectionPage(title="手引き", slug="guide"))
        child.save_revision().publish()
        translate(child, "en", "The guide")

    committed(change)
    response = get("/en/sitemap/")
    assert response[PAGE_HEADER] == "miss"
    assert '<a href="/en/about/guide/">The guide</a>' in response.content.decode()

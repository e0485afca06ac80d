"""Languages (issue 24): Japanese at the addresses it always had, English under /en/ and やさしい日本語 under
/easy/, each page offered only in the languages it has a live translation in."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page

from pages.models import SectionPage

from .factories import publish


def translate(page, language, title, publish_it=True):
    """A translation of `page` into `language` titled `title`, published unless told otherwise."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    translated = page.copy_for_translation(locale).specific
    translated.title = title
    revision = translated.save_revision()
    if publish_it:
        revision.publish()
    return Page.objects.get(pk=translated.pk).specific


@pytest.fixture
def about(home):
    return publish(home, SectionPage(title="高知型地域共生社会とは", slug="about"))


@pytest.fixture
def english(home, about):
    english_home = translate(home, "en", "Kochi-style Community Symbiosis")
    return english_home, translate(about, "en", "What it is")


@pytest.fixture
def easy(home, about):
    easy_home = translate(home, "ja-x-easy", "高知型 地域共生社会")
    return easy_home, translate(about, "ja-x-easy", "高知型 地域共生社会とは")


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


def alternates(response):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()))


def switcher(response):
    """[(language name, href or None for the current one, its lang)] as the switcher shows them."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', response.content.decode(), re.S)
    if nav is None:
        return []
    items = re.findall(
        r'<li>(?:<a href="([^"]+)" lang="([^"]+)"[^>]*>|<span aria-current="page" lang="([^"]+)">)([^<]+)', nav[0]
    )
    return [(name, href or None, lang or current) for href, lang, current, name in items]


# Routing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["en", "en-GB,en;q=0.9", "ja", ""])
def test_an_unprefixed_address_is_japanese_whatever_the_browser_asks_for(client, english, accept):
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE=accept, HTTP_COOKIE="django_language=en")
    assert response.status_code == 200
    assert html_lang(response) == "ja"
    assert "<title>高知型地域共生社会とは｜" in response.content.decode()
    assert response["Content-Language"] == "ja"
    # One address, one page: nothing for the page cache or a proxy to tell apart.
    assert "accept-language" not in response.get("Vary", "").lower()


def test_the_english_and_easy_japanese_pages_are_under_their_prefixes(client, english, easy):
    response = client.get("/en/about/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "<title>What it is｜" in response.content.decode()
    assert "accept-language" not in response.get("Vary", "").lower()

    response = client.get("/easy/about/")
    assert response.status_code == 200
    assert html_lang(response) == "ja-x-easy"
    assert "<title>高知型 地域共生社会とは｜" in response.content.decode()

    assert client.get("/en/").status_code == 200
    assert html_lang(client.get("/easy/")) == "ja-x-easy"


def test_an_english_request_leaves_the_thread_in_japanese(client, english):
    """What runs in the thread after an English page (a command, the next request's outer middlewares, mail) is
    in Japanese again: the English guide was once seeded with links to the English register for this."""
    from django.utils import translation

    assert client.get("/en/").status_code == 200
    assert translation.get_language() == "ja"
    assert str(translation.gettext_lazy("本文へ移動")) == "本文へ移動"


def test_a_page_not_translated_is_not_found_in_that_language(client, home, english):
    publish(home, SectionPage(title="研修", slug="training"))
    assert client.get("/training/").status_code == 200
    response = client.get("/en/training/")
    assert response.status_code == 404
    assert html_lang(response) == "en"
    # The 404 page speaks the address's language, its breadcrumb included.
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert '<span aria-current="page">Page not found</span>' in response.content.decode()
    assert "<h1>ページが見つかりません</h1>" in client.get("/no-such-page/").content.decode()
    assert client.get("/easy/about/").status_code == 404  # no やさしい日本語 tree at all


def test_a_draft_translation_is_neither_served_nor_offered(client, home, about, english):
    translate(home, "ja-x-easy", "やさしい トップ")
    translate(about, "ja-x-easy", "下書き", publish_it=False)
    assert client.get("/easy/about/").status_code == 404
    assert "やさしい にほんご" not in [name for name, _, _ in switcher(client.get("/about/"))]


def test_a_japanese_address_that_begins_like_a_prefix_stays_japanese(client, home):
    publish(home, SectionPage(title="イベント", slug="events"))
    # /english/ is not /en/: only the whole first segment is a prefix.
    publish(home, SectionPage(title="英語の案内", slug="english"))
    response = client.get("/english/")
    assert response.status_code == 200
    assert html_lang(response) == "ja"


# The switcher and the alternates -------------------------------------------------------------------


def test_the_switcher_names_each_language_in_itself_and_links_its_translation(client, english, easy):
    assert switcher(client.get("/about/")) == [
        ("English", "/en/about/", "en"),
        ("やさしい にほんご", "/easy/about/", "ja-x-easy"),
        ("日本語", None, "ja"),
    ]
    assert switcher(client.get("/en/about/")) == [
        ("English", None, "en"),
        ("やさしい にほんご", "/easy/about/", "ja-x-easy"),
        ("日本語", "/about/", "ja"),
    ]


def test_a_page_in_japanese_only_offers_no_other_language(client, home, english):
    publish(home, SectionPage(title="研修", slug="training"))
    response = client.get("/training/")
    assert switcher(response) == []
    assert alternates(response) == {}


def test_hreflang_names_every_translation_and_japanese_as_the_default(client, english, easy):
    expected = {
        "en": "http://localhost/en/about/",
        "ja-x-easy": "http://localhost/easy/about/",
        "ja": "http://localhost/about/",
        "x-default": "http://localhost/about/",
    }
    assert alternates(client.get("/about/")) == expected
    assert alternates(client.get("/en/about/")) == expected


def test_the_sitemap_lists_each_language_with_its_alternates(client, english):
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/en/about/</loc>" in body
    entry = re.search(r"<url><loc>http://localhost/about/</loc>.*?</url>", body)[0]
    assert '<xhtml:link rel="alternate" hreflang="en" href="http://localhost/en/about/"/>' in entry
    assert '<xhtml:link rel="alternate" hreflang="x-default" href="http://localhost/about/"/>' in entry


# The seeds --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_initial_content_has_sample_translations_made_once(client):
    call_command("load_initial_content", stdout=io.StringIO())
    for path in (
        *("/en/", "/en/about/", "/en/declaration/", "/en/declaration/guide/"),
        *("/easy/", "/easy/about/", "/easy/declaration/", "/easy/declaration/guide/"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        title = re.search(r"<title>(.*?)｜", response.content.decode())[1]
        assert "(sample)" in title or "（見本）" in title, path
    english_about = Page.objects.get(url_path="/home-en/about/").specific
    english_about.title = "About (checked by staff)"
    english_about.save_revision().publish()
    count = Page.objects.count()

    call_command("load_initial_content", stdout=io.StringIO())
    assert Page.objects.count() == count
    assert "About (checked by staff)" in client.get("/en/about/").content.decode()
    # The translations' tree is whole (publishing a page saves its tree fields too).
    assert Page.objects.get(url_path="/home-en/").get_children().count() == 2
    # The English home page's link to the concept page goes to the English one.
    assert 'href="/en/about/"' in client.get("/en/").content.decode()


# Editors --------------------------------------------------------------------------------------


def test_an_editor_starts_a_translation_from_the_page_in_the_japanese_admin(client, about, english):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    training = publish(about.get_parent(), SectionPage(title="研修", slug="training"))
    user = get_user_model().objects.create_user("henshu", "henshu@example.jp", "pass-for-tests-only")
    user.groups.add(Group.objects.get(name__in=["Editors", "編集者"]))
    client.force_login(user)

    edit = client.get(f"/admin/pages/{training.pk}/edit/").content.decode()
    submit_url = f"/admin/localize/submit/page/{training.pk}/"
    assert re.search(rf'href="{submit_url}"[^>]*>\s*(?:<svg.*?</svg>)?\s*このページを翻訳', edit, re.S)

    form = client.get(submit_url)
    assert form.status_code == 200
    assert "ページを翻訳" in form.content.decode()
    english_locale = Locale.objects.get(language_code="en")
    response = client.post(submit_url, {"locales": [english_locale.pk]})
    assert response.status_code == 302

    translated = training.get_translation(english_locale)
    # A translation is a draft until a person publishes it: nothing is offered in English meanwhile.
    assert not translated.live
    client.logout()
    assert client.get("/en/training/").status_code == 404
    assert switcher(client.get("/training/")) == []


def test_a_japanese_top_level_page_cannot_take_a_language_prefix_as_its_slug(client, home):
    from django.contrib.auth import get_user_model
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.jp", "pass-for-tests"))

    def add(slug):
        data = nested_form_data(
            {"title": "英語の案内", "slug": slug, "introduction": "", "body": streamfield([]), "seo_title": ""}
        )
        data.update({"search_description": "", "menu_title": "", "action-publish": "action-publish"})
        return client.post(f"/admin/pages/add/pages/sectionpage/{home.pk}/", data)

    refused = add("en")
    assert refused.status_code == 200
    assert "「en」は英語のページのアドレス（/en/）に使われているため使えません。" in refused.content.decode()
    assert not SectionPage.objects.filter(slug="en").exists()
    assert add("english").status_code == 302
    assert client.get("/english/").status_code == 200


@pytest.mark.parametrize("folder", ["en", "ja_X-easy"])
def test_the_committed_catalogues_of_the_public_pages_match_their_po(folder, tmp_path):
    import shutil
    import subprocess

    from django.conf import settings

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed, so the .mo cannot be rebuilt to compare")
    catalogue = settings.BASE_DIR / "locale" / folder / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(catalogue / "django.po")], check=True)
    assert compiled.read_bytes() == (catalogue / "django.mo").read_bytes(), f"{catalogue}/django.mo is stale"


def test_a_translation_behind_a_view_restriction_is_not_offered(client, english, easy):
    from wagtail.models import PageViewRestriction

    english_home, _ = english
    PageViewRestriction.objects.create(page=english_home, restriction_type=PageViewRestriction.LOGIN)
    names = [name for name, _, _ in switcher(client.get("/about/"))]
    assert names == ["やさしい にほんご", "日本語"]
    assert "en" not in alternates(client.get("/about/"))


def test_readings_are_offered_on_the_japanese_and_easy_japanese_pages_and_not_on_the_english(client, english, easy):
    def switch(path):
        html = client.get(path).content.decode()
        return re.search(r'<a [^>]*href="([^"]*)"[^>]*>ふりがなを(?:つける|はずす)</a>', html)

    assert switch("/about/")[1] == "/furigana/about/"
    assert switch("/easy/about/")[1] == "/furigana/easy/about/"
    assert switch("/en/about/") is None
    easy_with_readings = client.get("/furigana/easy/about/")
    assert easy_with_readings.status_code == 200
    assert "<rt" in easy_with_readings.content.decode()
    assert html_lang(easy_with_readings) == "ja-x-easy"

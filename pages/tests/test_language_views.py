"""The site search and the site map in English and やさしい日本語 (issue 24): the same views at /en/… and
/easy/…, their words in the address's language, what the Japanese-only search index finds marked as Japanese,
and the switcher and hreflang links leading to the same view in each language."""

import datetime
import re

import pytest

from pages.models import SectionPage

from .factories import publish
from .search_helpers import make_event, make_page
from .test_languages import alternates, html_lang, switcher, translate

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def translated(home):
    """A Japanese site with an English and a やさしい日本語 home page, and one page in English only below it."""
    about = publish(home, SectionPage(title="高知型地域共生社会とは", slug="about"))
    publish(home, SectionPage(title="研修", slug="training"))
    english_home = translate(home, "en", "Kochi-style Community Symbiosis")
    english_about = translate(about, "en", "What it is")
    translate(home, "ja-x-easy", "高知型 地域共生社会")
    return english_home, english_about


# The site search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/search/", "ja", "サイト内検索"),
        ("/en/search/", "en", "Search this site"),
        ("/easy/search/", "ja-x-easy", "このサイトの なかを さがす"),
    ],
)
def test_the_search_page_is_in_the_language_of_its_address(client, translated, path, language, heading):
    response = client.get(path)

    assert response.status_code == 200
    assert html_lang(response) == language
    assert f"<h1>{heading}</h1>" in response.content.decode()
    # Its own form sends the words to the same language's search.
    assert f'<form class="site-search" action="{path}" method="get" role="search">' in main_of(response)


def test_english_results_say_their_count_and_kinds_in_english_and_mark_japanese_titles(client, translated):
    make_page("くろしおのページ", "くろしおの取り組みです。")
    make_event("くろしおフェスタ", "くろしおフェスタを開きます。", start_date=datetime.date(2023, 10, 7))

    response = client.get("/en/search/", {"q": "くろしお"})

    main = main_of(response)
    assert "Results for “くろしお”: 2 results" in main
    assert '<span class="search-result__kind">Pages</span>' in main
    assert '<span class="search-result__kind">Events</span>' in main
    assert "All (2 results)" in main and "Pages (1 result)" in main
    assert "7 October 2023" in main  # the event's day as English writes it, not 令和5年
    # What the index found is Japanese, and says so to a screen reader and to a translation tool.
    titles = re.findall(r'<h2 class="card__title"><a href="[^"]*" lang="ja" hreflang="ja">(.*?)</a></h2>', main)
    assert sorted(titles) == ["<mark>くろしお</mark>のページ", "<mark>くろしお</mark>フェスタ"]
    assert '<p class="search-result__snippet" lang="ja">' in main
    # The page says the index is Japanese and where this language's pages are.
    assert "The search covers the site's Japanese pages" in main and 'href="/en/sitemap/"' in main
    assert "件" not in main


def test_a_kind_filtered_english_search_says_which_kind_in_english(client, translated):
    make_page("くろしおのページ", "くろしおの取り組みです。")
    make_event("くろしおフェスタ", "くろしおフェスタを開きます。", start_date=datetime.date(2023, 10, 7))

    main = main_of(client.get("/en/search/", {"q": "くろしお", "kind": "event"}))

    assert "Results for “くろしお”: 2 results, of which Events: 1 result" in main
    assert 'aria-current="true">Events (1 result)</a>' in main


def test_an_english_search_that_finds_nothing_helps_in_english(client, translated):
    response = client.get("/en/search/", {"q": "どこにもないことば"})

    main = main_of(response)
    assert "Nothing was found for “どこにもないことば”." in main
    assert "<h2>Search tips</h2>" in main and "<h2>Pages people often visit</h2>" in main
    # The pages suggested are the English ones of the main menu.
    assert '<a href="/en/about/">What it is</a>' in main
    assert "検索のヒント" not in main


def test_easy_japanese_search_says_its_count_simply(client, translated):
    make_page("くろしおのページ", "くろしおの取り組みです。")

    main = main_of(client.get("/easy/search/", {"q": "くろしお"}))

    assert "「くろしお」を さがした けっか：1件" in main
    assert '<span class="search-result__kind">ページ</span>' in main
    assert 'lang="ja" hreflang="ja"><mark>くろしお</mark>のページ</a>' in main


def test_the_japanese_search_marks_nothing_as_another_language(client, translated):
    make_page("くろしおのページ", "くろしおの取り組みです。")

    main = main_of(client.get("/search/", {"q": "くろしお"}))

    assert "「くろしお」の検索結果：1件" in main
    assert 'lang="ja"' not in main
    assert "The search covers" not in main


def test_the_header_search_box_of_an_english_page_sends_to_the_english_search(client, translated):
    html = client.get("/en/about/").content.decode()

    assert (
        '<form class="site-search" action="/en/search/" method="get" role="search" aria-label="Search this site">'
        in html
    )


def test_the_switcher_and_hreflang_offer_the_same_search_in_every_language_with_its_words(client, translated):
    response = client.get("/en/search/", {"q": "共生"})

    assert switcher(response) == [
        ("English", None, "en"),
        ("やさしい にほんご", "/easy/search/?q=%E5%85%B1%E7%94%9F", "ja-x-easy"),
        ("日本語", "/search/?q=%E5%85%B1%E7%94%9F", "ja"),
    ]
    # The alternates name the view's own address, as its canonical link does (the words stay in the switcher).
    links = alternates(response)
    assert links["ja"].endswith("/search/") and links["en"].endswith("/en/search/")
    assert links["x-default"] == links["ja"]


def test_the_search_keeps_a_query_out_of_the_switcher_as_markup(client, translated):
    response = client.get("/en/search/", {"q": '"><script>alert(1)</script>'})

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert '/search/?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"' in html


# The site map ---------------------------------------------------------------------------------------


def test_the_english_site_map_lists_the_english_pages_only(client, translated):
    response = client.get("/en/sitemap/")

    assert response.status_code == 200
    assert html_lang(response) == "en"
    main = main_of(response)
    assert "<h1>Site map</h1>" in main
    assert '<a href="/en/">Home</a>' in main
    assert '<a href="/en/about/">What it is</a>' in main
    # The training page has no English version: it is not offered.
    assert "研修" not in main and "/training/" not in main
    # The search and the register are this language's; the form, which is Japanese only, says so.
    assert '<a href="/en/search/">Search this site</a>' in main
    assert '<a href="/en/declarations/">Register of declarants</a>' in main
    assert '<a href="/declarations/apply/" lang="ja" hreflang="ja">推進宣言の申請</a>' in main


def test_a_site_map_link_without_a_translation_is_marked_japanese(client, translated):
    main = main_of(client.get("/en/sitemap/"))

    # The centres' open data titles are built by their app and have no English: marked as Japanese.
    assert re.search(r'<a href="/centres/centres\.csv" lang="ja" hreflang="ja">[^<]*CSV', main)


def test_the_japanese_site_map_is_unchanged_by_the_translations(client, translated):
    main = main_of(client.get("/sitemap/"))

    assert '<a href="/about/">高知型地域共生社会とは</a>' in main and '<a href="/training/">研修</a>' in main
    assert "What it is" not in main
    assert "hreflang" not in main and 'lang="' not in main


def test_the_easy_japanese_site_map_lists_its_home_page_and_no_english(client, translated):
    main = main_of(client.get("/easy/sitemap/"))

    assert '<a href="/easy/">トップページ</a>' in main
    assert "What it is" not in main and "/about/" not in main


def test_the_switcher_of_the_site_map_leads_to_each_languages_site_map(client, translated):
    response = client.get("/easy/sitemap/")

    assert switcher(response) == [
        ("English", "/en/sitemap/", "en"),
        ("やさしい にほんご", None, "ja-x-easy"),
        ("日本語", "/sitemap/", "ja"),
    ]
    assert alternates(response)["en"].endswith("/en/sitemap/")


def test_the_footer_of_an_english_page_links_the_english_site_map(client, translated):
    html = client.get("/en/about/").content.decode()

    assert '<a href="/en/sitemap/">Site map</a>' in html

"""/search/: what a resident sees when searching the site."""

import datetime
import re

import pytest

from declarations.models import Status
from pages.models import EventIndexPage
from pages.search.normalise import MAX_QUERY_LENGTH

from .factories import make_home, publish
from .search_helpers import make_declaration, make_document, make_event, make_page, pdf_with_text

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def result_titles(response):
    return re.findall(r'<h2 class="card__title"><a href="[^"]*">(.*?)</a></h2>', response.content.decode())


def test_one_list_with_each_kind_labelled_and_the_match_marked(client):
    make_page("共生のページ", "地域共生社会の取り組みです。")
    make_event("共生フェスタ", "地域共生社会フェスタを開きます。", start_date=datetime.date(2023, 10, 7))
    make_document("共生リーフレット", pdf_with_text(["地域共生社会のリーフレット"]))
    make_declaration("株式会社共生", "地域共生社会をめざします。", declared_on=datetime.date(2022, 10, 30))

    response = client.get("/search/", {"q": "共生"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "「共生」の検索結果：4件" in html
    for label in ["ページ", "行事", "資料", "宣言企業・団体"]:
        assert f'<span class="search-result__kind">{label}</span>' in html
    assert "地域<mark>共生</mark>社会" in html
    assert "令和5年10月7日" in html  # the event's day, as an era date
    assert "令和4年10月30日" in html  # the declaration's 宣言日


def test_results_link_to_the_page_the_document_and_the_declaration(client):
    page = make_page("ケアラー支援", "ヤングケアラー")
    document = make_document("ケアラー手引き", pdf_with_text(["ケアラー"]))
    response = client.get("/search/", {"q": "ケアラー"})
    html = response.content.decode()
    assert f'href="{page.url}"' in html
    assert f'href="{document.url}"' in html


def test_title_matches_come_first(client):
    make_page("お知らせ", "ふれあいセンターの案内")
    make_page("ふれあいセンター", "拠点です")
    titles = result_titles(client.get("/search/", {"q": "ふれあい"}))
    assert titles[0] == "<mark>ふれあい</mark>センター"


def test_the_query_stays_in_a_labelled_search_box(client):
    response = client.get("/search/", {"q": "ｾﾝﾀｰ　共生"})
    html = response.content.decode()
    assert '<label for="search-q">' in html
    assert re.search(r'<input type="search" id="search-q" name="q" value="ｾﾝﾀｰ　共生"', html)


def test_half_width_query_finds_full_width_text(client):
    make_declaration("あったかふれあいセンター運営会", "８０５０問題の相談")
    html = client.get("/search/", {"q": "ｾﾝﾀｰ 8050"}).content.decode()
    assert "検索結果：1件" in html
    assert "<mark>８０５０</mark>" in html


def test_twenty_results_a_page_and_a_bad_page_number_is_not_found(client):
    for number in range(23):
        make_declaration(f"見守り団体{number}", "見守り活動")
    first = client.get("/search/", {"q": "見守り"})
    second = client.get("/search/", {"q": "見守り", "page": "2"})
    assert len(result_titles(first)) == 20
    assert len(result_titles(second)) == 3
    assert "（1／2ページ）" in first.content.decode()
    assert 'href="?q=%E8%A6%8B%E5%AE%88%E3%82%8A&amp;page=2"' in first.content.decode()
    assert client.get("/search/", {"q": "見守り", "page": "3"}).status_code == 404
    assert client.get("/search/", {"q": "見守り", "page": "abc"}).status_code == 404


def test_no_results_page_suggests_what_to_try(client):
    publish(make_home(), EventIndexPage(title="行事等", slug="events", show_in_menus=True))
    make_declaration("株式会社共生", "見守り")
    response = client.get("/search/", {"q": "共生 存在しない"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "「共生 存在しない」を含むページは見つかりませんでした。" in html
    assert "「共生」だけで検索（1件）" in html
    assert "「存在しない」だけで検索（0件）" in html
    assert 'href="/events/"' in html
    assert '<a href="/declarations/">宣言企業・団体一覧</a>' in html


def test_suggested_pages_follow_the_menu_and_the_slugs_editors_choose(client):
    home = make_home()
    events = publish(home, EventIndexPage(title="行事等", slug="events", show_in_menus=True))
    publish(home, EventIndexPage(title="menu外のページ", slug="hidden", show_in_menus=False))
    events.slug = "gyoji"
    events.save_revision().publish()

    html = client.get("/search/", {"q": "存在しない"}).content.decode()

    assert '<a href="/gyoji/">行事等</a>' in html
    assert 'href="/events/"' not in html
    assert "menu外のページ" not in html


def test_an_empty_query_shows_the_form_without_results(client):
    response = client.get("/search/", {"q": "　"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "見つかりませんでした" not in html
    assert "検索結果" not in html


def test_an_overlong_query_is_cut_not_refused(client):
    response = client.get("/search/", {"q": "共" * 5000})
    assert response.status_code == 200
    assert f'value="{"共" * MAX_QUERY_LENGTH}"' in response.content.decode()


def test_markup_in_the_query_is_escaped(client):
    html = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_unpublished_pages_and_unapproved_declarations_are_not_listed(client):
    make_page("下書き", "ふれあい秘密", live=False)
    make_declaration("審査待ちの会", "ふれあい秘密", status=Status.PENDING)
    html = client.get("/search/", {"q": "秘密"}).content.decode()
    assert "見つかりませんでした" in html
    assert "下書き" not in html
    assert "審査待ちの会" not in html


def test_every_page_has_a_search_box_in_its_header_but_the_search_page_has_one(client):
    page = make_page("研修", "研修のご案内")
    page_html = client.get(page.url).content.decode()
    search_html = client.get("/search/", {"q": "研修"}).content.decode()
    assert (
        '<form class="site-search" action="/search/" method="get" role="search" aria-label="サイト内検索">' in page_html
    )
    assert '<label for="site-search-q">サイト内検索</label>' in page_html
    assert search_html.count('role="search"') == 1


def test_control_characters_in_the_query_are_ignored(client):
    make_declaration("株式会社共生", "見守り")
    response = client.get("/search/", {"q": "共生\x00\x07"})
    assert response.status_code == 200
    assert "検索結果：1件" in response.content.decode()

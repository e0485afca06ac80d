"""/search/: the order of results of equal relevance, and narrowing the results to one kind."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from pages.search.models import SearchEntry

from .search_helpers import make_declaration, make_document, make_event, make_page, pdf_with_text

pytestmark = [pytest.mark.django_db, pytest.mark.database]

KIND_LABELS = ["案内", "ページ", "行事", "資料", "記事", "あったかふれあいセンター", "宣言企業・団体"]


def result_kinds(html):
    return re.findall(r'<span class="search-result__kind">(.*?)</span>', html)


def kind_filter(html):
    """{label: (count, href or None, marked current)} from the filter's links."""
    nav = re.search(r'<nav class="pagination search-kinds" aria-label="種類で絞り込む">(.*?)</nav>', html, re.S)
    assert nav, "the results have a filter by kind"
    choices = {}
    for item in re.findall(r"<li>(.*?)</li>", nav.group(1), re.S):
        label, count = re.search(r">([^<>]+)（(\d+)件）<", item).groups()
        href = re.search(r'href="([^"]*)"', item)
        choices[label] = (int(count), href.group(1).replace("&amp;", "&") if href else None, "aria-current" in item)
    return choices


@pytest.fixture
def mixed():
    """Every kind, each found by 共生 in its text only (none in a title), the declarations newest."""
    make_page("取り組み", "地域共生社会の取り組みです。")
    make_event("フェスタ", "地域共生社会フェスタ。", start_date=datetime.date(2020, 10, 7))
    make_document("リーフレット", pdf_with_text(["地域共生社会のリーフレット"]))
    for number in range(23):
        make_declaration(f"見守り団体{number}", "地域共生社会をめざします。", declared_on=datetime.date(2025, 4, 1))


def test_pages_events_and_documents_come_before_register_entries_of_equal_relevance(client, mixed):
    html = client.get("/search/", {"q": "共生"}).content.decode()
    kinds = result_kinds(html)
    # The declarations are the newest, yet come after the three of the CMS.
    assert sorted(kinds[:3]) == sorted(["ページ", "行事", "資料"])
    assert kinds[3:] == ["宣言企業・団体"] * 17


def test_a_title_match_still_comes_before_a_text_match_of_another_kind(client, mixed):
    make_declaration("株式会社共生", "見守り活動をします。")
    kinds = result_kinds(client.get("/search/", {"q": "共生"}).content.decode())
    assert kinds[0] == "宣言企業・団体"
    assert kinds[1:4] != ["宣言企業・団体"] * 3


def test_the_filter_shows_a_count_for_each_kind_that_adds_up_to_the_total(client, mixed):
    html = client.get("/search/", {"q": "共生"}).content.decode()
    choices = kind_filter(html)
    assert list(choices) == ["すべて", *KIND_LABELS]
    assert {label: choices[label][0] for label in KIND_LABELS} == {
        "案内": 0,
        "ページ": 1,
        "行事": 1,
        "資料": 1,
        "記事": 0,
        "あったかふれあいセンター": 0,
        "宣言企業・団体": 23,
    }
    assert choices["すべて"][0] == sum(choices[label][0] for label in KIND_LABELS) == 26
    assert "「共生」の検索結果：26件" in html
    assert choices["すべて"][2] and not any(choices[label][2] for label in KIND_LABELS)


def test_choosing_a_kind_narrows_the_results_and_marks_the_choice(client, mixed):
    href = kind_filter(client.get("/search/", {"q": "共生"}).content.decode())["行事"][1]

    html = client.get("/search/" + href).content.decode()

    assert result_kinds(html) == ["行事"]
    assert "「共生」の検索結果：26件のうち行事 1件" in html
    choices = kind_filter(html)
    assert choices["行事"][2] and not choices["すべて"][2]
    assert choices["宣言企業・団体"][0] == 23  # the other counts stay, to switch kinds
    assert re.search(r'<a href="[^"]*kind=event" aria-current="true">行事（1件）</a>', html)


def test_pagination_keeps_the_kind(client, mixed):
    first = client.get("/search/", {"q": "共生", "kind": "declaration"}).content.decode()
    assert "（1／2ページ）" in first
    assert 'href="?q=%E5%85%B1%E7%94%9F&amp;kind=declaration&amp;page=2"' in first

    second = client.get("/search/", {"q": "共生", "kind": "declaration", "page": "2"}).content.decode()
    assert result_kinds(second) == ["宣言企業・団体"] * 3
    assert kind_filter(second)["宣言企業・団体"][2]


def test_a_kind_with_nothing_found_is_not_a_link_and_an_unknown_kind_shows_everything(client):
    make_page("取り組み", "地域共生社会の取り組みです。")
    html = client.get("/search/", {"q": "共生"}).content.decode()
    assert kind_filter(html)["資料"] == (0, None, False)

    empty = client.get("/search/", {"q": "共生", "kind": "document"})
    assert empty.status_code == 200
    assert "資料には「共生」を含むものがありません。" in empty.content.decode()

    unknown = client.get("/search/", {"q": "共生", "kind": "nothing"}).content.decode()
    assert result_kinds(unknown) == ["ページ"]
    assert kind_filter(unknown)["すべて"][2]


def test_the_counts_by_kind_and_the_order_come_from_one_query_and_no_count_per_kind(client, mixed):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "共生", "kind": "page"})
    on_the_index = [query["sql"] for query in queries if SearchEntry._meta.db_table in query["sql"]]
    # The candidates of every kind (counted and ordered from that one answer), then the entries of the page.
    assert len(on_the_index) == 2
    assert not [sql for sql in on_the_index if "COUNT(" in sql.upper()]
    assert "すべて（" in response.content.decode()


class InitialContentTests(TestCase):
    """共生 on the site as `load_initial_content` builds it, with the 70 founding declarants (built once),
    and a company approved today whose declaration, like most, names 地域共生社会."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_initial_content", stdout=io.StringIO())
        content = "地域共生社会の実現に向けて取り組みます。"
        make_declaration("株式会社しまんと", content, declared_on=datetime.date.today())

    def test_the_first_page_shows_pages_documents_and_events_before_the_declarants(self):
        public = SearchEntry.objects.public().matching(["共生"])
        others = public.exclude(kind="declaration").count()
        assert public.filter(kind="declaration").count() >= 71
        assert others > 0

        kinds = result_kinds(self.client.get("/search/", {"q": "共生"}).content.decode())

        assert len(kinds) == 20
        first_declarant = kinds.index("宣言企業・団体") if "宣言企業・団体" in kinds else len(kinds)
        assert first_declarant == min(others, 20)
        assert set(kinds[first_declarant:]) <= {"宣言企業・団体"}

    def test_the_filter_counts_add_up_to_the_total(self):
        html = self.client.get("/search/", {"q": "共生"}).content.decode()
        choices = kind_filter(html)
        total = SearchEntry.objects.public().matching(["共生"]).count()
        assert choices["すべて"][0] == total == sum(choices[label][0] for label in KIND_LABELS)
        assert f"「共生」の検索結果：{total}件" in html
        declarants = self.client.get("/search/", {"q": "共生", "kind": "declaration"}).content.decode()
        assert set(result_kinds(declarants)) == {"宣言企業・団体"}

"""/search/ for a word found almost everywhere: counted up to a cap and listed up to it, the title matches first."""

import datetime
import re

import pytest

from pages.search import results

from .search_helpers import make_declaration, make_page

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture(params=["every match at once", "each kind in index order"])
def cap_of_three(request, monkeypatch):
    """A cap of 3, with the kinds' matches read either way PostgreSQL may read them (SQLite reads every match
    at once in both): the listing and the counts must not depend on it."""
    monkeypatch.setattr(results, "CAP", 3)
    monkeypatch.setattr(results, "LARGE_KIND", 1_000_000 if request.param == "every match at once" else 3)
    monkeypatch.setitem(results._sizes, "at", None)


def titles(html):
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<h2 class="card__title"><a [^>]*>(.*?)</a>', html)]


def filter_labels(html):
    nav = re.search(r'aria-label="種類で絞り込む">(.*?)</nav>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", nav, re.S)]


def declare(name, day, content="地域共生社会をめざします。"):
    return make_declaration(name, content, declared_on=datetime.date(2025, 4, day))


def test_past_the_cap_the_counts_say_more_than_and_the_kind_lists_its_newest(client, cap_of_three):
    for day in range(1, 6):
        declare(f"見守り団体{day}", day)
    make_page("取り組み", "地域共生社会の取り組みです。")

    html = client.get("/search/", {"q": "共生"}).content.decode()

    assert "「共生」の検索結果：4件以上" in html
    labels = filter_labels(html)
    assert "すべて（4件以上）" in labels
    assert "ページ（1件）" in labels
    assert "宣言企業・団体（3件以上）" in labels
    assert "種類ごとに3件まで" in html
    assert titles(html) == ["取り組み", "見守り団体5", "見守り団体4", "見守り団体3"]


def test_an_older_entry_named_by_the_word_is_listed_before_newer_ones_that_only_mention_it(client, cap_of_three):
    declare("株式会社共生", 1, content="見守り活動をします。")
    for day in range(2, 7):
        declare(f"見守り団体{day}", day)

    html = client.get("/search/", {"q": "共生", "kind": "declaration"}).content.decode()

    assert titles(html) == ["株式会社共生", "見守り団体6", "見守り団体5"]
    assert "宣言企業・団体 3件以上" in html


def test_below_the_cap_in_a_large_kind_an_older_entry_named_by_the_word_still_comes_first(client, cap_of_three):
    # The kind is large (more entries than LARGE_KIND) but the word is in only two of them.
    declare("株式会社共生", 1, content="見守り活動をします。")
    declare("見守り団体", 2)
    for day in range(3, 7):
        declare(f"かつお団体{day}", day, content="かつおを届けます。")

    html = client.get("/search/", {"q": "共生"}).content.decode()

    assert titles(html) == ["株式会社共生", "見守り団体"]
    assert "「共生」の検索結果：2件" in html


def test_at_the_cap_or_below_every_count_is_exact(client, cap_of_three):
    for day in range(1, 4):
        declare(f"見守り団体{day}", day)

    html = client.get("/search/", {"q": "共生"}).content.decode()

    assert "「共生」の検索結果：3件" in html
    assert "以上" not in "".join(filter_labels(html))
    assert "種類ごとに" not in html
    assert titles(html) == ["見守り団体3", "見守り団体2", "見守り団体1"]


def test_the_hint_for_fewer_words_says_more_than_past_the_cap(client, cap_of_three):
    for day in range(1, 6):
        declare(f"見守り団体{day}", day)

    html = client.get("/search/", {"q": "共生 かつお"}).content.decode()

    assert "「共生」だけで検索（3件以上）" in html
    assert "「かつお」だけで検索（0件）" in html

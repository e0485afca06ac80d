"""The site search finds articles as their own kind, 「記事」, by their words, category and tags."""

import datetime

import pytest

from pages.news.search import KIND
from pages.search.models import SearchEntry

from .factories import make_article

pytestmark = pytest.mark.database


def test_search_finds_a_published_article_as_an_article(client, index):
    article = make_article(
        index, "見守りのネットワーク", text="地域で見守る仕組みを紹介します。", published_on=datetime.date(2026, 2, 3)
    )
    entry = SearchEntry.objects.get(object_id=article.pk)
    assert entry.kind == KIND
    assert entry.date == datetime.date(2026, 2, 3)
    assert entry.is_public

    text = client.get("/search/", {"q": "見守る仕組み"}).content.decode()
    assert "見守りのネットワーク" in text
    assert "記事" in text
    filtered = client.get("/search/", {"q": "見守る仕組み", "kind": KIND}).content.decode()
    assert "見守りのネットワーク" in filtered


def test_search_finds_an_article_by_its_tag_and_category(client, index):
    make_article(index, "集いの場", tags=["居場所づくり"])
    assert "集いの場" in client.get("/search/", {"q": "居場所づくり"}).content.decode()
    assert "集いの場" in client.get("/search/", {"q": "お知らせ"}).content.decode()


def test_search_never_shows_a_draft_article(client, index):
    make_article(index, "下書きの特別な記事", text="ひみつの下書き", live=False)
    assert "下書きの特別な記事" not in client.get("/search/", {"q": "ひみつの下書き"}).content.decode()


def test_the_rebuild_keeps_an_article_as_an_article(index):
    from pages.search.indexing import rebuild_index

    article = make_article(index, "再構築の記事")
    counts = rebuild_index()
    assert counts[KIND] == 1
    assert SearchEntry.objects.get(object_id=article.pk).kind == KIND

"""Staff publish articles from the admin; the editor's rules answer in Japanese on the form."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import nested_form_data, streamfield

from declarations.models import Status
from declarations.tests.factories import make_declaration
from pages.news.models import ArticlePage, SeriesPart

from .factories import category, make_article, series


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("editor", "editor@example.jp", "pass-for-tests-only")
    client.force_login(user)
    return client


def article_data(**overrides):
    values = {
        "title": "集いの場の取り組み",
        "slug": "",
        "published_on": "2026-11-30",
        "category": str(category().pk),
        "introduction": "地域の集いの場を紹介します。",
        "series": "",
        "series_number": "",
        "series_part": "",
        "body": streamfield([]),
        "related_entries": streamfield([]),
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "menu_title": "",
    }
    values.update(overrides)
    data = nested_form_data(values)
    data["action-publish"] = "action-publish"
    return data


def test_staff_publish_an_article_whose_slug_is_its_date(editor_client, index):
    declaration = make_declaration(Status.PUBLISHED, name="株式会社みほん")
    data = article_data(
        tags="居場所づくり, 見守り",
        related_entries=streamfield([("register_entry", f"declaration:{declaration.pk}")]),
    )
    response = editor_client.post(f"/admin/pages/add/news/articlepage/{index.pk}/", data)
    assert response.status_code == 302
    article = ArticlePage.objects.get(title="集いの場の取り組み")
    assert article.live
    assert article.url == "/news/2026-11-30/"
    assert sorted(tag.name for tag in article.tags.all()) == ["居場所づくり", "見守り"]
    html = editor_client.get(article.url).content.decode()
    assert f'<a href="/declarations/{declaration.pk}/">株式会社みほん</a>' in html


def test_a_taken_volume_is_refused_on_the_form_in_japanese(editor_client, index):
    make_article(index, "前編の記事", series=series(), series_number=2, series_part=SeriesPart.FIRST)
    data = article_data(series=str(series().pk), series_number="2", series_part="first")
    response = editor_client.post(f"/admin/pages/add/news/articlepage/{index.pk}/", data)
    assert response.status_code == 200
    assert "「取組紹介 Vol.2 前編」は、すでに記事「前編の記事」で使っています。" in response.content.decode()
    assert not ArticlePage.objects.filter(title="集いの場の取り組み").exists()


def test_an_article_without_a_lead_is_refused(editor_client, index):
    response = editor_client.post(f"/admin/pages/add/news/articlepage/{index.pk}/", article_data(introduction=""))
    assert response.status_code == 200
    assert "記事にはリード文を入れてください" in response.content.decode()


def test_categories_and_series_are_snippets_editors_can_add(editor_client):
    response = editor_client.post(
        "/admin/snippets/news/articlecategory/add/", {"name": "研修案内", "slug": "training", "sort_order": "3"}
    )
    assert response.status_code == 302
    response = editor_client.post(
        "/admin/snippets/news/articlecategory/add/", {"name": "不正", "slug": "日本語", "sort_order": "0"}
    )
    assert "半角の英小文字・数字・ハイフンで入力してください" in response.content.decode()


def test_the_editor_guide_explains_articles(editor_client):
    text = editor_client.get("/admin/guide/").content.decode()
    assert "記事（お知らせ・取組紹介）を載せる" in text
    assert "前編・後編" in text

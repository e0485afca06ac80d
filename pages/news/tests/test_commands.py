"""The initial content builds /news/ with its categories, series and （見本） articles, once."""

import pytest
from django.core.management import CommandError, call_command

from pages.news.management.commands.load_sample_articles import read_data
from pages.news.models import ArticleCategory, ArticleIndexPage, ArticlePage, ArticleSeries


@pytest.fixture
def loaded(db):
    call_command("load_initial_content", verbosity=0)


def test_initial_content_makes_the_list_categories_series_and_sample_articles(loaded, client):
    assert list(ArticleCategory.objects.values_list("name", flat=True)) == ["お知らせ", "取組紹介"]
    assert ArticleSeries.objects.get().name == "取組紹介"
    index = ArticleIndexPage.objects.get()
    assert index.url == "/news/"
    articles = ArticlePage.objects.live().child_of(index)
    assert articles.count() >= 4
    assert all("（見本）" in article.title for article in articles)
    labels = sorted(article.series_label for article in articles if article.series_label)
    assert labels == ["取組紹介 Vol.1", "取組紹介 Vol.2 前編", "取組紹介 Vol.2 後編"]
    # Published on their 掲載日, with no 更新日 shown.
    assert all(article.updated_at is None for article in articles)
    assert client.get("/news/").status_code == 200


def test_a_second_run_changes_nothing(loaded):
    before = (ArticlePage.objects.count(), ArticleCategory.objects.count(), ArticleSeries.objects.count())
    revisions = sorted(ArticlePage.objects.values_list("latest_revision_id", flat=True))
    call_command("load_sample_articles", verbosity=0)
    call_command("load_initial_content", verbosity=0)
    assert (ArticlePage.objects.count(), ArticleCategory.objects.count(), ArticleSeries.objects.count()) == before
    assert sorted(ArticlePage.objects.values_list("latest_revision_id", flat=True)) == revisions


def test_samples_staff_deleted_stay_deleted(loaded):
    ArticlePage.objects.filter(series_number=1).first().delete()
    count = ArticlePage.objects.count()
    call_command("load_sample_articles", verbosity=0)
    assert ArticlePage.objects.count() == count


def write(tmp_path, text):
    path = tmp_path / "articles.toml"
    path.write_text('[index]\ntitle = "お知らせ"\nslug = "news"\n' + text, encoding="utf-8")
    return path


def test_a_sample_without_the_sample_mark_is_refused(tmp_path):
    path = write(
        tmp_path,
        '[[categories]]\nname = "お知らせ"\nslug = "notice"\n'
        '[[articles]]\nslug = "a"\ntitle = "本物らしい記事"\ncategory = "notice"\n'
        'published_on = 2026-01-01\nintroduction = "リード"\n',
    )
    with pytest.raises(CommandError, match="（見本）"):
        read_data(path)


@pytest.mark.parametrize(
    "article, message",
    [
        ('category = "none"', "category「none」が \\[\\[categories\\]\\] にありません"),
        ('category = "notice"\nseries = "無いシリーズ"', "series「無いシリーズ」"),
        ('category = "notice"\npart = "middle"', "part は first、second"),
        ('category = "notice"\ncolour = "red"', "使えない項目があります: colour"),
    ],
)
def test_a_bad_data_file_names_the_entry(tmp_path, article, message):
    path = write(
        tmp_path,
        '[[categories]]\nname = "お知らせ"\nslug = "notice"\n'
        '[[articles]]\nslug = "a"\ntitle = "（見本）記事"\npublished_on = 2026-01-01\n'
        f'introduction = "リード"\n{article}\n',
    )
    with pytest.raises(CommandError, match=message):
        read_data(path)


def test_the_shipped_data_file_is_valid():
    data = read_data("pages/news/data/sample_articles.toml")
    assert {entry["slug"] for entry in data["categories"]} == {"notice", "initiatives"}

"""The article's editorial rules and its place in a series."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from pages.news.listing import year_label
from pages.news.models import ArticlePage, SeriesPart

from .factories import category, make_article, series


def test_series_label_names_the_series_volume_and_part(index):
    article = make_article(index, series=series(), series_number=3)
    assert article.series_label == "取組紹介 Vol.3"
    assert article.full_title == f"{article.title}（取組紹介 Vol.3）"
    first = make_article(index, series=series(), series_number=2, series_part=SeriesPart.FIRST)
    assert first.series_label == "取組紹介 Vol.2 前編"
    assert make_article(index).series_label == ""


def test_a_series_named_like_its_category_is_named_once_beside_the_date(index):
    initiatives = category("取組紹介", "initiatives")
    article = make_article(index, category=initiatives, series=series(), series_number=2, series_part=SeriesPart.FIRST)
    assert article.labels == [("category", "取組紹介"), ("series", "Vol.2 前編")]
    other = make_article(index, series=series(), series_number=3)  # category お知らせ
    assert other.labels == [("category", "お知らせ"), ("series", "取組紹介 Vol.3")]
    assert make_article(index).labels == [("category", "お知らせ")]


def unsaved(index, **fields):
    fields.setdefault("category", category())
    fields.setdefault("introduction", "リード文")
    page = ArticlePage(title="新しい記事", slug="new-article", **fields)
    page.set_url_path(index)
    page.depth = index.depth + 1
    page.path = index.path + "9999"
    return page


def errors_of(page):
    with pytest.raises(ValidationError) as raised:
        page.clean()
    return raised.value.message_dict


def test_an_article_needs_a_lead(index):
    assert "リード文" in errors_of(unsaved(index, introduction="  "))["introduction"][0]


def test_a_series_needs_a_volume_and_a_volume_needs_a_series(index):
    assert "号数" in errors_of(unsaved(index, series=series()))["series_number"][0]
    assert "シリーズ" in errors_of(unsaved(index, series_number=2))["series"][0]
    assert "シリーズ" in errors_of(unsaved(index, series_part=SeriesPart.SECOND))["series"][0]


def test_a_volume_and_part_is_used_once_in_a_series(index):
    make_article(index, "見守りの輪", series=series(), series_number=2, series_part=SeriesPart.FIRST)
    message = errors_of(unsaved(index, series=series(), series_number=2, series_part=SeriesPart.FIRST))
    assert message["series_number"] == ["「取組紹介 Vol.2 前編」は、すでに記事「見守りの輪」で使っています。"]
    # The other part of the same volume, the same volume in another series, and the article itself are fine.
    unsaved(index, series=series(), series_number=2, series_part=SeriesPart.SECOND).clean()
    unsaved(index, series=series("別のシリーズ"), series_number=2, series_part=SeriesPart.FIRST).clean()
    ArticlePage.objects.get(title="見守りの輪").clean()


def test_a_volume_is_either_one_article_or_split_into_parts(index):
    make_article(index, "居場所づくり", series=series(), series_number=1)
    message = errors_of(unsaved(index, series=series(), series_number=1, series_part=SeriesPart.FIRST))
    assert "前編・後編に分けない記事と分けた記事が混ざっています" in message["series_number"][0]


def test_a_draft_counts_for_the_volume_rule(index):
    make_article(index, "下書きの記事", live=False, series=series(), series_number=4)
    assert "下書きの記事" in errors_of(unsaved(index, series=series(), series_number=4))["series_number"][0]


def test_neighbours_follow_reading_order_across_parts(index):
    vol1 = make_article(index, series=series(), series_number=1, published_on=datetime.date(2026, 1, 1))
    # Published out of order: reading order is by volume and part, not by date.
    second = make_article(
        index, series=series(), series_number=2, series_part=SeriesPart.SECOND, published_on=datetime.date(2026, 2, 1)
    )
    first = make_article(
        index, series=series(), series_number=2, series_part=SeriesPart.FIRST, published_on=datetime.date(2026, 3, 1)
    )
    vol3 = make_article(index, series=series(), series_number=3)
    make_article(index, series=series("別のシリーズ"), series_number=2)

    assert vol1.series_neighbours() == (None, first)
    assert first.series_neighbours() == (vol1, second)
    assert second.series_neighbours() == (first, vol3)
    assert vol3.series_neighbours() == (second, None)
    assert first.other_parts() == [second]
    assert second.other_parts() == [first]
    assert vol1.other_parts() == []


def test_neighbours_skip_drafts_and_articles_outside_a_series(index):
    vol1 = make_article(index, series=series(), series_number=1)
    make_article(index, live=False, series=series(), series_number=2)
    vol3 = make_article(index, series=series(), series_number=3)
    assert vol1.series_neighbours() == (None, vol3)
    assert make_article(index).series_neighbours() == (None, None)


def test_year_label_gives_the_era_year_and_both_eras_in_2019():
    assert year_label(2026) == "2026年（令和8年）"
    assert year_label(2019) == "2019年（平成31年・令和元年）"
    assert year_label(1989) == "1989年（昭和64年・平成元年）"


def test_newest_first_orders_by_publication_date(index):
    old = make_article(index, published_on=datetime.date(2025, 5, 1))
    new = make_article(index, published_on=datetime.date(2026, 5, 1))
    assert list(ArticlePage.objects.for_public().newest_first()) == [new, old]


def test_an_article_only_goes_under_the_article_list(index, home):
    assert ArticlePage.can_create_at(index)
    assert not ArticlePage.can_create_at(home)


def test_a_translated_article_keeps_its_volume_and_reads_its_series_in_its_own_language(index):
    # Found by the browser test that translates a page of every type: the English copy of Vol.1 was refused
    # as "Vol.1 is used already", by its own Japanese source.
    english = Locale.objects.get(language_code="en")
    first = make_article(index, "居場所づくり", series=series(), series_number=1)
    second = make_article(index, "見守りの輪", series=series(), series_number=2)
    translated = first.copy_for_translation(english, copy_parents=True).specific
    translated.clean()
    translated.save_revision().publish()

    assert second.series_neighbours() == (first, None)
    assert translated.series_neighbours() == (None, None)
    # In one language the rule stands.
    with pytest.raises(ValidationError):
        ArticlePage(title="Another", slug="another", series=series(), series_number=1, locale=english).clean()

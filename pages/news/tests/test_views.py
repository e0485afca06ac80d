"""What residents see at /news/, on an article, and of the articles on the home page."""

import datetime
import re

import pytest
from wagtail.models import PageViewRestriction

from declarations.models import Status
from declarations.tests.factories import make_declaration
from pages.news.models import SeriesPart

from .factories import category, image_body, make_article, series


def listed_titles(response):
    return re.findall(r'class="article-summary__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_list_shows_articles_newest_first_with_their_era_date_and_labels(client, index):
    make_article(index, "古い記事", published_on=datetime.date(2025, 4, 1))
    make_article(
        index,
        "新しい記事",
        published_on=datetime.date(2026, 10, 7),
        category=category("取組紹介", "initiatives"),
        series=series(),
        series_number=3,
    )
    response = client.get("/news/")
    assert listed_titles(response) == ["新しい記事", "古い記事"]
    text = response.content.decode()
    assert '<time datetime="2026-10-07">令和8年10月7日</time>' in text
    assert "取組紹介 取組紹介" not in re.sub(r"<[^>]+>", "", text)
    series_label = '<span class="article-label article-label--series">Vol.3</span>'
    assert f'<span class="article-label">取組紹介</span> {series_label}' in text
    assert "全2件中 1〜2件を表示" in text


def test_drafts_and_restricted_articles_are_not_listed(client, index):
    make_article(index, "公開の記事")
    make_article(index, "下書きの記事", live=False)
    restricted = make_article(index, "限定公開の記事")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert listed_titles(client.get("/news/")) == ["公開の記事"]


def test_twenty_articles_to_a_page_with_pagination_links(client, index):
    for day in range(1, 23):
        make_article(index, f"記事{day:02d}", published_on=datetime.date(2026, 1, day))
    first = client.get("/news/")
    assert len(listed_titles(first)) == 20
    assert listed_titles(first)[0] == "記事22"
    text = first.content.decode()
    assert '<nav class="pagination" aria-label="ページ送り">' in text
    assert '<span aria-current="page">1' in text
    assert 'href="?page=2#results" rel="next">次のページ</a>' in text

    second = client.get("/news/?page=2")
    assert listed_titles(second) == ["記事02", "記事01"]
    assert "全22件中 21〜22件を表示" in second.content.decode()
    assert "（2ページ目）｜" in second.content.decode()


@pytest.fixture
def mixed(index):
    make_article(index, "お知らせ2025", published_on=datetime.date(2025, 6, 1), tags=["研修"])
    make_article(index, "お知らせ2026", published_on=datetime.date(2026, 6, 1))
    make_article(
        index,
        "取組2026",
        published_on=datetime.date(2026, 7, 1),
        category=category("取組紹介", "initiatives"),
        tags=["研修", "見守り"],
    )
    return index


def test_filter_by_category_and_year_keeps_the_selection(client, mixed):
    response = client.get("/news/?category=notice&year=2026")
    assert listed_titles(response) == ["お知らせ2026"]
    text = response.content.decode()
    assert '<option value="notice" selected>お知らせ</option>' in text
    assert '<option value="2026" selected>2026年（令和8年）</option>' in text
    assert "分類：お知らせ、掲載年：2026年（令和8年）の記事 全1件中" in text
    assert '<a href="/news/">条件をすべて解除する</a>' in text


def test_year_choices_are_the_years_articles_were_published_in(client, mixed):
    text = client.get("/news/").content.decode()
    assert re.findall(r'<option value="(\d{4})"', text) == ["2026", "2025"]


def test_filter_by_tag_keeps_it_when_a_category_is_chosen(client, mixed):
    response = client.get("/news/?tag=研修")
    assert listed_titles(response) == ["取組2026", "お知らせ2025"]
    text = response.content.decode()
    assert "タグ「研修」の付いた記事です。" in text
    assert '<input type="hidden" name="tag" value="研修">' in text
    assert listed_titles(client.get("/news/?tag=研修&category=notice")) == ["お知らせ2025"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=abc", "指定された掲載年（abc）の記事はありません。すべての年の記事を表示しています。"),
        ("year=1999", "指定された掲載年（1999）の記事はありません。"),
        ("category=zzz", "指定された分類（zzz）はありません。すべての分類の記事を表示しています。"),
        ("page=999", "指定されたページ（999）はありません。1ページ目を表示しています。"),
        ("page=-1", "指定されたページ（-1）はありません。"),
        ("page=abc", "指定されたページ（abc）はありません。"),
        ("tag=" + "あ" * 101, "タグの指定が長すぎます（100文字まで）。"),
    ],
)
def test_a_bad_parameter_gives_a_clear_message_and_the_whole_list(client, mixed, query, message):
    response = client.get(f"/news/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(listed_titles(response)) == 3


@pytest.mark.parametrize(
    "query, shown",
    [
        ("year=19%E2%80%AE99", "指定された掲載年（1999）の記事はありません。"),
        ("category=z%E2%81%A6zz", "指定された分類（zzz）はありません。"),
        ("page=9%E2%80%AE99", "指定されたページ（999）はありません。"),
        (
            "tag=%E2%80%AE%01%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84",
            "「存在しない」というタグの付いた記事はありません。",
        ),
    ],
)
def test_a_filter_echoed_back_carries_no_override_or_control_character(client, mixed, query, shown):
    text = client.get(f"/news/?{query}").content.decode()
    assert shown in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_the_hidden_tag_field_keeps_the_tag_without_the_override(client, mixed):
    response = client.get("/news/?tag=%E2%80%AE研修")
    assert '<input type="hidden" name="tag" value="研修">' in response.content.decode()
    assert listed_titles(response) == listed_titles(client.get("/news/?tag=研修"))


def test_a_field_error_is_tied_to_its_field(client, mixed):
    text = client.get("/news/?year=abc").content.decode()
    assert 'aria-describedby="id_year_error"' in text
    assert 'aria-invalid="true"' in text


def test_an_unknown_tag_says_so_and_lists_nothing(client, mixed):
    response = client.get("/news/?tag=存在しないタグ")
    assert listed_titles(response) == []
    text = response.content.decode()
    assert "「存在しないタグ」というタグの付いた記事はありません。" in text
    assert "条件に当てはまる記事はありません。" in text


def test_an_image_tag_is_not_an_article_tag(client, mixed):
    from wagtail.images import get_image_model

    from pages.tests.factories import make_image

    make_image("写真").tags.add("写真だけのタグ")
    assert get_image_model().objects.filter(tags__name="写真だけのタグ").exists()
    assert (
        "「写真だけのタグ」というタグの付いた記事はありません。"
        in client.get("/news/?tag=写真だけのタグ").content.decode()
    )


def test_an_article_page_shows_its_date_lead_body_photo_and_tags(client, index):
    body, image = image_body(alt_text="集いの場で話す参加者", caption="集いの場の様子")
    article = make_article(
        index,
        "集いの場をひらく",
        published_on=datetime.date(2019, 5, 1),
        introduction="地域の集いの場を紹介します。",
        body=body,
        tags=["居場所づくり"],
    )
    response = client.get(article.url)
    text = response.content.decode()
    assert "<title>集いの場をひらく｜" in text
    assert '<dt>掲載日</dt><dd><time datetime="2019-05-01">令和元年5月1日</time></dd>' in text
    assert '<p class="page__intro article__lead">地域の集いの場を紹介します。</p>' in text
    assert 'alt="集いの場で話す参加者"' in text
    assert "<figcaption>集いの場の様子</figcaption>" in text
    assert f'href="/news/?tag={"%E5%B1%85%E5%A0%B4%E6%89%80%E3%81%A5%E3%81%8F%E3%82%8A"}">居場所づくり' in text
    assert '<a href="/news/">お知らせ・取組紹介の一覧へ戻る</a>' in text


def test_an_article_links_to_its_neighbours_and_other_part(client, index):
    vol1 = make_article(index, "第1号", series=series(), series_number=1)
    first = make_article(index, "第2号の前編", series=series(), series_number=2, series_part=SeriesPart.FIRST)
    second = make_article(index, "第2号の後編", series=series(), series_number=2, series_part=SeriesPart.SECOND)
    text = client.get(first.url).content.decode()
    assert "取組紹介 Vol.2 前編" in text
    assert "<title>第2号の前編（取組紹介 Vol.2 前編）｜" in text
    direction = '<span class="series-nav__direction">'
    assert f'<a href="{vol1.url}" rel="prev">{direction}前の記事</span> 取組紹介 Vol.1「第1号」</a>' in text
    assert (
        f'<a href="{second.url}" rel="next">{direction}次の記事</span> 取組紹介 Vol.2 後編「第2号の後編」</a>' in text
    )
    assert f'<a href="{second.url}">後編「第2号の後編」を読む</a>' in text
    assert 'rel="prev"' not in client.get(vol1.url).content.decode()


def test_an_article_outside_a_series_has_no_series_links(client, index):
    text = client.get(make_article(index).url).content.decode()
    assert "series-nav" not in text


def test_related_register_entries_link_to_public_declarations_only(client, index):
    public = make_declaration(Status.PUBLISHED, name="株式会社みほん見守り商店")
    withdrawn = make_declaration(Status.PUBLISHED, name="取り下げた見本会社")
    article = make_article(
        index,
        related_entries=[
            ("register_entry", f"declaration:{public.pk}"),
            ("register_entry", f"declaration:{withdrawn.pk}"),
            ("register_entry", "no-such-kind:1"),
        ],
    )
    withdrawn.status = Status.WITHDRAWN
    withdrawn.save()
    text = client.get(article.url).content.decode()
    assert "この記事に関連する情報" in text
    assert f'宣言企業・団体：<a href="/declarations/{public.pk}/">株式会社みほん見守り商店</a>（高知市）' in text
    assert "取り下げた見本会社" not in text


def test_the_home_page_shows_the_five_newest_articles(client, index):
    for day in range(1, 8):
        make_article(index, f"記事{day}", published_on=datetime.date(2026, 3, day))
    make_article(index, "下書き", live=False, published_on=datetime.date(2026, 4, 1))
    response = client.get("/")
    assert listed_titles(response) == ["記事7", "記事6", "記事5", "記事4", "記事3"]
    assert '<a href="/news/">お知らせ・取組紹介の一覧</a>' in response.content.decode()


def test_the_home_page_without_an_article_list_has_no_article_section(client, home):
    assert "latest-articles" not in client.get("/").content.decode()

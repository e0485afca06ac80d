"""What feed readers, search engines and link previews get of the articles."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from pages.news.models import SeriesPart

from .factories import category, image_body, make_article, series

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(client):
    feed = ET.fromstring(client.get("/feeds/atom.xml").content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}


def test_the_atom_feed_has_published_articles_with_their_category_and_date(client, index):
    article = make_article(
        index,
        "見守りの輪",
        published_on=datetime.date(2020, 6, 1),
        category=category("取組紹介", "initiatives"),
        series=series(),
        series_number=2,
        series_part=SeriesPart.FIRST,
        introduction="見守りの輪の記事です。",
    )
    make_article(index, "下書きのお知らせ", live=False)
    entries = feed_entries(client)
    entry = entries["取組紹介：見守りの輪（取組紹介 Vol.2 前編）"]
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver" + article.url
    assert entry.findtext(f"{ATOM}summary") == "見守りの輪の記事です。"
    # A 掲載日 in the past counts from 9:00 Japan time that day.
    published = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published.astimezone(ZoneInfo("Asia/Tokyo")) == datetime.datetime(
        2020, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )
    assert not any("下書き" in title for title in entries)


def test_an_article_published_on_its_date_keeps_the_moment_it_went_live(client, index):
    from django.utils import timezone

    article = make_article(index, "今日の記事", published_on=timezone.localdate())
    entry = feed_entries(client)["お知らせ：今日の記事"]
    published = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert abs(published - article.first_published_at) < datetime.timedelta(seconds=1)


def test_the_sitemap_lists_the_list_and_published_articles(client, index):
    article = make_article(index)
    draft = make_article(index, live=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/news/</loc>" in xml
    assert f"{article.url}</loc>" in xml
    assert f"{draft.url_path.removeprefix('/home')}</loc>" not in xml


def json_ld(html):
    return [
        json.loads(script) for script in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_an_article_describes_itself_as_a_news_article(client, index):
    body, image = image_body()
    article = make_article(
        index,
        "居場所</script><script>alert(1)</script>",
        published_on=datetime.date(2026, 3, 15),
        category=category("取組紹介", "initiatives"),
        series=series(),
        series_number=1,
        introduction="居場所づくりの取り組みです。",
        tags=["居場所づくり"],
        body=body,
    )
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    [data] = [item for item in json_ld(html) if item["@type"] == "NewsArticle"]
    assert data["headline"] == "居場所</script><script>alert(1)</script>（取組紹介 Vol.1）"
    assert data["datePublished"] == "2026-03-15"
    assert data["url"] == article.full_url
    assert data["articleSection"] == "取組紹介"
    assert data["description"] == "居場所づくりの取り組みです。"
    assert data["keywords"] == ["居場所づくり"]
    assert data["image"][0].startswith("http://testserver/media/images/")
    assert data["isPartOf"] == {"@type": "CreativeWorkSeries", "name": "取組紹介"}
    assert "dateModified" not in data


def test_an_article_has_open_graph_article_properties(client, index):
    body, image = image_body()
    article = make_article(index, "研修のお知らせ", published_on=datetime.date(2026, 3, 15), tags=["研修"], body=body)
    html = client.get(article.url).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="article:published_time" content="2026-03-15">' in html
    assert '<meta property="article:section" content="お知らせ">' in html
    assert '<meta property="article:tag" content="研修">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/images/[^"]+\.png">', html)


def test_an_article_without_a_photo_has_no_image(client, index):
    html = client.get(make_article(index).url).content.decode()
    assert "og:image" not in html
    [data] = [item for item in json_ld(html) if item["@type"] == "NewsArticle"]
    assert "image" not in data

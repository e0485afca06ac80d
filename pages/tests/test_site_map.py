"""The human-readable site map (/sitemap/), the footer's links and breadcrumbs on every kind of view."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from pages.discovery import registry
from pages.discovery.site_map import LIST_CHILDREN_UP_TO
from pages.models import SectionPage

from .factories import make_event, make_event_index, publish

pytestmark = pytest.mark.django_db


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def breadcrumb_of(response):
    match = re.search(
        r'<nav class="breadcrumb" aria-labelledby="breadcrumb-heading">\s*'
        r'<h2 id="breadcrumb-heading" class="visually-hidden">現在位置</h2>(.*?)</nav>',
        response.content.decode(),
        re.S,
    )
    return match.group(1) if match else None


@pytest.fixture
def tree(home):
    declaration = publish(home, SectionPage(title="推進宣言", slug="declaration"))
    publish(declaration, SectionPage(title="宣言書", slug="document"))
    publish(home, SectionPage(title="研修", slug="training"))
    hidden = SectionPage(title="下書き", slug="draft", live=False)
    home.add_child(instance=hidden)
    events = make_event_index(home)
    make_event(events, "forum", "フォーラム", datetime.date(2026, 3, 15))
    return home


def test_the_site_map_nests_live_pages_in_tree_order(client, tree):
    main = main_of(client.get("/sitemap/"))

    assert re.search(
        r'<a href="/">トップページ</a>\s*<ul>\s*<li><a href="/declaration/">推進宣言</a><ul>\s*'
        r'<li><a href="/declaration/document/">宣言書</a></li>\s*</ul>\s*</li>\s*'
        r'<li><a href="/training/">研修</a></li>',
        main,
    ), main
    assert main.index("/training/") < main.index("/events/")
    assert "下書き" not in main


def test_a_list_of_dated_pages_shows_as_its_list_page_and_count(client, tree):
    main = main_of(client.get("/sitemap/"))
    assert '<a href="/events/">行事等</a>（1件のページ）' in main
    assert "フォーラム" not in main


def test_a_page_with_many_children_shows_only_their_count(client, home):
    parent = publish(home, SectionPage(title="資料", slug="documents"))
    for number in range(LIST_CHILDREN_UP_TO + 1):
        publish(parent, SectionPage(title=f"資料{number}", slug=f"doc-{number}"))

    main = main_of(client.get("/sitemap/"))
    assert f"（{LIST_CHILDREN_UP_TO + 1}件のページ）" in main
    assert "資料0" not in main


def test_the_sections_that_are_not_pages_come_from_the_registry(client, tree):
    main = main_of(client.get("/sitemap/"))
    assert f'<a href="{reverse("declarations:register")}">宣言企業・団体一覧</a>' in main
    assert f'<a href="{reverse("declarations:register_csv")}">' in main
    assert f'<a href="{reverse("search")}">サイト内検索</a>' in main
    assert main.index("宣言企業・団体一覧") < main.index("サイト内検索")


def test_an_app_adds_its_own_section_through_the_registry(client, tree):
    registry.add_site_map_links("test", lambda: [registry.SiteMapLink(title="センター一覧", url="/centres/", order=20)])
    try:
        main = main_of(client.get("/sitemap/"))
    finally:
        registry._site_map_links.pop("test")
    assert '<a href="/centres/">センター一覧</a>' in main


def test_the_site_map_does_not_shadow_the_xml_sitemap(client, tree):
    assert client.get("/sitemap.xml").headers["Content-Type"].startswith("application/xml")
    assert client.get("/sitemap/").headers["Content-Type"].startswith("text/html")


def test_every_page_links_the_site_map_the_prefecture_and_the_top_of_the_page(client, tree):
    html = client.get("/training/").content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    assert '<a href="/sitemap/">サイトマップ</a>' in footer
    assert '<a href="https://www.pref.kochi.lg.jp/">高知県ホームページ</a>' in footer
    assert '<a href="#top">ページの先頭へ</a>' in footer
    assert '<body id="top"' in html


@override_settings(PREFECTURE_TOP_URL="https://www.pref.kochi.lg.jp/soshiki/060101/")
def test_the_prefecture_link_follows_the_setting(client, tree):
    assert 'href="https://www.pref.kochi.lg.jp/soshiki/060101/">高知県ホームページ' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("path", "last"),
    [
        ("/declaration/document/", "宣言書"),
        ("/events/forum/", "フォーラム"),
        ("/sitemap/", "サイトマップ"),
        ("/search/?q=共生", "サイト内検索"),
        ("/declarations/", None),
        ("/declarations/apply/", None),
        ("/no-such-page/", "ページが見つかりません"),
    ],
)
def test_breadcrumbs_are_named_by_a_heading_and_end_at_the_current_page(client, tree, path, last):
    nav = breadcrumb_of(client.get(path))

    assert nav is not None, path
    assert '<li><a href="/">トップページ</a></li>' in nav
    current = re.findall(r'<span aria-current="page">(.*?)</span>', nav)
    assert len(current) == 1
    if last:
        assert current[0] == last
    assert nav.rstrip().endswith("</ol>")
    assert nav.rindex("<li>") < nav.index('aria-current="page"')  # the current page is the last item

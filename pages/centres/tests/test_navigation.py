"""The directory is reached from every page's main menu and from the site map, as the register is."""

import re

import pytest

from .factories import make_centre

pytestmark = pytest.mark.django_db


def main_menu(response):
    html = response.content.decode()
    return re.search(r'<nav class="main-nav" aria-label="メインメニュー">(.*?)</nav>', html, re.S).group(1)


def test_every_page_has_the_centres_in_its_main_menu_before_the_register(client, home):
    nav = main_menu(client.get("/sitemap/"))

    assert '<a href="/centres/">あったかふれあいセンター</a>' in nav
    assert nav.index("あったかふれあいセンター") < nav.index("宣言企業・団体一覧")


@pytest.mark.parametrize(("path", "current"), [("/centres/", "page"), ("/centres/hidamari/", "true")])
def test_the_menu_marks_the_directory_on_its_pages(client, home, path, current):
    make_centre("ひだまりテスト館", key="hidamari", municipality="四万十市")

    nav = main_menu(client.get(path))

    assert f'<a href="/centres/" aria-current="{current}">あったかふれあいセンター</a>' in nav
    assert '<a href="/declarations/">宣言企業・団体一覧</a>' in nav


def test_the_site_map_lists_the_directory_and_its_open_data(client, home):
    html = client.get("/sitemap/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]

    assert '<a href="/centres/">あったかふれあいセンター</a>' in main
    assert '<a href="/centres/centres.csv">' in main
    assert '<a href="/centres/centres.json">' in main


def test_the_xml_sitemap_lists_the_directory(client, home):
    assert "/centres/</loc>" in client.get("/sitemap.xml").content.decode()

"""Search, the sitemap, the feed and robots.txt are services any app registers with; the CMS
(`pages`) imports no content app outside its tests, and the search package no app at all."""

import ast
import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.sitemaps import Sitemap
from django.db.models.signals import post_save
from django.utils import timezone

from pages.discovery import registry as discovery
from pages.search import registry
from pages.search.indexing import index_object, rebuild_index, reindex_saved
from pages.search.models import SearchEntry

pytestmark = [pytest.mark.django_db, pytest.mark.database]

PAGES = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"


def _group_values(group, entry):
    return {
        "kind": "group",
        "title": group.name,
        "body": f"{group.name}の紹介",
        "url": f"/groups/{group.pk}/",
        "date": None,
        "is_public": not group.name.startswith("非公開"),
    }


def _connect_groups():
    post_save.connect(reindex_saved, sender=Group, dispatch_uid="test-search-group-saved")


@pytest.fixture
def group_source():
    """Any model can be made searchable by registering a source for it (here: auth groups)."""
    source = registry.register(
        registry.SearchSource(
            model=Group,
            kinds={"group": "グループ"},
            objects=lambda: Group.objects.all(),
            values=_group_values,
            suggested_links=lambda request: [("グループの一覧", "/groups/")],
            connect=_connect_groups,
        )
    )
    yield source
    registry.unregister(Group)
    post_save.disconnect(sender=Group, dispatch_uid="test-search-group-saved")


def test_a_registered_source_is_indexed_on_save_and_listed_with_its_label_and_url(client, group_source):
    group = Group.objects.create(name="見守りボランティア")
    Group.objects.create(name="非公開の見守り係")

    html = client.get("/search/", {"q": "見守り"}).content.decode()

    assert "「見守り」の検索結果：1件" in html
    assert '<span class="search-result__kind">グループ</span>' in html
    assert f'<a href="/groups/{group.pk}/"><mark>見守り</mark>ボランティア</a>' in html


def test_a_registered_source_offers_its_links_when_nothing_is_found(client, group_source):
    html = client.get("/search/", {"q": "どこにもないことば"}).content.decode()

    assert '<a href="/groups/">グループの一覧</a>' in html


def test_the_search_page_says_what_it_searches_from_the_registered_kinds(client, group_source):
    html = client.get("/search/").content.decode()

    # By each source's rank (the register's is after the CMS's), then in registration order.
    assert "ページ、行事、資料、記事、グループ、あったかふれあいセンター、宣言企業・団体をまとめて検索できます" in html


def test_the_rebuild_indexes_every_registered_source_and_drops_a_removed_one(group_source):
    group = Group.objects.create(name="ふれあい会")
    SearchEntry.objects.all().delete()

    counts = rebuild_index()
    assert counts["group"] == Group.objects.count()  # the groups migrations made, too
    assert SearchEntry.objects.public().matching(["ふれあい"]).get().object_id == group.pk

    registry.unregister(Group)
    rebuild_index()
    assert not SearchEntry.objects.filter(kind="group").exists()


def test_a_model_without_a_source_is_not_indexed():
    group = Group.objects.create(name="登録していないモデル")

    assert index_object(group) is None
    assert not SearchEntry.objects.exists()


class _Outline(Sitemap):
    def items(self):
        return ["/outline/"]

    def location(self, item):
        return item


@pytest.fixture
def extra_discovery():
    discovery.add_sitemap("outline", _Outline)
    published = timezone.make_aware(datetime.datetime(2099, 1, 1, 9, 0))
    discovery.add_feed_section(
        discovery.FeedSection(
            name="お知らせ",
            summary="お知らせ",
            items=lambda request, limit: [
                discovery.FeedItem("notice-1", "お知らせ：開所", "開所しました。", "/notices/1/", published)
            ],
        )
    )
    discovery.add_robots_disallow("outline", lambda: ["/outline/drafts/"])
    yield
    discovery.SITEMAPS.pop("outline")
    discovery._feed_sections.pop("お知らせ")
    discovery._robots_disallows.pop("outline")


def test_an_app_adds_its_own_sitemap_section_feed_items_and_robots_lines(client, extra_discovery):
    assert "/outline/</loc>" in client.get("/sitemap.xml").content.decode()
    assert "Disallow: /outline/drafts/\n" in client.get("/robots.txt").content.decode()

    feed = ET.fromstring(client.get("/feeds/atom.xml").content)
    assert feed.findtext(f"{ATOM}title").endswith("新着の行事・推進宣言・記事・お知らせ")
    entries = list(feed.iter(f"{ATOM}entry"))
    assert entries[0].findtext(f"{ATOM}title") == "お知らせ：開所"  # the newest first, whatever its section
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/notices/1/"


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            prefix = "." * node.level
            yield prefix + (node.module or "")


def _runtime_modules(folder):
    return [
        path
        for path in folder.rglob("*.py")
        if "tests" not in path.relative_to(PAGES).parts and "migrations" not in path.relative_to(PAGES).parts
    ]


def test_pages_imports_nothing_from_declarations_outside_its_tests():
    offenders = [
        f"{path.relative_to(PAGES.parent)}: {name}"
        for path in _runtime_modules(PAGES)
        for name in _imports(path)
        if name == "declarations" or name.startswith("declarations.")
    ]
    assert offenders == []


def _sibling_imports(path):
    """The modules of the same package that `path` imports (`from .x import y`, `from . import x`)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                yield node.module.split(".")[0]
            else:
                yield from (alias.name for alias in node.names)


def test_the_search_package_imports_no_app_and_its_modules_form_no_circle():
    modules = _runtime_modules(PAGES / "search")
    for path in modules:
        apps = [name for name in _imports(path) if name.split(".")[0] in ("pages", "declarations")]
        assert apps == [], f"{path.name} imports {apps}"

    edges = {path.stem: set(_sibling_imports(path)) for path in modules}

    def reachable(start):
        seen, todo = set(), list(edges[start])
        while todo:
            name = todo.pop()
            if name not in seen and name in edges:
                seen.add(name)
                todo += edges[name]
        return seen

    assert [module for module in edges if module in reachable(module)] == []

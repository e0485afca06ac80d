"""The site frame each process keeps for one page-cache generation (pages/site_context.py): the site, its
settings, the home page and the top-level pages are fetched once, and every committed change reaches the
next request. tests/test_page_cache.py runs its freshness tests with the frame on as well."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from core import page_cache
from pages import site_context
from pages.models import ContactSettings, SectionPage
from pages.news.models import ArticlePage
from pages.news.tests.factories import make_article, make_index

from .factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frame_on(settings):
    # The full-page cache stays off: these are the uncached renders the frame is for.
    settings.SITE_FRAME_CACHE = True
    settings.PAGE_CACHE_ENABLED = False
    cache.clear()
    site_context.clear_frames()
    yield
    cache.clear()
    site_context.clear_frames()


@pytest.fixture
def section(home, committed):
    section = committed(lambda: publish(home, SectionPage(title="推進宣言のご案内", slug="declaration")))
    committed(lambda: publish(section, SectionPage(title="宣言書", slug="document")))
    return section


def queries_for(path):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 200, path
    return response, [query["sql"] for query in queries]


def test_a_second_render_asks_only_for_its_own_page(section):
    _, first = queries_for("/declaration/document/")
    response, second = queries_for("/declaration/document/")
    assert any("wagtailcore_site" in sql for sql in first)
    assert not any("wagtailcore_site" in sql for sql in second)
    assert len(second) < len(first)
    html = response.content.decode()
    assert '<span aria-current="page">宣言書</span>' in html
    assert '<a href="/declaration/" aria-current="true">推進宣言のご案内</a>' in html


def test_the_home_page_and_a_top_level_page_need_no_routing_query(section):
    for path in ("/", "/declaration/"):
        queries_for(path)
        _, again = queries_for(path)
        assert not any("kyosei_restricted" in sql for sql in again), path  # the routing query's annotation


def test_links_in_the_menu_and_breadcrumb_do_not_ask_the_cache_for_the_site_root_paths(section, monkeypatch):
    # Wagtail reads its list of site root paths from the cache (a query on the database cache) for each
    # page whose `.url` is asked without a request; the frame keeps the list.
    Client().get("/declaration/document/")
    calls = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: calls.append(1) or original()))
    html = Client().get("/declaration/document/").content.decode()
    assert calls == []
    assert '<a href="/declaration/" aria-current="true">推進宣言のご案内</a>' in html  # the menu
    assert '<a href="/">トップページ</a>' in html  # the breadcrumb


def test_a_changed_contact_setting_is_in_the_footer_of_the_next_render(home, committed):
    site = Site.objects.get()
    committed(lambda: ContactSettings.objects.create(site=site, department="地域福祉政策課"))
    assert "地域福祉政策課" in Client().get("/").content.decode()

    def rename():
        setting = ContactSettings.objects.get(site=site)
        setting.department = "共生社会推進課"
        setting.save()

    committed(rename)
    html = Client().get("/").content.decode()
    assert "共生社会推進課" in html and "地域福祉政策課" not in html


def test_a_new_top_level_page_is_in_the_menu_of_the_next_render(section, committed):
    Client().get("/declaration/")
    committed(lambda: publish(section.get_parent(), SectionPage(title="研修のご案内", slug="training")))
    html = Client().get("/declaration/").content.decode()
    nav = html[html.index('class="main-nav"') : html.index("</nav>")]
    assert "研修のご案内" in nav
    assert Client().get("/training/").status_code == 200


def test_an_unpublished_top_level_page_is_gone_from_the_next_render(section, committed):
    assert Client().get("/declaration/").status_code == 200
    committed(lambda: section.unpublish())
    assert Client().get("/declaration/").status_code == 404
    # What is below a draft is still served, as Wagtail serves it.
    assert Client().get("/declaration/document/").status_code == 200
    assert 'href="/declaration/"' not in Client().get("/").content.decode()


def test_without_the_shared_cache_each_request_builds_its_own_frame_and_keeps_none(section, monkeypatch):
    def unreachable():
        raise ConnectionError("the shared cache is down")

    monkeypatch.setattr(page_cache, "current_generation", unreachable)
    for _ in range(2):
        response, sql = queries_for("/declaration/")
        assert any("wagtailcore_site" in query for query in sql)
        assert "推進宣言のご案内" in response.content.decode()
    assert site_context._frames == {}


def test_what_one_request_sets_on_a_page_or_setting_stays_its_own(section):
    first = RequestFactory().get("/", HTTP_HOST="localhost")
    context = site_context.for_request(first)
    context.top_level[0].title = "書き換え"
    ContactSettings.for_request(first).department = "書き換え"

    second = RequestFactory().get("/", HTTP_HOST="localhost")
    assert site_context.for_request(second).top_level[0].title == "推進宣言のご案内"
    assert ContactSettings.for_request(second).department != "書き換え"
    assert ContactSettings.for_request(second)._request is second


def test_any_number_of_ports_in_host_headers_keeps_a_bounded_number_of_frames(home, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    for port in range(8000, 8000 + 3 * site_context.FRAME_LIMIT):
        assert Client().get("/", HTTP_HOST=f"localhost:{port}").status_code == 200
    assert 0 < len(site_context._frames) <= site_context.FRAME_LIMIT


def test_an_article_behind_a_view_restriction_leaves_the_home_page_once_the_restriction_commits(home, committed):
    index = committed(lambda: make_index(home))
    committed(lambda: make_article(index, "公開の記事"))
    committed(lambda: make_article(index, "会員向けの記事"))
    html = Client().get("/").content.decode()
    assert "公開の記事" in html and "会員向けの記事" in html
    secret = ArticlePage.objects.get(title="会員向けの記事")
    committed(
        lambda: PageViewRestriction.objects.create(
            page=secret, restriction_type=PageViewRestriction.PASSWORD, password="pw"
        )
    )
    with CaptureQueriesContext(connection) as queries:
        html = Client().get("/").content.decode()
    # The page's own translations (the language switcher) are read with their restrictions on every
    # render; the frame's restrictions are what must be kept.
    first = [query["sql"] for query in queries if "kyosei_translation_restricted" not in query["sql"]]
    assert "公開の記事" in html and "会員向けの記事" not in html
    assert any("wagtailcore_pageviewrestriction" in sql for sql in first)  # the frame built again
    with CaptureQueriesContext(connection) as queries:
        assert "会員向けの記事" not in Client().get("/").content.decode()
    again = [query["sql"] for query in queries if "kyosei_translation_restricted" not in query["sql"]]
    assert not any("wagtailcore_pageviewrestriction" in sql for sql in again)  # kept: no query for them
    assert len(again) < len(first)

"""The per-request site context (pages/site_context.py) answers exactly as Wagtail would, in fewer queries."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from pages import site_context
from pages.models import ContactSettings, EventIndexPage, EventPage, SectionPage

from .factories import make_event, make_event_index, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_home(home):
    root = Page.get_first_root_node()
    return publish(root, SectionPage(title="別のサイト", slug="other"))


def request_for(host):
    return RequestFactory().get("/", HTTP_HOST=host)


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8000", "other.example.jp", "other.example.jp:8080", "unknown.example.jp", "127.0.0.1:9"],
)
def test_the_site_is_the_one_wagtail_would_choose(home, other_home, host, settings):
    settings.ALLOWED_HOSTS = ["*"]
    Site.objects.create(hostname="other.example.jp", port=8080, root_page=other_home)
    request = request_for(host)
    hostname, _, port = host.partition(":")
    expected = get_site_for_hostname(hostname, int(port or 80))
    assert site_context.find_site(request) == expected
    # Stored where Wagtail looks: asking Wagtail again costs nothing.
    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(request) == expected
    assert len(queries) == 0


def test_the_site_settings_come_with_the_site_in_one_query(home):
    ContactSettings.objects.create(
        site=Site.objects.get(), department="地域福祉政策課", postal_code="780-8570", address="高知市"
    )
    request = request_for("localhost")
    with CaptureQueriesContext(connection) as queries:
        site_context.find_site(request)
        assert ContactSettings.for_request(request).department == "地域福祉政策課"
    assert len(queries) == 1


def test_a_setting_nobody_entered_is_still_created_on_first_use(home):
    request = request_for("localhost")
    site_context.find_site(request)
    assert ContactSettings.for_request(request).pk is not None


def test_specific_pages_of_several_types_come_in_one_query(home):
    index = make_event_index(home)
    make_event(index, "forum", "フォーラム", datetime.date(2022, 10, 30), venue="県民文化ホール")
    with CaptureQueriesContext(connection) as queries:
        pages = site_context.specific_pages(Page.objects.filter(depth__gte=2).order_by("path"))
        venues = [getattr(page, "venue", None) for page in pages]
    assert len(queries) == 1
    assert [type(page) for page in pages] == [type(home), EventIndexPage, EventPage]
    assert venues == [None, None, "県民文化ホール"]


def test_an_unknown_address_and_a_draft_are_not_found(client, home):
    draft = SectionPage(title="下書き", slug="draft", live=False)
    home.add_child(instance=draft)
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/draft/").status_code == 404


def test_a_live_page_below_a_draft_is_served_as_wagtail_serves_it(client, home):
    draft = SectionPage(title="下書きの親", slug="parent", live=False)
    home.add_child(instance=draft)
    publish(draft, SectionPage(title="公開中の子", slug="child"))
    response = client.get("/parent/child/")
    assert response.status_code == 200
    assert "<h1>公開中の子</h1>" in response.content.decode()


def test_a_restricted_page_and_what_is_below_it_ask_for_the_password(client, home):
    section = publish(home, SectionPage(title="関係者向け", slug="members"))
    publish(section, SectionPage(title="会議資料", slug="papers"))
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    for url in ["/members/", "/members/papers/"]:
        html = client.get(url).content.decode()
        assert 'name="password"' in html, url


def test_a_page_with_its_own_route_is_handed_the_rest_of_the_path(client, home, monkeypatch):
    section = publish(home, SectionPage(title="一覧", slug="list"))

    def route(self, request, path_components):
        from django.http import Http404
        from wagtail.url_routing import RouteResult

        if path_components == ["2024"]:
            return RouteResult(self, kwargs={})
        raise Http404

    monkeypatch.setattr(SectionPage, "route", route)
    assert client.get("/list/2024/").status_code == 200
    assert client.get("/list/2023/").status_code == 404
    assert client.get(section.url).status_code == 404  # its route() answers for itself too


def test_the_menu_and_breadcrumb_come_from_the_routing_query(client, home):
    section = publish(home, SectionPage(title="推進宣言のご案内", slug="declaration", menu_title="推進宣言"))
    publish(section, SectionPage(title="宣言書", slug="document"))
    publish(home, SectionPage(title="メニュー外", slug="hidden", show_in_menus=False))
    html = client.get("/declaration/document/").content.decode()
    nav = html[html.index('class="main-nav"') : html.index("</nav>")]
    assert '<a href="/declaration/" aria-current="true">推進宣言</a>' in nav
    assert "メニュー外" not in nav
    crumbs = html[html.index('class="breadcrumb"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert '<a href="/">トップページ</a>' in crumbs
    assert '<a href="/declaration/">推進宣言</a>' in crumbs
    assert '<span aria-current="page">宣言書</span>' in crumbs


def test_the_site_root_paths_are_read_once_per_request_for_every_link(client, home, monkeypatch):
    # Wagtail reads them from the cache (a query on the default database cache) for each page whose `.url`
    # is asked without a request: the menu's entries and the breadcrumb's crumbs.
    section = publish(home, SectionPage(title="推進宣言のご案内", slug="declaration", menu_title="推進宣言"))
    publish(home, SectionPage(title="研修のご案内", slug="training"))
    publish(section, SectionPage(title="宣言書", slug="document"))
    calls = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(lambda: calls.append(1) or original()))
    for path in ("/", "/declaration/", "/declaration/document/"):
        calls.clear()
        html = client.get(path).content.decode()
        assert 'href="/training/"' in html
        assert len(calls) <= 1, path

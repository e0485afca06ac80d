"""The register plugs into the CMS's shared services (search, sitemap, feed, robots.txt, the home
page's 宣言数) through what it registers in DeclarationsConfig.ready(); pages never imports it."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from declarations.models import Declaration, Status
from pages.search import registry
from pages.search.models import SearchEntry
from pages.tests.factories import make_home

from .factories import make_declaration

pytestmark = [pytest.mark.django_db, pytest.mark.database]

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_register_is_a_registered_search_source():
    source = registry.source_for_model(Declaration)

    assert source is not None
    assert registry.kind_labels()["declaration"] == "宣言企業・団体"


def test_a_published_declaration_is_found_by_the_site_search_with_a_link_to_its_page(client):
    declaration = make_declaration(
        Status.PUBLISHED, name="株式会社よさこい見守り", content="店頭での声かけを続けます。"
    )

    html = client.get(reverse("search"), {"q": "よさこい"}).content.decode()

    assert '<span class="search-result__kind">宣言企業・団体</span>' in html
    assert f'href="{reverse("declarations:detail", args=[declaration.pk])}"' in html


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN])
def test_only_what_public_returns_is_public_in_the_search(status):
    declaration = make_declaration(status=status, name="株式会社ひみつ審査中")

    entry = SearchEntry.objects.get(kind="declaration", object_id=declaration.pk)

    assert entry.is_public is False
    assert not SearchEntry.objects.public().filter(pk=entry.pk).exists()


def test_approving_and_withdrawing_puts_the_entry_on_and_off_the_public_search():
    moderator = get_user_model().objects.create_user("moderator", password="x")
    declaration = make_declaration(status=Status.PENDING, name="株式会社あとで承認")
    public = SearchEntry.objects.public().filter(kind="declaration", object_id=declaration.pk)
    assert not public.exists()

    declaration.approve(by=moderator)
    assert public.exists()

    declaration.withdraw(by=moderator, reason="事業を終了したため")
    assert not public.exists()


def test_the_search_suggests_the_register_when_nothing_is_found(client):
    html = client.get(reverse("search"), {"q": "どこにもないことば"}).content.decode()

    assert f'<a href="{reverse("declarations:register")}">宣言企業・団体一覧</a>' in html


def test_the_sitemap_has_the_register_and_each_public_declaration(client):
    published = make_declaration(Status.PUBLISHED)
    pending = make_declaration(status=Status.PENDING)

    xml = client.get(reverse("sitemap")).content.decode()

    assert f"{reverse('declarations:register')}</loc>" in xml
    assert f"{reverse('declarations:detail', args=[published.pk])}</loc>" in xml
    assert f"{reverse('declarations:detail', args=[pending.pk])}</loc>" not in xml


def test_the_feed_announces_newly_published_declarations(client):
    make_declaration(Status.PUBLISHED, name="株式会社くろしお")
    make_declaration(status=Status.PENDING, name="審査待ち株式会社")

    feed = ET.fromstring(client.get(reverse("discovery:news_feed")).content)

    assert feed.findtext(f"{ATOM}title") == "高知家地域共生社会：新着の行事・推進宣言・記事"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert "推進宣言：株式会社くろしお" in titles
    assert not any("審査待ち" in title for title in titles)


def test_robots_stay_out_of_the_later_application_steps_and_correction_links(client):
    body = client.get("/robots.txt").content.decode()

    assert f"Disallow: {reverse('declarations:apply_confirm')}\n" in body
    assert f"Disallow: {reverse('declarations:apply_complete')}\n" in body
    assert "Disallow: /declarations/correction/\n" in body
    assert f"Disallow: {reverse('declarations:apply')}\n" not in body  # people search for the form itself


def test_the_home_page_shows_how_many_declarations_are_public(client):
    make_home()
    make_declaration(Status.PUBLISHED)
    make_declaration(Status.PUBLISHED)
    make_declaration(status=Status.PENDING)
    make_declaration(status=Status.WITHDRAWN)

    html = client.get("/").content.decode()

    assert "現在の宣言数は <strong>2件</strong> です" in html

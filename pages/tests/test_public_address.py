"""One public address: every absolute link the site hands out carries WAGTAILADMIN_BASE_URL.

The Site row starts at Wagtail's localhost:80 (as a database copied from another machine would
carry a stale host); `sync_site_address`, which every start runs, makes it follow the setting.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from core.checks import check_public_address
from declarations import mail
from declarations.models import Status

from .search_helpers import make_declaration, make_event, make_page

pytestmark = pytest.mark.django_db

PUBLIC = "https://kyosei.example.jp"


def absolute_urls(text):
    return set(re.findall(r"https?://[^\s\"'<>]+", text))


def own_urls(text):
    """Absolute URLs of this site (the schema.org and XML namespace URLs are other sites)."""
    return {url for url in absolute_urls(text) if not re.match(r"https?://(www\.)?(w3|schema|sitemaps)\.org", url)}


@pytest.fixture
def public_site():
    with override_settings(WAGTAILADMIN_BASE_URL=PUBLIC):
        call_command("sync_site_address", stdout=open("/dev/null", "w"))
        yield


def test_sync_moves_the_site_row_to_the_configured_address_and_then_changes_nothing():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", 8000
    site.save()
    with override_settings(WAGTAILADMIN_BASE_URL=PUBLIC):
        call_command("sync_site_address", stdout=open("/dev/null", "w"))
        site.refresh_from_db()
        assert (site.hostname, site.port, site.root_url) == ("kyosei.example.jp", 443, PUBLIC)
        assert check_public_address() == []


def test_the_deploy_check_refuses_a_site_row_that_disagrees_or_points_at_loopback():
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", 8000
    site.save()
    with override_settings(WAGTAILADMIN_BASE_URL=PUBLIC):
        ids = {error.id for error in check_public_address()}
    assert ids == {"kochi_kyosei.E002", "kochi_kyosei.E003"}
    with override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000"):
        ids = {error.id for error in check_public_address()}
        assert ids == {"kochi_kyosei.E001", "kochi_kyosei.E002"}
        # `make run` serves production settings on loopback on purpose.
        with override_settings(LOCAL_HTTP=True):
            assert check_public_address() == []


def test_page_canonical_and_og_url_carry_the_public_address(client, public_site):
    page = make_page("研修", "気づいてつなぐ")
    html = client.get(page.url).content.decode()
    assert f'<link rel="canonical" href="{PUBLIC}{page.url}">' in html
    assert f'<meta property="og:url" content="{PUBLIC}{page.url}">' in html


def test_a_django_view_has_its_canonical_link_on_the_public_address(client, public_site):
    html = client.get("/declarations/").content.decode()
    assert f'<link rel="canonical" href="{PUBLIC}/declarations/">' in html


def test_the_sitemap_lists_only_the_public_address(client, public_site):
    page = make_page("研修", "気づいてつなぐ")
    make_declaration("株式会社よさこい物産", status=Status.PUBLISHED)
    text = client.get("/sitemap.xml").content.decode()
    urls = own_urls(text)
    assert f"{PUBLIC}{page.url}" in urls
    assert f"{PUBLIC}/declarations/" in urls
    assert urls and all(url.startswith(PUBLIC + "/") for url in urls), urls


def test_the_atom_feed_links_only_the_public_address(client, public_site):
    event = make_event("高知家地域共生社会フォーラム", start_date=datetime.date(2030, 1, 1))
    make_declaration("株式会社よさこい物産", status=Status.PUBLISHED)
    text = client.get("/feeds/atom.xml").content.decode()
    urls = own_urls(text)
    assert f"{PUBLIC}{event.url}" in urls
    assert f"{PUBLIC}/feeds/atom.xml" in urls
    assert any(url.startswith(f"{PUBLIC}/declarations/") for url in urls)
    assert all(url.startswith(PUBLIC + "/") for url in urls), urls


def test_icalendar_files_link_the_public_address(client, public_site):
    event = make_event("フォーラム", start_date=datetime.date(2030, 1, 1))
    for path in (f"/feeds/events/{event.pk}.ics", "/feeds/events.ics"):
        text = client.get(path).content.decode().replace("\r\n ", "")
        assert f"URL:{PUBLIC}{event.url}" in text.split("\r\n")
        assert "testserver" not in text


def test_mail_links_carry_the_public_address(public_site):
    declaration = make_declaration("株式会社よさこい物産", status=Status.PENDING)
    declaration.email = "tanto@example.jp"
    urls = set()
    for _to, _subject, body in mail.application_emails(declaration):
        urls |= absolute_urls(body)
    assert urls and all(url.startswith(PUBLIC + "/") for url in urls), urls

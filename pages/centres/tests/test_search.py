"""Site search finds centres by name, town (and its reading) and service; the sitemap lists real ones."""

import pytest

from .factories import make_centre

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def centre(home):
    return make_centre(
        "ひだまりテスト館", key="hidamari", kana="ひだまりてすとかん", municipality="四万十市", services=["泊まる"]
    )


@pytest.mark.parametrize("query", ["ひだまり", "四万十市", "しまんとし", "泊まる", "幡多"])
def test_site_search_finds_a_centre(client, centre, query):
    html = client.get("/search/", {"q": query}).content.decode()

    assert 'href="/centres/hidamari/"' in html
    assert "あったかふれあいセンター" in html  # the kind's label


def test_a_changed_service_list_is_found_at_once(client, centre):
    from .factories import service

    centre.services.add(service("働く"))

    assert 'href="/centres/hidamari/"' in client.get("/search/", {"q": "働く"}).content.decode()


def test_a_deleted_centre_is_no_longer_found(client, centre):
    centre.delete()

    assert 'href="/centres/hidamari/"' not in client.get("/search/", {"q": "ひだまり"}).content.decode()


def test_sitemap_lists_the_directory_and_real_centres_only(client, centre):
    make_centre("見本", key="sample-x", is_sample=True)

    xml = client.get("/sitemap.xml").content.decode()

    assert "/centres/</loc>" in xml
    assert "/centres/hidamari/</loc>" in xml
    assert "sample-x" not in xml

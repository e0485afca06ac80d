"""The site search in the page cache: /search/ is stored like any page, and whatever the index changes
about a public entry, in whatever process and even while the shared cache is away, is found on the next
request (pages/search/indexing.py calls page_cache.invalidate())."""

import pytest
from django.db import transaction

from core import page_cache
from declarations.models import Status
from declarations.tests.factories import make_declaration
from pages.centres.models import Centre
from pages.centres.tests.factories import make_centre
from pages.search import indexing
from pages.tests.factories import make_home
from tests.test_page_cache import PAGE_HEADER, cached, get, text

# Every test here with the page cache and the site frame on (conftest.py's page_cache_on).
pytestmark = pytest.mark.usefixtures("page_cache_on")

QUERY = "/search/?q=ひだまり"
NAME = "あったかひだまり"


def found(response, centre):
    """Whether a results page lists the centre (its name is marked up where the query matched)."""
    return f'href="{centre.get_absolute_url()}"' in text(response)


class _NoWorker:
    """The index task queue while the worker has not run yet: enqueued tasks wait."""

    @staticmethod
    def enqueue(*args):
        return None


@pytest.fixture
def home(db):
    return make_home()


def test_a_search_is_stored_and_answered_again_from_the_cache(home):
    centre = make_centre(NAME)
    assert found(cached(QUERY), centre)
    # Another query is another stored page.
    assert get("/search/?q=ひだまり&kind=centre")[PAGE_HEADER] == "miss"


def test_what_the_worker_indexes_after_a_search_was_stored_is_found_on_the_next_request(home, committed, monkeypatch):
    with monkeypatch.context() as waiting:
        waiting.setattr(indexing, "index_object_task", _NoWorker)
        centre = committed(lambda: make_centre(NAME))
    # Saved (which replaced the generation) but not indexed yet: the search stored now finds nothing.
    assert not found(cached(QUERY), centre)

    committed(lambda: indexing.index_object(centre))
    response = get(QUERY)
    assert response[PAGE_HEADER] == "miss"
    assert found(response, centre)


def test_an_entry_taken_out_of_the_index_is_not_found_from_a_stored_search(home, committed):
    centre = make_centre(NAME)
    assert found(cached(QUERY), centre)

    committed(lambda: indexing.remove_entries(Centre, centre.pk))
    response = get(QUERY)
    assert response[PAGE_HEADER] == "miss"
    assert not found(response, centre)


def test_a_renamed_entry_is_found_by_its_new_name_not_its_old_one(home, committed):
    centre = make_centre(NAME)
    assert found(cached(QUERY), centre)
    assert not found(cached("/search/?q=こもれび"), centre)

    # The rename reached the database by a queryset update (no signal, no invalidation); only the
    # worker's indexing tells the cache.
    Centre.objects.filter(pk=centre.pk).update(name="あったかこもれび")
    centre.refresh_from_db()
    committed(lambda: indexing.index_object(centre))

    assert not found(get(QUERY), centre)
    assert found(get("/search/?q=こもれび"), centre)


def test_indexing_what_no_visitor_can_find_or_what_has_not_changed_leaves_stored_pages_in_place(home, committed):
    centre = make_centre(NAME)
    declaration = make_declaration(Status.PENDING, name="株式会社ひだまり商会")
    cached(QUERY)
    cached("/")

    # The worker indexes a waiting application (for the admin's search) and a centre that has not changed.
    committed(lambda: (indexing.index_object(declaration), indexing.index_object(centre)))

    assert get(QUERY)[PAGE_HEADER] == "hit"
    assert get("/")[PAGE_HEADER] == "hit"
    assert "商会" not in text(get(QUERY))


def test_an_index_change_while_the_shared_cache_was_away_is_never_served_stale(home, committed, monkeypatch):
    with monkeypatch.context() as waiting:
        waiting.setattr(indexing, "index_object_task", _NoWorker)
        centre = committed(lambda: make_centre(NAME))
    assert not found(cached(QUERY), centre)

    def down(*args, **kwargs):
        raise OSError("Redis frozen")

    with monkeypatch.context() as frozen:
        frozen.setattr(page_cache, "shared_call", down)
        # The worker indexes while it cannot reach the shared cache, and is then killed.
        committed(lambda: indexing.index_object(centre))
        page_cache._pending.clear()
        # ...and so is its connection, whose own record this test's shared connection would otherwise skip.
        transaction.get_connection().page_cache_record = None

    response = get(QUERY)
    assert response[PAGE_HEADER] == "miss"
    assert found(response, centre)


def test_a_synonym_staff_add_is_applied_to_a_search_stored_before_it(home, committed):
    from pages.search.curation import SearchSynonym

    centre = make_centre("あったか社会福祉協議会ひろば")
    assert not found(cached("/search/?q=社協"), centre)

    committed(lambda: SearchSynonym.objects.create(term="社協", alternatives="社会福祉協議会"))
    response = get("/search/?q=社協")
    assert response[PAGE_HEADER] == "miss"
    assert found(response, centre)

"""The event page's 受付状況 through the full-page cache: a stored page never shows places that are gone."""

import pytest
from django.db import transaction
from django.test import Client

from core import page_cache
from pages.feedback.models import Feedback, Rating

from .factories import make_open_event, submit

pytestmark = pytest.mark.django_db

HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.WAGTAILFRONTENDCACHE = {}
    page_cache.clear_local()
    yield
    page_cache.clear_local()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(change):
        transaction.get_connection().page_cache_queued = False
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def stored(url):
    Client().get(url)
    response = Client().get(url)
    assert response[HEADER] == "hit"
    return response.content.decode()


def test_the_last_places_taken_show_full_on_the_next_visit_and_a_cancellation_reopens(committed):
    event = make_open_event(capacity=2)
    assert "満席" not in stored(event.url)

    applied = committed(lambda: submit(event, party_size=2))
    assert "満席（キャンセル待ち受付中）" in Client().get(event.url).content.decode()

    stored(event.url)
    committed(applied.cancel)
    assert "満席" not in Client().get(event.url).content.decode()


def test_a_promotion_from_the_waiting_list_is_seen_on_the_next_visit(committed):
    event = make_open_event(capacity=1)
    first = committed(lambda: submit(event, party_size=1))
    committed(lambda: submit(event, party_size=1))  # waits
    assert "満席" in stored(event.url)

    committed(first.cancel)  # the waiting one moves up: still full, but from a fresh render
    response = Client().get(event.url)
    assert response[HEADER] == "miss"
    assert "満席" in response.content.decode()


def test_a_party_put_on_the_waiting_list_with_a_place_still_free_shows_full_on_the_next_visit(committed):
    event = make_open_event(capacity=10)
    committed(lambda: submit(event, party_size=9))
    assert "残り1人" in stored(event.url)

    committed(lambda: submit(event, party_size=2))  # waits: whoever comes next queues behind it
    page = Client().get(event.url).content.decode()
    assert "満席（キャンセル待ち受付中）" in page and "残り1人" not in page


def test_each_application_changes_the_places_left_on_the_next_visit(committed):
    event = make_open_event(capacity=30)
    assert "（残り30人）" in stored(event.url)
    committed(lambda: submit(event, party_size=2))
    response = Client().get(event.url)
    assert response[HEADER] == "miss"
    assert "（残り28人）" in response.content.decode()


def test_a_visitors_feedback_does_not_empty_the_cache(committed):
    event = make_open_event(capacity=5)
    stored(event.url)
    committed(lambda: Feedback.objects.create(page_url=event.url, page_title=event.title, rating=Rating.choices[0][0]))
    assert Client().get(event.url)[HEADER] == "hit"

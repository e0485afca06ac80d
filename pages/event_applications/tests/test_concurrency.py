"""Fifty people press 申し込む at the same moment for the last ten places: exactly ten are confirmed."""

import threading

import pytest
from django.db import connection
from django.test import Client, override_settings

from ..models import EventApplication, Status
from .factories import form_data, make_open_event, submit

pytestmark = pytest.mark.database

APPLICANTS = 50
PLACES_LEFT = 10


@pytest.mark.django_db(transaction=True)
@override_settings(EVENT_APPLICATIONS_RATE_LIMITS={"form": (1000, 3600), "submit": (1000, 3600)})
def test_fifty_simultaneous_applications_for_the_last_ten_places_confirm_exactly_ten():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time, so it cannot show a race; run with DATABASE_URL=postgres://…")
    event = make_open_event(capacity=100)
    for _ in range((100 - PLACES_LEFT) // 10):
        submit(event, 10)
    assert EventApplication.objects.confirmed_places(event) == 100 - PLACES_LEFT

    start = threading.Barrier(APPLICANTS)
    statuses, errors = [], []

    def applicant(n):
        try:
            client = Client(raise_request_exception=True)  # its own session; each thread its own connection
            response = client.post("/events/forum/apply/", form_data(name=f"同時 {n}", party_size="1"))
            assert response.status_code == 302, response.status_code
            start.wait(timeout=60)
            statuses.append(client.post("/events/forum/apply/confirm/", {"action": "submit"}).status_code)
        except Exception as error:  # noqa: BLE001 - reported below with the applicant's number
            errors.append(f"{n}: {error!r}")
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(APPLICANTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * APPLICANTS
    new = EventApplication.objects.filter(name__startswith="同時 ")
    assert new.count() == APPLICANTS
    assert new.filter(status=Status.CONFIRMED).count() == PLACES_LEFT
    assert new.filter(status=Status.WAITING).count() == APPLICANTS - PLACES_LEFT
    assert EventApplication.objects.confirmed_places(event) == 100

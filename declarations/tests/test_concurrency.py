"""Many applications at the same moment: every one is kept, each with its own 受付番号 (PostgreSQL)."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client, override_settings

from declarations.models import Declaration, OutboundEmail

from .factories import form_data

pytestmark = pytest.mark.database

APPLICATIONS = 50


@pytest.mark.django_db(transaction=True)
@override_settings(DECLARATIONS_RATE_LIMITS={"form": (1000, 3600), "submit": (1000, 3600)})
def test_fifty_applications_submitted_at_once_make_fifty_rows_with_distinct_reference_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write, so it cannot show a race; run with DATABASE_URL=postgres://…")
    start = threading.Barrier(APPLICATIONS)
    results, errors = [], []

    def applicant(n):
        try:
            client = Client(raise_request_exception=True)
            assert client.post("/declarations/apply/", form_data(name=f"同時申請{n}")).status_code == 302
            start.wait(timeout=60)
            response = client.post("/declarations/apply/confirm/", {"action": "submit"})
            # Read the number from the page: the test client's captured context is shared between threads.
            page = client.get(response.url).content.decode()
            results.append((response.status_code, re.search(r"受付番号：<strong>([^<]+)</strong>", page).group(1)))
        except Exception as error:  # noqa: BLE001 - reported below with the applicant's number
            errors.append(f"{n}: {error!r}")
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(APPLICATIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [status for status, _ in results] == [302] * APPLICATIONS
    assert Declaration.objects.count() == APPLICATIONS
    numbers = set(Declaration.objects.values_list("reference_number", flat=True))
    assert len(numbers) == APPLICATIONS
    assert {number for _, number in results} == numbers
    assert OutboundEmail.objects.count() == 2 * APPLICATIONS


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_pressed_twice_at_once_makes_one_application():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write, so it cannot show a race; run with DATABASE_URL=postgres://…")
    client = Client()
    client.post("/declarations/apply/", form_data())
    cookie = client.cookies
    start = threading.Barrier(5)
    results, errors = [], []

    def press():
        try:
            same_browser = Client(raise_request_exception=True)
            same_browser.cookies = cookie
            start.wait(timeout=60)
            results.append(same_browser.post("/declarations/apply/confirm/", {"action": "submit"}).status_code)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [302] * 5
    assert Declaration.objects.count() == 1
    assert OutboundEmail.objects.count() == 2

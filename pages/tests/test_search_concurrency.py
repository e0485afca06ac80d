"""Two workers indexing the same object at the same moment (PostgreSQL): one entry, and no task fails.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from pages.search.indexing import index_object
from pages.search.models import SearchEntry

from .search_helpers import make_page

WAIT_AT_MOST = 30  # seconds


def _wait_until_blocked(pid):
    """Until the backend `pid` is waiting for a lock (the second insert on the first one's key)."""
    deadline = time.monotonic() + WAIT_AT_MOST
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            time.sleep(0.05)
    raise AssertionError("the second writer never reached the first one's row")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_worker_creating_the_same_entry_updates_it_instead_of_failing():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write, so it cannot show a race; run with DATABASE_URL=postgres://…")
    page = make_page("あったかふれあいセンター", "見守り")
    SearchEntry.objects.all().delete()
    first_inserted, release = threading.Event(), threading.Event()
    second_pid = []
    errors = []

    def first():
        try:
            with transaction.atomic():
                index_object(page)
                first_inserted.set()
                release.wait(WAIT_AT_MOST)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"first: {error!r}")
        finally:
            first_inserted.set()
            connection.close()

    def second():
        try:
            first_inserted.wait(WAIT_AT_MOST)
            second_pid.append(connection.cursor().connection.info.backend_pid)
            index_object(page)
        except Exception as error:  # noqa: BLE001
            errors.append(f"second: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        first_inserted.wait(WAIT_AT_MOST)
        while not second_pid and threads[1].is_alive():
            time.sleep(0.01)
        if second_pid:
            _wait_until_blocked(second_pid[0])
    finally:
        release.set()
        for thread in threads:
            thread.join()

    assert errors == []
    assert SearchEntry.objects.filter(object_id=page.pk).count() == 1
    assert list(SearchEntry.objects.matching(["見守り"]).values_list("object_id", flat=True)) == [page.pk]

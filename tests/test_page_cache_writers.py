"""Changes made by a management command while the shared cache is away: the command cannot replace the
generation and exits, yet no stored page outlives its change (core/page_cache.py)."""

import gzip

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from core import page_cache
from pages.centres.tests.factories import ROW_A, csv_text
from pages.tests.factories import make_home

# Every test here with the page cache and the site frame on (conftest.py's page_cache_on).
pytestmark = pytest.mark.usefixtures("page_cache_on")

PAGE_HEADER = "X-Page-Cache"


def text(response):
    body = response.content
    return (gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body).decode()


def import_centres(tmp_path, row, committed):
    path = tmp_path / "centres.csv"
    path.write_text(csv_text(row), encoding="utf-8")
    committed(lambda: call_command("import_centres", str(path), stdout=open("/dev/null", "w")))


@pytest.mark.django_db
def test_a_centre_renamed_by_a_command_while_the_shared_cache_was_down_is_never_served_stale(
    tmp_path, committed, monkeypatch
):
    make_home()
    import_centres(tmp_path, ROW_A, committed)
    # The first render creates the site's settings rows (a change of its own); from then on the page is stored.
    assert [Client().get("/centres/aki-01/")[PAGE_HEADER] for _ in range(3)][-1] == "hit"

    real = page_cache.shared_call

    def down(*args, **kwargs):
        raise OSError("Redis frozen")

    monkeypatch.setattr(page_cache, "shared_call", down)
    import_centres(tmp_path, ROW_A.replace("あったかテスト東", "あったかテスト東新館"), committed)
    # The command's process exits: what it kept in memory about the failed replacement is gone.
    page_cache._pending.clear()
    # ...and so is its connection, whose own record this test's shared connection would otherwise skip.
    transaction.get_connection().page_cache_record = None
    monkeypatch.setattr(page_cache, "shared_call", real)

    response = Client().get("/centres/aki-01/")
    assert response[PAGE_HEADER] == "miss"
    assert "あったかテスト東新館" in text(response)
    assert Client().get("/centres/aki-01/")[PAGE_HEADER] == "hit"

"""A request that sends something is saved whole or not at all, and its error page says which
(core/transactions.py); the SQLite settings every process uses (kochi_kyosei/settings/base.py)."""

import sqlite3

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from core.scheduling.models import ScheduledJob


def write_then_fail(request):
    ScheduledJob.objects.create(name="written-before-the-error", next_run_at=timezone.now())
    request.session["draft"] = "kept only if the request succeeds"
    raise ValueError("a bug after the first write")


def write_then_answer_503(request):
    ScheduledJob.objects.create(name="written-before-the-503", next_run_at=timezone.now())
    return HttpResponse("busy", status=503)


def write_then_fail_after_commit(request):
    ScheduledJob.objects.create(name="written-then-a-job-failed", next_run_at=timezone.now())

    def lost_job():
        raise RuntimeError("the queue could not be reached")

    transaction.on_commit(lost_job)
    return HttpResponse("saved")


def in_transaction(request):
    return HttpResponse("yes" if connection.in_atomic_block else "no")


urlpatterns = [
    path("fail/", write_then_fail),
    path("busy/", write_then_answer_503),
    path("after-commit/", write_then_fail_after_commit),
    path("in-transaction/", in_transaction),
]
handler500 = "kochi_kyosei.errors.server_error"

# serialized_rollback: the rows migrations made (content types, the site root) come back for the next tests.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.urls(__name__)]


def test_a_post_that_fails_keeps_nothing_and_its_page_says_so():
    client = Client(raise_request_exception=False)
    response = client.post("/fail/", {"name": "株式会社テスト"})
    assert response.status_code == 500
    html = response.content.decode()
    assert "送信された内容は保存されていません" in html
    assert not ScheduledJob.objects.exists()
    # The session write of the failed request was rolled back with the rest.
    assert not any("kept only" in str(s.get_decoded()) for s in Session.objects.all())


def test_a_view_that_answers_5xx_is_rolled_back_too():
    response = Client().post("/busy/")
    assert response.status_code == 503
    assert not ScheduledJob.objects.exists()


def test_a_get_that_fails_does_not_talk_about_saving():
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    assert "保存されていません" not in response.content.decode()
    # A GET runs in autocommit: what it wrote before failing is not a submission and stays.
    assert ScheduledJob.objects.filter(name="written-before-the-error").exists()


def test_a_job_that_fails_after_the_commit_does_not_turn_a_saved_change_into_an_error(caplog):
    response = Client(raise_request_exception=False).post("/after-commit/")
    assert response.status_code == 200
    assert ScheduledJob.objects.filter(name="written-then-a-job-failed").exists()
    assert "the change itself is saved" in caplog.text


def test_reads_run_outside_a_transaction_and_writes_inside_one():
    client = Client()
    assert client.get("/in-transaction/").content == b"no"
    assert client.post("/in-transaction/").content == b"yes"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_sqlite_opens_every_connection_for_concurrent_writers(tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    # A file database opened with the project's settings, as the web, the worker and commands open it.
    database = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "site.sqlite3")})
    try:
        with database.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
        assert database.transaction_mode == "IMMEDIATE"
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x)")

        # A transaction holds the write lock from its first statement: a second writer cannot slip in
        # between its read and its write.
        # As transaction.atomic() starts one on SQLite.
        database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with database.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
        other = sqlite3.connect(tmp_path / "site.sqlite3", timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO t VALUES (1)")
        other.close()
        database.rollback()
    finally:
        database.close()

"""The worker rides out a lost database: it waits 1, 2, 4 ... s between tries, logs the outage once each way,
runs again the task the outage cut off, and /health/ says what it can while the database is gone.

The outages are real: a TCP proxy in front of PostgreSQL that drops its connections and refuses new ones
(tests/outage.py), and a real driver error from psycopg.
"""

import logging
import threading

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core import health, scheduling
from core.scheduling.management.commands.run_worker import (
    DatabaseOutage,
    ResilientWorker,
    retry_delays,
    scheduler_loop,
)
from core.scheduling.models import WorkerHeartbeat
from tests.outage import CuttableProxy

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LOST = "database unavailable"
FOUND = "database available again"

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the outage is of a PostgreSQL server")

# The proxy the task below cuts, and the runs it made (a task is found by its import path, so it lives here).
outage_state = {"proxy": None, "runs": 0}


@task()
def lose_the_database_on_first_run():
    outage_state["runs"] += 1
    if outage_state["runs"] == 1:
        outage_state["proxy"].cut()
        WorkerHeartbeat.objects.exists()
    return "done"


@pytest.fixture
def database_proxy():
    """This process's connection to PostgreSQL goes through a proxy the test can cut."""
    proxy = CuttableProxy(int(connection.settings_dict.get("PORT") or 5432), connection.settings_dict["HOST"])
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    outage_state.update(proxy=proxy, runs=0)
    yield proxy
    proxy.cut()
    connection.close()
    connection.settings_dict.update(original)
    outage_state.update(proxy=None, runs=0)


def logged(caplog, text):
    return sum(text in record.getMessage() for record in caplog.records)


def worker(sleep, max_tasks):
    return ResilientWorker(
        outage=DatabaseOutage(),
        sleep=sleep,
        queue_names=["default"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


class Ticks:
    """The scheduler's `stop`: lets it run `count` ticks and calls `after(tick)` after each, without waiting."""

    def __init__(self, count, after):
        self.count, self.after, self.done = count, after, 0

    def is_set(self):
        return self.done >= self.count

    def wait(self, seconds):
        self.done += 1
        self.after(self.done)


def test_the_worker_waits_longer_after_each_failed_try_up_to_thirty_seconds():
    delays = retry_delays()
    assert [next(delays) for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_cut_off_by_a_lost_database_runs_again_once_it_is_back(database_proxy, caplog):
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        if len(waits) == 3:
            database_proxy.restore()

    result = lose_the_database_on_first_run.enqueue()
    # Two tasks: the run the outage cut off and the run after it; then run() returns. Should the second
    # never come, the loop is stopped after a minute and the assertions say why.
    cut_off_worker = worker(sleep, max_tasks=2)
    give_up = threading.Timer(60, setattr, (cut_off_worker, "running", False))
    give_up.start()
    with caplog.at_level(logging.INFO, logger="kochi_kyosei.scheduling"):
        cut_off_worker.run()
    give_up.cancel()

    assert waits == [1, 2, 4], "refused twice, back on the third try"
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == "done"
    assert outage_state["runs"] == 2
    assert logged(caplog, LOST) == 1 and logged(caplog, FOUND) == 1
    assert logged(caplog, f"{result.id} was cut off by the outage: queued to run again") == 1


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_one_off_run_reports_a_lost_database_instead_of_waiting(database_proxy):
    database_proxy.cut()
    with pytest.raises(OperationalError):
        call_command("run_worker", "--once", "--interval", "0")


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_scheduler_rides_out_a_lost_database_and_logs_it_once_each_way(database_proxy, caplog, monkeypatch):
    monkeypatch.setattr(scheduling, "_jobs", {})
    restored_at = []

    def after(tick):
        if tick == 1:
            database_proxy.cut()
        elif tick == 4:
            restored_at.append(timezone.now())
            database_proxy.restore()

    ticks = Ticks(5, after)
    with caplog.at_level(logging.INFO, logger="kochi_kyosei.scheduling"):
        scheduler_loop("test-worker", ticks, tick_seconds=0)

    assert ticks.done == 5, "three ticks failed and the loop went on"
    assert WorkerHeartbeat.objects.get(worker_id="test-worker").seen_at >= restored_at[0]
    assert logged(caplog, LOST) == 1 and logged(caplog, FOUND) == 1


class ClosedCursorTask:
    """A periodic job whose first enqueue() meets a real InterfaceError from psycopg (a closed cursor)."""

    def __init__(self):
        self.calls = 0

    def enqueue(self):
        self.calls += 1
        if self.calls == 1:
            cursor = connection.cursor()
            cursor.close()
            cursor.execute("SELECT 1")


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_scheduler_survives_an_interface_error(monkeypatch):
    job = ClosedCursorTask()
    monkeypatch.setattr(scheduling, "_jobs", {})
    scheduling.register("test.closed_cursor", scheduling.TICK, job)
    ticks = Ticks(3, after=lambda tick: None)

    scheduler_loop("test-worker", ticks, tick_seconds=0)

    assert ticks.done == 3
    assert job.calls == 2, "the job's run was not claimed by the failed tick, so the next tick enqueued it"


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_says_the_worker_is_unknown_while_the_database_is_down_and_ok_once_it_beats_again(database_proxy):
    scheduling.beat("test-worker")
    database_proxy.cut()
    healthy, results = health.run_checks()
    assert not healthy
    assert results[health.WORKER_CHECK]["ok"] is False
    assert results[health.WORKER_CHECK]["detail"] == "unknown: the database is unreachable"

    database_proxy.restore()
    connection.close()
    scheduling.beat("test-worker")
    healthy, results = health.run_checks()
    assert results[health.WORKER_CHECK]["ok"] is True
    assert results[health.WORKER_CHECK]["detail"].startswith("last heartbeat")

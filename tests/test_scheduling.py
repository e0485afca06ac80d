"""The scheduler: each due job is enqueued once however many workers run, and workers leave a heartbeat."""

import ast
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import scheduling
from core.scheduling.models import ScheduledJob

pytestmark = pytest.mark.database

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def enqueued_per_job():
    counts = {}
    for path in DBTaskResult.objects.values_list("task_path", flat=True):
        counts[path] = counts.get(path, 0) + 1
    return counts


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_due_job_is_enqueued_once_and_then_after_its_interval():
    now = timezone.now()
    first = scheduling.enqueue_due_jobs(now)
    assert "pages.publish_scheduled" in first and "declarations.purge_expired_applications" in first
    assert scheduling.enqueue_due_jobs(now) == []
    assert scheduling.enqueue_due_jobs(now + timedelta(seconds=59)) == []
    assert scheduling.enqueue_due_jobs(now + timedelta(minutes=1)) == ["pages.publish_scheduled"]
    assert enqueued_per_job()["pages.tasks.publish_scheduled"] == 2
    assert enqueued_per_job()["declarations.tasks.purge_expired_applications"] == 1


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_runs_missed_while_no_worker_ran_are_not_made_up_one_by_one():
    now = timezone.now()
    scheduling.enqueue_due_jobs(now)
    a_day_later = now + timedelta(days=1, minutes=5)
    assert "pages.publish_scheduled" in scheduling.enqueue_due_jobs(a_day_later)
    assert scheduling.enqueue_due_jobs(a_day_later) == []
    assert ScheduledJob.objects.get(name="pages.publish_scheduled").next_run_at == a_day_later + timedelta(minutes=1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="several processes at once: PostgreSQL's row locks")
@override_settings(TASKS=DATABASE_QUEUE)
def test_workers_ticking_at_the_same_moment_enqueue_each_job_once():
    now = timezone.now()
    barrier = threading.Barrier(4)
    errors = []

    def tick():
        try:
            barrier.wait()
            scheduling.enqueue_due_jobs(now)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = enqueued_per_job()
    assert counts and set(counts.values()) == {1}
    assert len(counts) == len(scheduling.jobs())


# The worker closes stale connections as it would in production, so it runs outside a test transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_worker_writes_a_heartbeat_that_the_health_check_reads():
    assert scheduling.last_heartbeat() is None
    assert scheduling.check_worker() == (False, "no worker has run")
    call_command("run_worker", "--once", "--interval", "0")
    assert timezone.now() - scheduling.last_heartbeat() < timedelta(minutes=1)
    ok, detail = scheduling.check_worker()
    assert ok and "heartbeat" in detail

    scheduling.beat("old-worker", now=timezone.now() - scheduling.HEARTBEAT_STALE_AFTER * 10)
    ok, _ = scheduling.check_worker()
    assert ok, "the newest heartbeat counts"


def test_the_scheduler_imports_no_app():
    package = Path(scheduling.__file__).parent
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in ("pages", "declarations"), path

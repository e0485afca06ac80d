"""Periodic jobs without cron: a registry that apps fill in `AppConfig.ready()`, and the scheduler that
`manage.py run_worker` runs beside the task worker.

An app registers a job as a name, an interval and a task (a `django_tasks` task that takes no
arguments). On every tick each worker process calls `enqueue_due_jobs()`: a job whose `next_run_at`
has passed is claimed with a conditional UPDATE (only one process can move `next_run_at` on from the
value it read; this works on SQLite and PostgreSQL alike) and, in the same transaction, its task is
put on the queue. So each run is enqueued exactly once whatever the number of workers, and a worker
that was stopped for a day runs a daily job once when it comes back, not once per missed day.

Every tick also writes the process's heartbeat; `last_heartbeat()` is what a health check reads.
It also looks for task rows a killed worker left RUNNING (`recover_abandoned_tasks()`): a row whose
worker has shown no sign of life for HEARTBEAT_STALE_AFTER is put back in the queue (tasks are safe to
repeat), or marked failed once it has been cut off MAX_RUNS times (a task that kills its worker must
not kill every worker in turn). A live worker's row is never touched: its heartbeat is fresh.
This module imports no app.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, InterfaceError, transaction
from django.utils import timezone

logger = logging.getLogger("kochi_kyosei.scheduling")

# How often a worker looks for due jobs and writes its heartbeat.
TICK = timedelta(seconds=10)
# A worker whose heartbeat is older than this is taken for dead (several missed ticks).
HEARTBEAT_STALE_AFTER = timedelta(minutes=2)
# Heartbeats of workers gone this long are deleted (each run of run_worker has a new id).
HEARTBEAT_KEPT_FOR = timedelta(days=1)
# A task found cut off (its worker gone) this many times is marked failed instead of run again.
MAX_RUNS = 3


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: timedelta
    task: object  # a django_tasks Task that takes no arguments


_jobs: dict[str, PeriodicJob] = {}


def register(name, interval, task):
    """Run `task` every `interval` (a timedelta); the name identifies the job across restarts."""
    if interval <= timedelta(0):
        raise ValueError(f"{name}: interval must be positive")
    _jobs[name] = PeriodicJob(name=name, interval=interval, task=task)


def jobs():
    return list(_jobs.values())


def _following_run(next_run_at, interval, now):
    following = next_run_at + interval
    # Missed runs (no worker was running) are not made up one by one.
    return following if following > now else now + interval


def enqueue_due_jobs(now=None):
    """Enqueue every registered job that is due and that no other process has claimed; returns their names."""
    from .models import ScheduledJob

    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        row, _ = ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        if row.next_run_at > now:
            continue
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=_following_run(row.next_run_at, job.interval, now), last_enqueued_at=now
            )
            if claimed:
                # The task row is written in the claim's transaction: both happen or neither does.
                job.task.enqueue()
        if claimed:
            logger.info("scheduled job %s enqueued", job.name)
            enqueued.append(job.name)
    return enqueued


def beat(worker_id, now=None):
    """Record that the worker `worker_id` is alive."""
    from .models import WorkerHeartbeat

    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now}, create_defaults={"seen_at": now, "started_at": now}
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_KEPT_FOR).delete()


class WorkerLost(Exception):
    """The worker running the task stopped without a word (killed, out of memory, the machine lost)."""


def recover_abandoned_tasks(now=None):
    """Requeue (or fail, see MAX_RUNS) the task rows left RUNNING by workers with a stale heartbeat;
    returns the ids requeued and the ids failed."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .models import WorkerHeartbeat

    now = now or timezone.now()
    stale_before = now - HEARTBEAT_STALE_AFTER
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=stale_before).values_list("worker_id", flat=True))
    requeued, failed = [], []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale_before)
    for row in running.only("pk", "task_path", "started_at", "worker_ids"):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        # Conditional on what was read: a worker that claimed the row meanwhile (requeued by another
        # process's sweep) is left alone.
        same = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= MAX_RUNS:
            if same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__qualname__}: cut off {len(row.worker_ids)} times by a worker that stopped",
            ):
                failed.append(row.pk)
                logger.error("task %s %s failed: its worker stopped %d times", row.task_path, row.pk, MAX_RUNS)
        elif same.update(status=TaskResultStatus.READY, started_at=None):
            requeued.append(row.pk)
            logger.warning("task %s %s left running by a stopped worker: queued to run again", row.task_path, row.pk)
    return requeued, failed


def last_heartbeat():
    """When any worker last showed a sign of life (an aware datetime), or None if none ever did."""
    from .models import WorkerHeartbeat

    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return latest


def check_worker():
    """(ok, detail) for a health check: is a worker running? The detail names no host or worker."""
    try:
        seen = last_heartbeat()
    except (DatabaseError, InterfaceError):
        # The heartbeats are kept in the database: while it is down nobody can tell, and the workers
        # themselves are waiting for it too.
        return False, "unknown: the database is unreachable"
    if seen is None:
        return False, "no worker has run"
    age = (timezone.now() - seen).total_seconds()
    return age <= HEARTBEAT_STALE_AFTER.total_seconds(), f"last heartbeat {round(age)} s ago"


def _log_task_outcome(sender, task_result, **kwargs):
    # One line per finished task: its name, id and outcome; never its arguments (they may be personal).
    status = getattr(task_result.status, "value", task_result.status)
    if status == "SUCCESSFUL":
        logger.info("task %s %s successful", task_result.task.module_path, task_result.id)
    else:
        errors = getattr(task_result, "errors", None) or []
        error = errors[-1].exception_class_path if errors else "unknown error"
        logger.warning("task %s %s %s: %s", task_result.task.module_path, task_result.id, status.lower(), error)


def connect_signals():
    from django_tasks.signals import task_finished

    task_finished.connect(_log_task_outcome, dispatch_uid="scheduling-task-outcome")

"""The background worker: runs queued tasks (django-tasks-db's worker) and, in the same process, the
scheduler that enqueues the periodic jobs apps registered (core.scheduling).

Run one or more of them beside the web server (docs/operations.md, "Processes"). Ctrl-C or SIGTERM lets the task
in hand finish, then stops.

A lost database (a PostgreSQL restart) does not end it: the broken connection is closed and opened
again after 1 s, 2 s, 4 s ... at most RETRY_AT_MOST_EVERY apart, with one log line when the database
goes and one when it is back. A task whose result could not be written because the connection dropped
is put back in the queue once the database is back: it runs again, so tasks must be safe to repeat
(the outbox sends only unsent rows, an index entry is rewritten as the object is now).
"""

import logging
import os
import socket
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from core import page_cache, scheduling

logger = logging.getLogger("kochi_kyosei.scheduling")

# What a dropped, refused or closed connection raises. InterfaceError is not a DatabaseError (PEP 249).
CONNECTION_ERRORS = (OperationalError, InterfaceError)
RETRY_FIRST_AFTER = 1.0  # seconds
RETRY_AT_MOST_EVERY = 30.0  # seconds; well inside scheduling.HEARTBEAT_STALE_AFTER


def retry_delays():
    """The waits between tries to reconnect: 1, 2, 4 ... seconds, then RETRY_AT_MOST_EVERY for ever."""
    delay = RETRY_FIRST_AFTER
    while True:
        yield delay
        delay = min(delay * 2, RETRY_AT_MOST_EVERY)


class DatabaseOutage:
    """What this process knows of the database, shared by the task loop and the scheduler thread: one
    line in the log when it goes and one when it is back, however many tries fail in between."""

    def __init__(self):
        self._lock = threading.Lock()
        self._since = None

    def lost(self, error):
        with self._lock:
            if self._since is not None:
                return
            self._since = time.monotonic()
        # The class only: a driver's message can name the host and the user.
        logger.error("database unavailable (%s): the worker waits and tries again", type(error).__name__)

    def back(self):
        with self._lock:
            if self._since is None:
                return
            seconds, self._since = time.monotonic() - self._since, None
        logger.warning("database available again after %d s: the worker carries on", round(seconds))


class ResilientWorker(Worker):
    """django-tasks-db's Worker, whose run() ends at the first lost connection, kept running through it."""

    def __init__(self, *, outage, sleep=time.sleep, **options):
        super().__init__(**options)
        self.outage = outage
        self.sleep = sleep
        self.interrupted = set()

    def run(self):
        delays = retry_delays()
        while True:
            resumed = time.monotonic()
            try:
                return super().run()
            except CONNECTION_ERRORS as error:
                # A one-off run (--once) reports the failure rather than wait.
                if self.batch:
                    raise
                if time.monotonic() - resumed > RETRY_AT_MOST_EVERY:
                    # It ran a good while since the last outage: this is a new one. One that fails again at
                    # once (a database that connects but cannot write) keeps the longer waits.
                    delays = retry_delays()
                self.outage.lost(error)
                if not self.running:  # asked to stop while the task in hand lost the connection
                    return
                self.wait_for_database(delays)
                self.startup_delay = False

    def run_task(self, db_task_result):
        try:
            super().run_task(db_task_result)
        except CONNECTION_ERRORS:
            # Neither its success nor its failure could be written: the row still says RUNNING.
            self.interrupted.add(db_task_result.pk)
            raise

    def wait_for_database(self, delays):
        for delay in delays:
            connection.close()
            self.sleep(delay)
            try:
                # What the loop does first: a database that connects but cannot show the queue is not back.
                DBTaskResult.objects.ready().exists()
                self.requeue_interrupted()
            except CONNECTION_ERRORS:
                continue
            self.outage.back()
            return

    def requeue_interrupted(self):
        if not self.interrupted:
            return
        cut_off = DBTaskResult.objects.running().filter(pk__in=self.interrupted)
        requeued = list(cut_off.values_list("task_path", "pk"))
        cut_off.update(status=TaskResultStatus.READY, started_at=None)
        self.interrupted.clear()
        for task_path, pk in requeued:
            logger.warning("task %s %s was cut off by the outage: queued to run again", task_path, pk)


def scheduler_loop(worker_id, stop, tick_seconds, outage=None):
    """Write the heartbeat and enqueue due jobs every tick until `stop` is set (runs in its own thread)."""
    outage = outage or DatabaseOutage()
    try:
        while not stop.is_set():
            try:
                close_old_connections()
                # A page published by this process while the shared cache was down still has to reach visitors.
                page_cache.retry_pending()
                scheduling.beat(worker_id)
                scheduling.enqueue_due_jobs()
                scheduling.recover_abandoned_tasks()
            except (DatabaseError, InterfaceError) as error:
                # Down, locked for a moment, or the connection broke: the next tick starts on a fresh one.
                connection.close()
                outage.lost(error)
            else:
                outage.back()
            stop.wait(tick_seconds)
    finally:
        connection.close()


class Command(BaseCommand):
    help = "バックグラウンド処理（メール送信、検索索引、予約公開、定期削除）を実行するワーカーを起動します。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="期限の来た定期ジョブを登録し、待っている処理をすべて実行してから終了します。",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="処理待ちがないときに次を確認するまでの秒数（既定: 1）"
        )
        parser.add_argument(
            "--worker-id", default="", help="ワーカーの識別名（既定: ホスト名とプロセス番号）。ワーカーごとに別の値。"
        )

    def handle(self, *args, once, interval, worker_id, **options):
        worker_id = (worker_id or f"{socket.gethostname()}-{os.getpid()}")[:64]
        outage = DatabaseOutage()
        worker = ResilientWorker(
            outage=outage,
            queue_names=["default"],
            interval=interval,
            batch=once,
            backend_name="default",
            startup_delay=not once,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if once:
            scheduling.beat(worker_id)
            scheduling.enqueue_due_jobs()
            worker.run()
            return

        logger.info("worker %s started", worker_id)
        stop = threading.Event()
        scheduler = threading.Thread(
            target=scheduler_loop,
            args=(worker_id, stop, scheduling.TICK.total_seconds(), outage),
            name="scheduler",
            daemon=True,
        )
        scheduler.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            scheduler.join(timeout=scheduling.TICK.total_seconds())
            logger.info("worker %s stopped", worker_id)

"""The background worker: runs queued tasks (django-tasks-db's worker) and, in the same process, the
scheduler that enqueues the periodic jobs apps registered (kochi_kyosei.scheduling).

Run one or more of them beside the web server (docs/operations.md, "Processes"). Ctrl-C or SIGTERM lets the task
in hand finish, then stops.
"""

import logging
import os
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from kochi_kyosei import page_cache, scheduling

logger = logging.getLogger("kochi_kyosei.scheduling")


def scheduler_loop(worker_id, stop, tick_seconds):
    """Write the heartbeat and enqueue due jobs every tick until `stop` is set (runs in its own thread)."""
    try:
        while not stop.is_set():
            close_old_connections()
            # A page published by this process while the shared cache was down still has to reach visitors.
            page_cache.retry_pending()
            try:
                scheduling.beat(worker_id)
                scheduling.enqueue_due_jobs()
            except DatabaseError as error:
                # The database is down or locked for a moment: the next tick tries again.
                logger.warning("scheduler tick failed: %s", type(error).__name__)
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
        worker = Worker(
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
            args=(worker_id, stop, scheduling.TICK.total_seconds()),
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

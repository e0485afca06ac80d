"""A worker killed (SIGKILL) in the middle of a burst of mail, at the worst moment: the mail server has the
message and the worker has not recorded it. No mail reaches anyone twice, the one in doubt is left for a
person (core/outbox.py, "Delivered at most once"), and the task row the dead worker left RUNNING
is taken up by the next worker.

Real processes (`manage.py run_worker`), a real SMTP server on a local port (tests/smtp.py), PostgreSQL
(the workers are separate processes on the test database).
"""

import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.outbox import INTERRUPTED
from core.scheduling.models import WorkerHeartbeat
from declarations import tasks
from declarations.models import OutboundEmail
from tests.smtp import HangingSMTPServer
from tests.tools.site_server import BIN, ROOT, site_environment, spare_port

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MAILS = 45
WITHHELD = 10  # the message whose "250 OK" the server never sends: the worker is killed waiting for it
WAIT_AT_MOST = 120  # seconds


def worker_environment(tmp_path, smtp_port):
    database = connection.settings_dict
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    env = site_environment(tmp_path, spare_port(), f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}")
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
    )
    return env


def start_worker(env, worker_id):
    return subprocess.Popen(
        [str(BIN / "python"), "manage.py", "run_worker", "--worker-id", worker_id, "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes share the test database: PostgreSQL")
@override_settings(TASKS=DATABASE_QUEUE)
def test_a_worker_killed_after_the_server_took_a_mail_sends_nothing_twice_and_its_task_is_recovered(tmp_path):
    server = HangingSMTPServer(withhold_reply_to=WITHHELD)
    server.answer()
    with transaction.atomic():
        for n in range(MAILS):
            OutboundEmail.objects.queue(to=f"staff{n}@example.jp", subject=f"新しい申請 {n:02d}", body="確認を")
    env = worker_environment(tmp_path, server.port)
    first = start_worker(env, "first-worker")
    second = None
    try:
        assert server.withheld.wait(WAIT_AT_MOST), "the worker never reached the message in doubt"
        first.kill()
        first.wait()

        in_doubt = OutboundEmail.objects.get(sending_since__isnull=False)
        assert in_doubt.sent_at is None
        left_running = DBTaskResult.objects.get(status="RUNNING")
        # Later: the dead worker's heartbeat and its claims have grown old.
        an_hour_ago = timezone.now() - timedelta(hours=1)
        WorkerHeartbeat.objects.filter(worker_id="first-worker").update(seen_at=an_hour_ago)
        DBTaskResult.objects.filter(pk=left_running.pk).update(started_at=an_hour_ago)
        OutboundEmail.objects.filter(pk=in_doubt.pk).update(sending_since=an_hour_ago)

        second = start_worker(env, "second-worker")
        deadline = time.monotonic() + WAIT_AT_MOST
        while time.monotonic() < deadline:
            waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
            if not waiting and OutboundEmail.objects.filter(sent_at__isnull=True).count() == 1:
                break
            time.sleep(0.2)
    finally:
        for process in (first, second):
            if process is not None:
                stop(process)
        server.close()

    # The sweep, as the scheduler runs it, offers the mail in doubt to nobody and flags it for a person.
    tasks.send_pending_mail.call()

    subjects = Counter(line for message in server.messages for line in message.splitlines() if "Subject:" in line)
    assert len(subjects) == MAILS
    assert set(subjects.values()) == {1}
    message_ids = [line for message in server.messages for line in message.splitlines() if "Message-ID:" in line]
    assert len(set(message_ids)) == MAILS
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == MAILS - 1
    in_doubt.refresh_from_db()
    assert (in_doubt.sent_at, in_doubt.last_error) == (None, INTERRUPTED)
    assert DBTaskResult.objects.get(pk=left_running.pk).status == "SUCCESSFUL"

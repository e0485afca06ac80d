"""Mail leaves through the worker: a request never waits for the mail server, and failures are retried.

These tests use the database queue (django-tasks-db) and run the worker for real
(`manage.py run_worker --once`); the rest of the suite runs tasks at once (test settings).
"""

import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from declarations import tasks
from declarations.models import Declaration, OutboundEmail
from tests.smtp import HangingSMTPServer

from .factories import form_data

pytestmark = pytest.mark.database

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def smtp_at(port):
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_TIMEOUT": 5,
        "TASKS": DATABASE_QUEUE,
    }


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_worker():
    call_command("run_worker", "--once", "--interval", "0")


@pytest.fixture
def hanging_smtp():
    server = HangingSMTPServer()
    yield server
    server.close()


@pytest.mark.django_db(transaction=True)
def test_the_completion_page_comes_back_while_the_mail_server_hangs_and_the_worker_sends_later(client, hanging_smtp):
    with override_settings(**smtp_at(hanging_smtp.port)):
        client.post("/declarations/apply/", form_data())
        response = client.post("/declarations/apply/confirm/", {"action": "submit"})
        page = client.get(response.url)

        # The 完了 page arrived while the server still says nothing: the request never talked to it.
        assert page.status_code == 200
        declaration = Declaration.objects.get()
        assert declaration.reference_number in page.content.decode()
        assert hanging_smtp.connections == 0
        unsent = OutboundEmail.objects.filter(sent_at__isnull=True)
        assert unsent.count() == 2
        assert all(email.attempts == 0 for email in unsent)
        assert DBTaskResult.objects.ready().filter(task_path="declarations.tasks.send_email").count() == 2

        hanging_smtp.answer()
        run_worker()

    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    assert len(hanging_smtp.messages) == 2
    assert any(declaration.reference_number in message for message in hanging_smtp.messages)


@pytest.mark.django_db(transaction=True)
def test_a_refused_mail_is_retried_later_with_growing_waits_and_the_outbox_keeps_it():
    with override_settings(**smtp_at(closed_port())):
        with transaction.atomic():
            email = OutboundEmail.objects.queue(to="jiro@kuroshio.example.jp", subject="受付", body="本文")
        before = timezone.now()
        run_worker()

        email.refresh_from_db()
        assert email.sent_at is None and email.attempts == 1 and email.last_error
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.task_path == "declarations.tasks.send_email"
        assert retry.run_after >= before + tasks.retry_delay(1)

        # The wait has passed: the next try fails too and waits twice as long.
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        before = timezone.now()
        run_worker()
        email.refresh_from_db()
        assert email.attempts == 2
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after >= before + tasks.retry_delay(2)
        assert tasks.retry_delay(2) == 2 * tasks.retry_delay(1)


@pytest.mark.django_db(transaction=True)
def test_after_the_last_try_no_task_retries_and_the_sweep_sends_it_once_the_server_is_back(hanging_smtp):
    with override_settings(**smtp_at(closed_port())):
        email = OutboundEmail.objects.create(
            to="jiro@kuroshio.example.jp", subject="受付", body="本文", attempts=tasks.MAX_SEND_ATTEMPTS - 1
        )
        run_worker()
    email.refresh_from_db()
    assert email.attempts == tasks.MAX_SEND_ATTEMPTS and email.sent_at is None
    assert not DBTaskResult.objects.ready().exists()

    # The sweep (every SWEEP_EVERY) takes it once it is that old.
    written = timezone.now() - tasks.SWEEP_EVERY - timedelta(minutes=1)
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=written)
    assert list(tasks.rows_for_the_sweep(timezone.now())) == [email]
    hanging_smtp.answer()
    with override_settings(**smtp_at(hanging_smtp.port)):
        tasks.send_pending_mail.call()
    email.refresh_from_db()
    assert email.sent_at is not None
    assert len(hanging_smtp.messages) == 1


@pytest.mark.django_db
def test_the_sweep_leaves_a_mail_to_its_own_retries_but_takes_one_whose_task_never_ran():
    now = timezone.now()
    retrying = OutboundEmail.objects.create(to="a@example.jp", subject="a", body="a")
    lost = OutboundEmail.objects.create(to="b@example.jp", subject="b", body="b")
    fresh = OutboundEmail.objects.create(to="c@example.jp", subject="c", body="c")
    old = now - tasks.SWEEP_EVERY - timedelta(minutes=1)
    OutboundEmail.objects.filter(pk__in=[retrying.pk, lost.pk]).update(created_at=old)
    OutboundEmail.objects.filter(pk=retrying.pk).update(attempts=2)
    assert list(tasks.rows_for_the_sweep(now)) == [lost]
    assert fresh not in tasks.rows_for_the_sweep(now)
    # Long after a chain of retries should have ended (a worker died mid-way), the sweep takes it too.
    assert retrying in tasks.rows_for_the_sweep(now + timedelta(hours=1))

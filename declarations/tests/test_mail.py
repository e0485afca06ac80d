"""Mail after an application: sent once the application is committed, never lost when SMTP is down."""

import socket
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from declarations.models import Declaration, OutboundEmail

from .factories import form_data

pytestmark = pytest.mark.django_db


def apply(client):
    client.post("/declarations/apply/", form_data())
    response = client.post("/declarations/apply/confirm/", {"action": "submit"})
    return client.get(response.url)


def closed_port():
    """A local TCP port nothing listens on, so connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@override_settings(DECLARATIONS_STAFF_EMAIL="kyosei-staff@example.jp")
def test_the_applicant_gets_a_receipt_and_staff_a_notice_after_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        apply(client)
    assert callbacks, "mail must wait for the commit"
    declaration = Declaration.objects.get()
    receipt, notice = sorted(mail.outbox, key=lambda m: m.to[0] != declaration.email)
    assert receipt.to == ["jiro@kuroshio.example.jp"]
    assert declaration.reference_number in receipt.subject
    assert declaration.reference_number in receipt.body
    assert "担当次郎 様" in receipt.body
    assert notice.to == ["kyosei-staff@example.jp"]
    assert "株式会社くろしお商店" in notice.subject
    assert f"http://testserver/admin/declarations/{declaration.pk}/" in notice.body
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()


def test_nothing_is_sent_before_the_transaction_commits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        apply(client)
    assert mail.outbox == []
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 2


def test_a_mail_server_that_is_down_loses_nothing_and_the_command_sends_it_later(
    client, django_capture_on_commit_callbacks
):
    smtp_down = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": closed_port(),
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**smtp_down), django_capture_on_commit_callbacks(execute=True):
        page = apply(client)
    assert page.status_code == 200
    declaration = Declaration.objects.get()
    assert declaration.reference_number in page.content.decode()
    unsent = OutboundEmail.objects.filter(sent_at__isnull=True)
    assert unsent.count() == 2
    # The reason is kept for staff; its wording depends on how the connection failed (refused, reset).
    assert all(email.attempts == 1 and email.last_error for email in unsent)

    with override_settings(**smtp_down), pytest.raises(CommandError, match="2件のメールを送信できませんでした"):
        call_command("send_pending_mail", stdout=StringIO())
    assert OutboundEmail.objects.filter(sent_at__isnull=True, attempts=2).count() == 2

    out = StringIO()
    call_command("send_pending_mail", stdout=out)  # the mail server is back (the test backend)
    assert "送信: 2件、失敗: 0件" in out.getvalue()
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([declaration.email, settings.DECLARATIONS_STAFF_EMAIL])

    call_command("send_pending_mail", stdout=StringIO())
    assert len(mail.outbox) == 2  # sent messages are never sent again

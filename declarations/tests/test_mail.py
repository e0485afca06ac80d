"""Mail after an application and after moderation: what it says, where it goes, and that it is sent once
the change is committed, never lost when SMTP is down."""

import socket
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from declarations.models import Declaration, OutboundEmail, Status
from pages.models import ContactSettings

from .factories import form_data, make_declaration, make_moderator

pytestmark = [pytest.mark.django_db, pytest.mark.database]


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


# What the messages say and where staff notices go.

PHONES = [
    {"label": "地域共生社会室", "number": "088-823-9840"},
    {"label": "地域福祉推進担当", "number": "088-823-9090"},
]


def make_contact(**fields):
    """The お問い合わせ先 setting as staff keep it in the admin, for the default site."""
    values = {
        "department": "高知県 子ども・福祉政策部 地域福祉政策課",
        "postal_code": "780-8570",
        "address": "高知県高知市丸ノ内1丁目2番20号",
        "email": "kyosei-contact@example.jp",
        "phone_lines": [{"type": "phone", "value": line} for line in PHONES],
        "declaration_mail_line": "地域共生社会室",
        **fields,
    }
    return ContactSettings.objects.create(site=Site.objects.get(is_default_site=True), **values)


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def assert_gives_the_contact_details(body):
    """One contact (issue 23, item 7): the department with the team staff chose for the register's mail, its
    number, and no other line, so the applicant knows whom to call."""
    assert "高知県 子ども・福祉政策部 地域福祉政策課 地域共生社会室\n電話 088-823-9840" in body
    assert "088-823-9090" not in body
    assert body.count("電話 ") == 1
    assert "メール kyosei-contact@example.jp" in body


@override_settings(DECLARATIONS_STAFF_EMAIL="fixed-from-the-environment@example.jp")
def test_staff_notices_go_to_the_address_staff_keep_in_the_contact_setting(client, django_capture_on_commit_callbacks):
    make_contact()
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    assert len(sent_to("kyosei-contact@example.jp")) == 1
    assert sent_to("fixed-from-the-environment@example.jp") == []


@override_settings(DECLARATIONS_STAFF_EMAIL="fixed-from-the-environment@example.jp")
def test_a_dedicated_notice_address_takes_the_notices_instead_of_the_public_one(
    client, django_capture_on_commit_callbacks
):
    make_contact(notice_email="shinsa@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    [notice] = sent_to("shinsa@example.jp")
    assert "新しい申請" in notice.subject
    assert sent_to("kyosei-contact@example.jp") == []


@override_settings(DECLARATIONS_STAFF_EMAIL="fixed-from-the-environment@example.jp")
def test_the_environment_address_is_used_only_while_the_setting_has_no_address(
    client, django_capture_on_commit_callbacks
):
    make_contact(email="")
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    assert len(sent_to("fixed-from-the-environment@example.jp")) == 1


def test_the_receipt_gives_the_department_one_phone_line_and_email(client, django_capture_on_commit_callbacks):
    make_contact()
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    [receipt] = sent_to("jiro@kuroshio.example.jp")
    assert_gives_the_contact_details(receipt.body)


def test_the_line_staff_choose_for_the_register_is_the_one_the_mail_gives(client, django_capture_on_commit_callbacks):
    make_contact(declaration_mail_line="地域福祉推進担当")
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    [receipt] = sent_to("jiro@kuroshio.example.jp")
    assert "地域福祉政策課 地域福祉推進担当\n電話 088-823-9090" in receipt.body
    assert "088-823-9840" not in receipt.body


def test_without_a_chosen_line_the_mail_gives_no_number_rather_than_all_of_them(
    client, django_capture_on_commit_callbacks
):
    make_contact(declaration_mail_line="")
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    [receipt] = sent_to("jiro@kuroshio.example.jp")
    assert "電話 " not in receipt.body
    assert "メール kyosei-contact@example.jp" in receipt.body


@override_settings(WAGTAIL_SITE_NAME="こうち共生テスト")
def test_subjects_and_signatures_use_the_site_name_setting(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    [receipt] = sent_to("jiro@kuroshio.example.jp")
    assert receipt.subject.startswith("【こうち共生テスト】")
    assert receipt.body.rstrip().endswith("こうち共生テスト（高知県）")
    assert "【高知家地域共生社会】" not in receipt.subject


def test_the_approval_mail_links_to_the_public_entry(django_capture_on_commit_callbacks):
    declaration = make_declaration()
    with django_capture_on_commit_callbacks(execute=True):
        declaration.approve(by=make_moderator())
    [approved] = mail.outbox
    url = f"http://testserver/declarations/{declaration.pk}/"
    assert url in approved.body


def test_the_public_entry_the_approval_mail_links_to_shows_the_declaration(client, django_capture_on_commit_callbacks):
    declaration = make_declaration(name="株式会社しまんと商会")
    with django_capture_on_commit_callbacks(execute=True):
        declaration.approve(by=make_moderator())
    # The first link is the public entry (the declarant's private links follow it).
    url = next(line for line in mail.outbox[0].body.splitlines() if line.startswith("http://testserver/declarations/"))
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "株式会社しまんと商会" in response.content.decode()


@pytest.mark.parametrize(
    "act",
    [
        lambda declaration, by: declaration.request_changes(by=by, message="ふりがなをご確認ください。"),
        lambda declaration, by: declaration.reject(by=by, reason="県外の団体です。"),
        lambda declaration, by: declaration.approve(by=by),
    ],
    ids=["changes_requested", "rejected", "approved"],
)
def test_moderation_mails_give_a_phone_number_instead_of_just_the_staff(act, django_capture_on_commit_callbacks):
    make_contact()
    declaration = make_declaration()
    with django_capture_on_commit_callbacks(execute=True):
        act(declaration, make_moderator())
    [message] = mail.outbox
    assert "県の担当者にご連絡ください" not in message.body
    assert_gives_the_contact_details(message.body)


def test_the_withdrawal_mail_gives_the_contact_details(django_capture_on_commit_callbacks):
    make_contact()
    declaration = make_declaration(status=Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        declaration.withdraw(by=make_moderator(), reason="申し出により取り下げます。")
    assert_gives_the_contact_details(mail.outbox[0].body)


def test_a_resubmitted_correction_sends_the_applicant_a_receipt_and_staff_a_notice(
    client, django_capture_on_commit_callbacks
):
    make_contact(notice_email="shinsa@example.jp")
    declaration = make_declaration()
    token = declaration.request_changes(by=make_moderator(), message="ふりがなをご確認ください。")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        declaration.resubmit_correction(token)

    [receipt] = sent_to("hanako@kuroshio.example.jp")
    assert declaration.reference_number in receipt.subject
    assert declaration.reference_number in receipt.body
    assert "修正" in receipt.subject
    assert "山田 花子 様" in receipt.body
    assert_gives_the_contact_details(receipt.body)
    [notice] = sent_to("shinsa@example.jp")
    assert declaration.reference_number in notice.subject
    assert f"http://testserver/admin/declarations/{declaration.pk}/" in notice.body
    rows = OutboundEmail.objects.filter(declaration=declaration).order_by("pk")
    assert [row.to for row in rows][-2:] == ["hanako@kuroshio.example.jp", "shinsa@example.jp"]

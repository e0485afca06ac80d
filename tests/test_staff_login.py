"""Staff login protection: lockout after wrong passwords (per account from one address, and per address),
the alert for an account guessed from many addresses, unlocking, and
the second factor that reviewers and administrators must give before the admin shows them anything."""

import base64
import io
import logging
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.totp import code_for, totp

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
QUEUE = "/admin/declarations/"
PASSWORD = "correct-horse-12345"
LOCKED = "ログインを一時停止しています"
ADDRESS_A = "192.0.2.10"
ADDRESS_B = "192.0.2.20"


def make_staff(username, group="宣言審査担当"):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_ten_wrong_passwords_lock_the_account_from_that_address_in_japanese_with_retry_after(client):
    make_staff("reviewer")
    for _ in range(10):
        assert log_in(client, "reviewer", "wrong-password", REMOTE_ADDR=ADDRESS_A).status_code in (200, 429)

    response = log_in(client, "reviewer", REMOTE_ADDR=ADDRESS_A)

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    text = response.content.decode()
    assert LOCKED in text and "10回" in text and "60分間" in text
    assert "この接続元からこのアカウントへのログイン" in text
    assert not signed_in(client)


def test_a_stranger_cannot_lock_staff_out_from_their_own_desk(client):
    """Ten wrong passwords for `staff` from A lock A out of that account; its owner at B logs in."""
    make_staff("staff")
    for _ in range(10):
        log_in(client, "staff", "wrong-password", REMOTE_ADDR=ADDRESS_A)
    assert log_in(client, "staff", REMOTE_ADDR=ADDRESS_A).status_code == 429

    response = log_in(client, "staff", REMOTE_ADDR=ADDRESS_B)

    assert response.status_code == 302
    assert signed_in(client)
    client.logout()
    # The owner's login does not free the stranger's address.
    assert log_in(client, "staff", REMOTE_ADDR=ADDRESS_A).status_code == 429


def test_behind_our_proxy_the_account_is_locked_only_from_the_address_the_proxy_saw(client, settings):
    settings.TRUSTED_PROXIES = 1
    make_staff("staff")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(10):
        log_in(client, "staff", "wrong-password", HTTP_X_FORWARDED_FOR=ADDRESS_A, **proxy)

    locked = log_in(client, "staff", HTTP_X_FORWARDED_FOR=ADDRESS_A, **proxy)
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert log_in(client, "staff", HTTP_X_FORWARDED_FOR=ADDRESS_B, **proxy).status_code == 302


def test_nine_wrong_passwords_do_not_lock_and_a_right_one_clears_the_count(client):
    make_staff("reviewer")
    for _ in range(9):
        log_in(client, "reviewer", "wrong-password")
    assert log_in(client, "reviewer").status_code == 302
    assert signed_in(client)


def test_one_address_guessing_many_accounts_is_locked_for_every_account(client, settings):
    make_staff("reviewer")
    limit = settings.STAFF_LOGIN_ADDRESS_FAILURE_LIMIT
    for number in range(limit - 1):
        log_in(client, f"guess{number}", "wrong-password", REMOTE_ADDR="198.51.100.7")
    assert log_in(client, "nobody", "wrong-password", REMOTE_ADDR="198.51.100.7").status_code == 429

    response = log_in(client, "reviewer", REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert f"この接続元から、パスワードの誤りが{limit}回続いた" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert not signed_in(client)
    assert log_in(client, "reviewer", REMOTE_ADDR="198.51.100.8").status_code == 302


def test_failures_for_one_account_from_many_addresses_alert_administrators_and_lock_nothing(client, settings, caplog):
    user = make_staff("staff")
    caplog.set_level(logging.INFO, logger="kochi_kyosei.staff")
    alert_at = settings.STAFF_LOGIN_FAILURE_ALERT
    for number in range(alert_at):
        log_in(client, "staff", "wrong-password", REMOTE_ADDR=f"203.0.113.{number + 1}")

    lines = [record.getMessage() for record in caplog.records if record.name == "kochi_kyosei.staff"]
    failed = [line for line in lines if line.startswith(f"login failed user={user.pk}")]
    alerts = [line for line in lines if line.startswith("login failures alert")]
    assert len(failed) == alert_at
    assert len(alerts) == 1
    assert alerts[0].startswith(
        f"login failures alert user={user.pk} failures={alert_at} addresses={alert_at} minutes=60 client="
    )
    assert [r.levelname for r in caplog.records if r.getMessage() in alerts] == ["WARNING"]
    assert not any("locked out" in line for line in lines)
    assert log_in(client, "staff", REMOTE_ADDR="203.0.113.200").status_code == 302


def test_behind_our_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    """TRUSTED_PROXIES=1: every request comes from the proxy; X-Forwarded-For's last entry is the client."""
    settings.TRUSTED_PROXIES = 1
    make_staff("reviewer")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(10):
        log_in(client, "reviewer", "wrong-password", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert log_in(client, "reviewer", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 302
    client.logout()
    # A forged first entry does not escape the lock: only the entry our proxy appended counts.
    forged = "203.0.113.1, 198.51.100.7"
    assert log_in(client, "reviewer", HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429


# Headers no proxy of ours writes; on PostgreSQL django-axes' inet column refused each of them (a 500).
MALFORMED_FORWARDED = [
    "evil",
    "1.2.3.4:8080",
    "[::1]",
    "[2001:db8::1]:443",
    "x" * 10_000,
    "evil, , ",
    ",",
    "unknown",
]


@pytest.mark.parametrize("forwarded", MALFORMED_FORWARDED)
def test_a_malformed_forwarded_header_gets_the_japanese_login_page_and_counts_against_the_proxy(
    client, settings, forwarded
):
    settings.TRUSTED_PROXIES = 1
    make_staff("reviewer")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    response = log_in(client, "reviewer", "wrong-password", HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    assert response.status_code == 200
    assert "ユーザー名かパスワードが違います" in response.content.decode()
    assert not signed_in(client)
    # The failure was recorded under the address that connected, so the lock still holds.
    for _ in range(9):
        log_in(client, "reviewer", "wrong-password", HTTP_X_FORWARDED_FOR=forwarded, **proxy)
    assert log_in(client, "reviewer", **proxy).status_code == 429


@pytest.mark.parametrize(
    ("command", "argument", "address"),
    [("axes_reset_username", "reviewer", "192.0.2.1"), ("axes_reset_ip", "192.0.2.1", "192.0.2.1")],
)
def test_the_unlock_commands_let_the_person_in_again(client, command, argument, address):
    make_staff("reviewer")
    for _ in range(10):
        log_in(client, "reviewer", "wrong-password", REMOTE_ADDR=address)
    assert log_in(client, "reviewer", REMOTE_ADDR=address).status_code == 429

    call_command(command, argument, stdout=io.StringIO())

    assert log_in(client, "reviewer", REMOTE_ADDR=address).status_code == 302
    assert signed_in(client)


def test_logins_failures_and_lockouts_are_logged_without_names_passwords_or_addresses(client, caplog):
    user = make_staff("reviewer")
    caplog.set_level(logging.INFO, logger="kochi_kyosei.staff")
    log_in(client, "reviewer", "wrong-password-xyz", REMOTE_ADDR="192.0.2.55")
    log_in(client, "reviewer", REMOTE_ADDR="192.0.2.55")
    for _ in range(10):
        log_in(client, "someone-else", "wrong-password-xyz", REMOTE_ADDR="192.0.2.55")

    lines = [record.getMessage() for record in caplog.records if record.name == "kochi_kyosei.staff"]
    assert f"login failed user={user.pk}" in lines[0]
    assert any(line.startswith(f"login user={user.pk}") for line in lines)
    assert any(line.startswith("login locked out user=unknown") for line in lines)
    for line in lines:
        assert "reviewer" not in line and "someone-else" not in line
        assert "wrong-password" not in line and PASSWORD not in line and "192.0.2.55" not in line


# Two-factor authentication


def test_a_reviewer_without_a_device_sees_no_admin_data_until_enrolling_with_a_real_code(client):
    reviewer = make_staff("reviewer")
    assert log_in(client, "reviewer").status_code == 302

    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/enrol/?next=")
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/api/main/pages/").status_code == 302

    enrol = client.get(response["Location"])
    assert enrol.status_code == 200
    page = enrol.content.decode()
    assert "2段階認証の設定" in page and "<svg" in page
    secret = re.search(r'class="staff-2fa__secret">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    assert key == device.bin_key  # what the person types into the app is the key the server checks

    wrong = client.post(response["Location"], {"token": "000000" if totp(key) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "確認コードが正しくありません" in wrong.content.decode()
    assert client.get(QUEUE).status_code == 302


def test_the_first_right_code_confirms_the_device_and_opens_the_admin(client):
    reviewer = make_staff("reviewer")
    log_in(client, "reviewer")
    client.get("/admin/2fa/enrol/")

    response = client.post("/admin/2fa/enrol/", {"token": code_for(reviewer), "next": QUEUE})

    assert response.status_code == 302 and response["Location"] == QUEUE
    assert TOTPDevice.objects.get(user=reviewer).confirmed
    assert client.get(QUEUE).status_code == 200


def test_next_time_the_reviewer_is_asked_for_a_code_and_a_wrong_one_is_refused(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    reviewer = make_staff("reviewer")
    TOTPDevice.objects.create(user=reviewer, name="認証アプリ", confirmed=True)
    log_in(client, "reviewer")

    response = client.get(QUEUE)
    assert response["Location"].startswith("/admin/2fa/verify/")
    wrong = client.post("/admin/2fa/verify/", {"token": "12345x"})
    assert "確認コードが正しくありません" in wrong.content.decode()
    assert client.get(QUEUE).status_code == 302

    right = client.post("/admin/2fa/verify/", {"token": code_for(reviewer), "next": QUEUE})
    assert right["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_administrators_need_the_second_factor_too_and_editors_do_not(client):
    admin = User.objects.create_superuser("chief", password=PASSWORD)
    log_in(client, "chief")
    assert client.get("/admin/").status_code == 302
    client.logout()

    make_staff("editor", group="Editors")
    log_in(client, "editor")
    assert client.get("/admin/").status_code == 200
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_make_run_can_turn_the_second_factor_off(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    make_staff("reviewer")
    log_in(client, "reviewer")
    assert client.get(QUEUE).status_code == 200


def test_a_next_address_elsewhere_is_not_followed(client):
    reviewer = make_staff("reviewer")
    log_in(client, "reviewer")
    client.get("/admin/2fa/enrol/")
    response = client.post("/admin/2fa/enrol/", {"token": code_for(reviewer), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"

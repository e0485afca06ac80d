"""Suite-wide fixtures.

Staff who must use two-factor authentication (kochi_kyosei/two_factor.py) are refused the admin until
their session holds a verified device. Tests that sign staff in with the test client's force_login()
get what a correct code would have given them: a confirmed TOTP device and a session that records it,
exactly as django_otp.login() writes it; the middleware that checks it runs unchanged. Tests of the
second factor itself sign in through the real login form instead (tests/test_staff_login.py).
"""

import pytest
from django.db import transaction
from django.test import Client


@pytest.fixture(autouse=True)
def _verified_force_login(monkeypatch):
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from kochi_kyosei.two_factor import requires_two_factor

        if requires_two_factor(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="テスト用", defaults={"confirmed": True})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a change queues for the end of its transaction, as the real commit would (the page cache's
    invalidation, kochi_kyosei/page_cache.py)."""

    def run(change):
        # The test's own transaction never commits, so what the fixtures queued never ran; start a new
        # "transaction" for the change.
        transaction.get_connection().page_cache_queued = False
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        return result

    return run

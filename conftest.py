"""Suite-wide fixtures.

Staff who must use two-factor authentication (core/two_factor.py) are refused the admin until
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

        from core.two_factor import requires_two_factor

        if requires_two_factor(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="テスト用", defaults={"confirmed": True})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def page_cache_on(settings):
    """The page cache and the site frame on, as in production, each starting empty: the shared cache, this
    process's stored pages and its frames (pages/site_context.py follows the same generation)."""
    from django.core.cache import cache

    from core import page_cache
    from pages import site_context

    settings.PAGE_CACHE_ENABLED = True
    settings.SITE_FRAME_CACHE = True
    settings.WAGTAILFRONTENDCACHE = {}
    cache.clear()
    page_cache.clear_local()
    site_context.clear_frames()
    yield
    cache.clear()
    page_cache.clear_local()
    site_context.clear_frames()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a change queues for the end of its transaction, as the real commit would (the page cache's
    invalidation, core/page_cache.py)."""

    def run(change):
        # The test's own transaction never commits, so what the fixtures queued never ran; start a new
        # "transaction" for the change.
        transaction.get_connection().page_cache_queued = False
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        return result

    return run


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # A test that commits real transactions exercises what the engine does with them (locks, isolation,
    # on-commit work, sequences): it is a `database` test whether or not its author marked it
    # (pyproject.toml says which tests are). tryfirst: before `-m database` deselects anything.
    from django.test import TestCase, TransactionTestCase

    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        transactional = transactional or "transactional_db" in getattr(item, "fixturenames", ())
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
            transactional = True
        if transactional and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.database)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """How `pytest -n N` (make test) shares the tests among its processes, when no other --dist is asked for.

    Each process runs what it is given in the order of collection, so in each one the browser tests
    still come first and the transactional tests (which empty the database) last, as pytest-django and
    tests/browser/conftest.py order them; xdist's own scope schedulers would run the largest groups
    first instead. A browser module goes to one process whole (its tests share the site they write
    to), a test class too (setUpTestData); every other test is handed out on its own, which keeps
    both processes busy to the end.
    """
    if config.option.dist != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class InCollectionOrder(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path, _, rest = nodeid.partition("::")
            if path.startswith("tests/browser/"):
                return path
            if "::" in rest:
                return f"{path}::{rest.split('::', 1)[0]}"
            return nodeid

    config.option.loadscopereorder = False
    return InCollectionOrder(config, log)

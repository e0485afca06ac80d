"""Fixtures for tests that drive Debian's Chromium against the site on a live server.

Usage:

    pytestmark = pytest.mark.browser

    def test_something(page, site_url, axe):
        page.goto(site_url + "/declarations/")
        axe(page)  # fails with a readable report when any WCAG A/AA rule is violated

`site_url` is a live server (a thread of this process) over the test database with the initial
content (`manage.py load_initial_content`) loaded once per test module, because loading it takes
seconds. Tests may read and write the database directly (the ORM sees what the server sees); what
one test writes stays for the rest of its module. `db` is overridden here to mean exactly that; do
not request `transactional_db`, `django_db` marks or pytest-django's `live_server` in browser tests:
those wrap the test in a transaction the server thread cannot see, or flush the content away.

Browser tests run first in the session (see pytest_collection_modifyitems), while the database
still holds exactly what migrations made; after the last of them that state is restored, so the other
tests start from the same database as without these. On SQLite (the suite's in-memory database) the
site is built once per process and each module starts from a copy of it taken with SQLite's backup API,
as is the state migrations made; on other databases each module loads the content again and the
database is flushed and restored from a serialized copy after it.
"""

import json
import os
import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.accessibility.checks import axe_violations, describe_violations, launch_chromium

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
# refuse every database query made from that thread as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DESKTOP = {"width": 1280, "height": 800}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django has ordered the database tests: the browser tests go first, while no
    # transactional test has flushed away the rows migrations create (municipalities, the site root).
    browser = [item for item in items if item.get_closest_marker("browser")]
    others = [item for item in items if not item.get_closest_marker("browser")]
    items[:] = browser + others


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) at a desktop size; call page.set_viewport_size() to change it."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


class _RequestGate:
    """Lets the live server's requests run side by side, and lets the test thread wait until none runs and hold
    new ones back while it replaces the database under them. On SQLite in memory every request shares the test
    thread's one connection: a restore that ran while a request a closing tab had sent was still ending (its
    request_finished handler checks the connection) failed as `SystemError: error return without exception
    set` from the sqlite3 module, one CI run in several."""

    def __init__(self):
        self._condition = threading.Condition()
        self._running = 0
        self._held = False

    def wrap(self, application):
        gate = self

        def gated(environ, start_response):
            gate._enter()
            try:
                result = application(environ, start_response)
            except BaseException:
                gate._leave()
                raise
            return _ClosedThrough(result, gate._leave)

        return gated

    def _enter(self):
        with self._condition:
            self._condition.wait_for(lambda: not self._held)
            self._running += 1

    def _leave(self):
        with self._condition:
            self._running -= 1
            self._condition.notify_all()

    @contextmanager
    def held(self, timeout=10):
        """No request runs inside this block (after up to `timeout` seconds of waiting for those that do)."""
        with self._condition:
            self._held = True
            if not self._condition.wait_for(lambda: self._running == 0, timeout):
                self._held = False
                self._condition.notify_all()
                raise TimeoutError(f"{self._running} live-server request(s) still running after {timeout} s")
        try:
            yield
        finally:
            with self._condition:
                self._held = False
                self._condition.notify_all()


class _ClosedThrough:
    """A WSGI response that leaves the gate only once the server has closed it (Django's request_finished
    handlers, which touch the database connection, run in close())."""

    def __init__(self, result, on_close):
        self._result = result
        self._on_close = on_close

    def __iter__(self):
        return iter(self._result)

    def close(self):
        try:
            if hasattr(self._result, "close"):
                self._result.close()
        finally:
            self._on_close()


_gate = _RequestGate()


@pytest.fixture(scope="session")
def _live_site_server(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    httpd = server.thread.httpd
    httpd.set_app(_gate.wrap(httpd.get_app()))
    yield server
    server.stop()


def content_types_first(serialized):
    """The serialized rows with content types first: signal handlers that run while the other rows are
    restored (search indexing) look content types up, and would otherwise create them with new ids."""
    rows = json.loads(serialized)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(rows)


class _DatabaseStates:
    """The migrated state and the built site, saved once per process where the database allows a cheap
    copy (SQLite in memory), and which of them the database holds now."""

    def __init__(self):
        self.migrated = None
        self.built = None
        self.site_loaded = False
        self.db_blocker = None
        self.copyable = False

    def save(self, connection):
        connection.ensure_connection()
        with _gate.held():
            if self.copyable:
                copy = sqlite3.connect(":memory:", check_same_thread=False)
                connection.connection.backup(copy)
                return copy
            return content_types_first(connection.creation.serialize_db_to_string())

    def restore(self, connection, saved):
        from django.contrib.contenttypes.models import ContentType

        # A request a tab sent as it closed (the admin's editing-session release) may still be running in the
        # live server, which on SQLite shares this connection: wait for it, and let no new one start meanwhile.
        with _gate.held():
            if isinstance(saved, sqlite3.Connection):
                saved.backup(connection.connection)
            else:
                call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
                ContentType.objects.clear_cache()
                connection.creation.deserialize_db_from_string(saved)
        ContentType.objects.clear_cache()
        cache.clear()

    def load_site(self, connection):
        if self.built is not None:
            self.restore(connection, self.built)
        else:
            if self.migrated is None:
                self.copyable = connection.vendor == "sqlite" and connection.is_in_memory_db()
                self.migrated = self.save(connection)
            call_command("load_initial_content", verbosity=0)
            if self.copyable:
                self.built = self.save(connection)
        self.site_loaded = True

    def unload_site(self, connection):
        if self.site_loaded:
            self.restore(connection, self.migrated)
            self.site_loaded = False


_states = _DatabaseStates()


@pytest.fixture(scope="module")
def _site_content(django_db_setup, django_db_blocker):
    """The initial content in the test database for one module's tests, as it was before any module wrote."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"refusing to load content into a non-test database: {name}"
    _states.db_blocker = django_db_blocker
    # Unblocked for the whole module: the live server's thread queries the database too.
    django_db_blocker.unblock()
    try:
        _states.load_site(connection)
        yield
        if not _states.copyable:
            _states.unload_site(connection)
    finally:
        django_db_blocker.restore()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the last browser test the other tests get the database as migrations made it (after the very
    # last test of the session the test database is gone already).
    if _states.site_loaded and nextitem is not None and not nextitem.get_closest_marker("browser"):
        from django.db import connection

        with _states.db_blocker.unblock():
            _states.unload_site(connection)


@pytest.fixture
def db(_site_content):
    """In browser tests, the test database exactly as the live server sees it: committed, with no
    transaction around the test (pytest-django's own `db` would hide the test's writes from the
    server thread on PostgreSQL). Requesting it also tells pytest-django to create the test database.
    """


@pytest.fixture
def site_url(db, _live_site_server):
    """The live site's base URL (no trailing slash), with the initial content loaded."""
    # Each test starts with an empty cache: the application form's per-address limit counts there.
    cache.clear()
    return _live_site_server.url


@pytest.fixture
def axe():
    """Assert the page as it is now has no axe-core violation of WCAG 2.0/2.1 level A or AA."""

    def check(page):
        violations = axe_violations(page)
        assert not violations, describe_violations(violations, page.url)

    return check

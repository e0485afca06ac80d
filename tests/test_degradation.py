"""Degradation, not 500s: the site keeps serving with Redis down, and answers its own 503 with the database down.

Every outage here is real: a port nothing listens on, a redis-server started and shut down by the test,
a TCP proxy in front of PostgreSQL that refuses connections and comes back.
"""

import logging
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import wsgiref.util
from pathlib import Path

import pytest
import redis
from django.core.cache import cache, caches
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from core.cache import ResilientRedisCache
from declarations.models import Declaration
from declarations.tests.factories import form_data, make_superuser
from pages.tests.factories import make_home
from tests.outage import CuttableProxy, free_port, redis_server

APPLY = "/declarations/apply/"
CONFIRM = "/declarations/apply/confirm/"
COMPLETE = "/declarations/apply/complete/"
CACHE_WARNING = "キャッシュサーバーに接続できません"


def redis_cache_settings(port):
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            # Try Redis again at once, so the test sees the recovery without waiting.
            "OPTIONS": {"pause_after_failure": 0},
        }
    }


def apply(client, **overrides):
    assert client.post(APPLY, form_data(**overrides)).url == CONFIRM
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    return client.get(COMPLETE)


def assert_the_public_site_answers(client):
    for address in ("/", "/declarations/", "/search/?q=共生", APPLY):
        assert client.get(address).status_code == 200, address


@pytest.mark.django_db
def test_with_redis_on_a_closed_port_pages_are_served_and_applications_accepted(client, caplog):
    make_home()
    with override_settings(CACHES=redis_cache_settings(free_port())), caplog.at_level(logging.WARNING):
        assert_the_public_site_answers(client)
        assert apply(client).status_code == 200
        assert Declaration.objects.count() == 1
    warnings = [record for record in caplog.records if record.name == "core.cache"]
    # Logged, but not once per request: at most once a minute.
    assert len(warnings) == 1
    assert "Redis cache unreachable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_with_redis_down_the_per_address_limit_still_counts_in_the_workers_memory(client):
    with override_settings(CACHES=redis_cache_settings(free_port()), DECLARATIONS_RATE_LIMITS={"form": (2, 3600)}):
        assert [client.post(APPLY, form_data(name="")).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server")
def test_a_redis_stopped_while_serving_degrades_warns_staff_and_recovers(client):
    make_home()
    port = free_port()
    admin = Client()
    admin.force_login(make_superuser())
    with override_settings(CACHES=redis_cache_settings(port)):
        with redis_server(port) as server:
            assert_the_public_site_answers(client)
            assert redis.Redis(port=port).dbsize() > 0, "the site did not use Redis while it was up"
            assert CACHE_WARNING not in admin.get("/admin/").content.decode()
            server.terminate()
            server.wait(timeout=10)

            assert_the_public_site_answers(client)
            apply(client)
            assert Declaration.objects.count() == 1
            dashboard = admin.get("/admin/")
            assert dashboard.status_code == 200
            assert CACHE_WARNING in dashboard.content.decode()

        with redis_server(port):
            assert CACHE_WARNING not in admin.get("/admin/").content.decode()
            cache.set("back", "again")
            assert redis.Redis(port=port).dbsize() > 0


def test_a_dead_redis_does_not_hang_a_request():
    # A listener that accepts and never answers: the worst case for a request, worse than a refusal.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        with override_settings(CACHES=redis_cache_settings(silent.getsockname()[1])):
            started = time.monotonic()
            assert cache.get("anything", "default") == "default"
            elapsed = time.monotonic() - started
    print(f"cache.get against a silent Redis returned after {elapsed:.2f} s")
    assert elapsed < 5


# Without REDIS_URL (`make run`), the cache is a table in the site's database, shared by every worker.

DATABASE_CACHE = {"default": {"BACKEND": "core.cache.DatabaseCache", "LOCATION": "kk_cache"}}


def test_without_redis_the_settings_choose_the_database_cache():
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "kochi_kyosei.settings.base"}
    printed = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed == "core.cache.DatabaseCache"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrate_creates_the_cache_table_and_two_workers_share_the_per_address_count():
    from django.core.management import call_command

    from declarations import ratelimit

    with override_settings(CACHES=DATABASE_CACHE, DECLARATIONS_RATE_LIMITS={"form": (3, 3600)}):
        call_command("migrate", verbosity=0)
        assert "kk_cache" in connection.introspection.table_names()
        # Two cache instances, as two gunicorn workers build them from the same settings.
        first_worker, second_worker = caches.create_connection("default"), caches.create_connection("default")
        request = RequestFactory().post(APPLY, REMOTE_ADDR="192.0.2.44")
        key = "declarations:ratelimit:form:192.0.2.44"
        assert ratelimit.hit(request, "form")
        assert ratelimit.hit(request, "form")
        assert first_worker.get(key) == 2
        second_worker.incr(key)
        assert not ratelimit.hit(request, "form")  # the fourth post, counted across both
        assert first_worker.get(key) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_cache_reads_what_django_wrote_and_never_an_expired_row():
    from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
    from django.core.management import call_command

    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)
        ours = caches.create_connection("default")
        django_cache = DjangoDatabaseCache("kk_cache", {})
        values = {"generation": "3f2a", "count": 4, "entry": ("g", 1.5, 200, [("Content-Type", "text/html")], b"\x1f")}
        for key, value in values.items():
            django_cache.set(key, value, 60)
            assert ours.get(key) == value == django_cache.get(key)
        ours.set("version", "one", 60, version=2)
        assert ours.get("version", version=2) == "one" and ours.get("version") is None
        assert ours.get("missing", "default") == "default"
        ours.set("over", "stale", 0)  # expires at once
        assert ours.get("over", "default") == "default"
        assert ours.incr("count") == 5


# PostgreSQL unreachable: the site's own Japanese 503 page, then recovery without a restart.


def wsgi_get(address):
    """GET through Django's WSGI handler as gunicorn's worker calls it: the request signals run, so the
    worker's persistent database connection is checked and replaced as in production (the test client
    switches that off)."""
    path, _, query = address.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": urllib.parse.quote(query, safe="=&"), "HTTP_HOST": "localhost"}
    wsgiref.util.setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=int(status.split()[0]), headers=dict(headers))

    result = get_wsgi_application()(environ, start_response)
    try:
        body = b"".join(result).decode()
    finally:
        result.close()
    return started["status"], started["headers"], body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the outage is of a PostgreSQL server")
def test_a_postgresql_outage_gets_the_japanese_503_and_the_site_recovers_without_a_restart():
    make_home(title="高知型地域共生社会")
    proxy = CuttableProxy(int(connection.settings_dict.get("PORT") or 5432), connection.settings_dict["HOST"])
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        assert wsgi_get("/")[0] == 200

        proxy.cut()
        for address in ("/", "/declarations/", "/search/?q=共生", APPLY):
            status, headers, html = wsgi_get(address)
            assert status == 503, address
            assert headers["Retry-After"].isdigit()
            assert '<html lang="ja">' in html
            assert "ただいま一時的にページを表示できません" in html
            assert "お問い合わせ" in html and "088-823-9840" in html
            assert "Traceback" not in html and "OperationalError" not in html

        proxy.restore()
        status, _, html = wsgi_get("/")
        assert status == 200
        assert "高知型地域共生社会" in html
    finally:
        proxy.cut()
        connection.close()
        connection.settings_dict.update(original)


def unreachable_database(request):
    """A view whose database cannot be opened: a real driver error, on any machine, without PostgreSQL."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    missing = DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": "/nonexistent/kyosei/db.sqlite3",
            "OPTIONS": {},  # PostgreSQL's (the JIT setting) are no SQLite connection's
        }
    )
    missing.cursor()


def broken_code(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [path("unreachable/", unreachable_database), path("broken/", broken_code)]
handler500 = "kochi_kyosei.errors.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_database_that_cannot_be_opened_is_a_503_and_a_bug_stays_a_500():
    client = Client(raise_request_exception=False)
    response = client.get("/unreachable/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "ただいま一時的にページを表示できません" in response.content.decode()
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "ただいまページを表示できません" in response.content.decode()


def test_the_redis_cache_makes_one_redis_py_client_not_one_per_call(monkeypatch):
    """Django's Redis backend builds a redis-py client for every call (copying its ~170 response callbacks, a
    large part of a page-cache hit's own time); ours keeps one per connection pool, shared by the threads."""
    made = []
    original = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    port = free_port()
    with redis_server(port):
        monkeypatch.setattr(redis.Redis, "__init__", counted)
        backend = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})
        for number in range(20):
            backend.set(f"key-{number}", number)
            assert backend.get_many([f"key-{number}", "absent"]) == {f"key-{number}": number}
    assert len(made) == 1

"""The full-page cache (core/page_cache.py): who gets a stored page, what is never stored, and
every change that must make the next request fresh. Runs on the suite's cache (per-process memory) or,
with REDIS_URL, on Redis through the production backend."""

import contextlib
import datetime
import gzip
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from core import limits, page_cache
from core.cache import ResilientRedisCache
from core.request_body import ReceiveBodyFirst
from core.scheduling.models import WorkerHeartbeat
from core.security_headers import PUBLIC_HEADER
from declarations.models import ActivityArea, Declaration, OutboundEmail, Status
from declarations.tests.factories import make_declaration, make_moderator
from pages.models import ContactSettings, SectionPage
from pages.tests.factories import make_document, make_home, make_image, publish

PAGE_HEADER = "X-Page-Cache"


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    """Every test here with the page cache and the site frame on (conftest.py's page_cache_on)."""


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def section(home):
    return publish(home, SectionPage(title="地域共生社会とは", slug="about"))


@pytest.fixture
def shared_cache_down(monkeypatch):
    """A context in which every call to the shared cache fails, as while Redis cannot be reached."""

    @contextlib.contextmanager
    def down():
        real = page_cache.shared_call

        def fail(*args, **kwargs):
            raise OSError("down")

        real_many = page_cache.shared_get_many
        monkeypatch.setattr(page_cache, "shared_call", fail)
        # Also the reads that may be answered from this process's copy of the generation (core/tracked_keys.py):
        # a real outage closes or silences that copy's connection to Redis too.
        monkeypatch.setattr(page_cache, "shared_get_many", fail)
        try:
            yield
        finally:
            monkeypatch.setattr(page_cache, "shared_call", real)
            monkeypatch.setattr(page_cache, "shared_get_many", real_many)

    return down


def get(path, client=None, **headers):
    return (client or Client()).get(path, **headers)


def text(response):
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


def cached(path):
    """Two anonymous requests; the second must be a hit (so the page is stored before a change)."""
    first = get(path)
    second = get(path)
    assert (first[PAGE_HEADER], second[PAGE_HEADER]) == ("miss", "hit"), path
    return second


# --- hits and misses ---------------------------------------------------------------------------------


def test_a_second_anonymous_visit_is_served_from_the_cache_with_no_query(home, django_assert_num_queries, settings):
    settings.PAGE_CACHE_RECORDED_CHECK_SECONDS = 30  # however slow the machine, the next request is within it
    first = get("/")
    assert first.status_code == 200 and first[PAGE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = get("/")
    assert second[PAGE_HEADER] == "hit"
    assert second.status_code == 200
    assert text(second) == text(first)
    assert home.title in text(second)

    # Once PAGE_CACHE_RECORDED_CHECK_SECONDS have passed, the next request asks again whether a committed change
    # is still waiting to replace the generation (page_cache docstring): one query.
    settings.PAGE_CACHE_RECORDED_CHECK_SECONDS = 0.05
    time.sleep(0.05)
    with django_assert_num_queries(1):
        third = get("/")
    assert third[PAGE_HEADER] == "hit"


def test_a_hit_keeps_the_security_headers_and_tells_browsers_to_ask_again(home):
    response = cached("/")
    assert response["Content-Security-Policy"] == PUBLIC_HEADER
    assert "Permissions-Policy" in response
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Referrer-Policy"] == "same-origin"
    directives = {item.strip() for item in response["Cache-Control"].split(",")}
    assert "max-age=0" in directives and "public" in directives
    assert any(item.startswith("s-maxage=") for item in directives)
    assert "Set-Cookie" not in response


def test_a_stored_page_is_answered_while_every_django_slot_is_busy(home):
    """A worker runs Django in DJANGO_THREADS slots (core/request_body.py). A visitor whose page is stored does not
    wait for one: renders and an application's commit can hold them all during a rush."""
    cached("/")
    application = ReceiveBodyFirst(get_wsgi_application())
    answers = {}

    def visit(path):
        def start_response(status, headers):
            answers[path] = (status, dict(headers))

        environ = RequestFactory().get(path).environ
        b"".join(application(environ, start_response))

    for _ in range(limits.DJANGO_THREADS):
        application.in_django.acquire()  # renders in progress
    stored = threading.Thread(target=visit, args=("/",))
    not_stored = threading.Thread(target=visit, args=("/?page=2",))
    try:
        stored.start()
        not_stored.start()
        stored.join(timeout=10)
        assert answers["/"][0] == "200 OK"
        assert answers["/"][1][PAGE_HEADER] == "hit"
        not_stored.join(timeout=0.5)
        assert not_stored.is_alive(), "a page that must be rendered waits for a slot"
    finally:
        for _ in range(limits.DJANGO_THREADS):
            application.in_django.release()
    not_stored.join(timeout=30)
    assert "/?page=2" in answers


def test_visitors_who_come_while_a_page_renders_get_that_render_not_one_each(db):
    """A change makes a popular page stale (an event's 残り after an application): the requests that come while
    it renders again wait for that one render, and are served its copy."""
    renders = []

    def slow_page(request):
        renders.append(request.path)
        time.sleep(0.5)
        return HttpResponse(f"<p>残り{len(renders)}人</p>")

    middleware = page_cache.PageCacheMiddleware(slow_page)
    answers = []

    def visit():
        answers.append(middleware(RequestFactory().get("/event/")))

    visitors = [threading.Thread(target=visit) for _ in range(4)]
    for visitor in visitors:
        visitor.start()
        time.sleep(0.05)
    for visitor in visitors:
        visitor.join(timeout=30)

    assert renders == ["/event/"]
    assert sorted(answer[PAGE_HEADER] for answer in answers) == ["hit", "hit", "hit", "miss"]
    assert {answer.content for answer in answers} == {"<p>残り1人</p>".encode()}


def test_a_render_that_began_before_a_change_is_not_given_to_a_visitor_who_came_after_it(db):
    renders = []
    started = threading.Event()

    def slow_page(request):
        renders.append(request.path)
        started.set()
        time.sleep(0.5)
        return HttpResponse(f"<p>残り{len(renders)}人</p>")

    middleware = page_cache.PageCacheMiddleware(slow_page)
    answers = {}
    first = threading.Thread(target=lambda: answers.setdefault("first", middleware(RequestFactory().get("/event/"))))
    first.start()
    started.wait(timeout=10)
    page_cache._bump_tags([page_cache.PAGES_TAG])  # a change commits while that render runs
    answers["after"] = middleware(RequestFactory().get("/event/"))
    first.join(timeout=30)

    assert len(renders) == 2
    assert (answers["first"][PAGE_HEADER], answers["after"][PAGE_HEADER]) == ("pass", "miss")
    assert answers["after"].content == "<p>残り2人</p>".encode()
    assert page_cache._local_get(page_cache.entry_key(RequestFactory().get("/event/")))[4] == answers["after"].content


def test_each_process_keeps_the_pages_it_used_last_within_its_memory_budget(settings):
    settings.PAGE_CACHE_LOCAL_MB = 1
    page_cache.clear_local()
    body = b"x" * 100_000

    def entry():
        return ("generation", 2e9, 200, [], body, {})

    for number in range(8):
        page_cache._local_put(f"page-{number}", entry())
    assert page_cache._local_get("page-0") is not None  # used again: now the last to go
    for number in range(8, 12):
        page_cache._local_put(f"page-{number}", entry())

    kept = list(page_cache._local)
    assert page_cache._local_size["bytes"] <= 1024 * 1024
    assert len(kept) == 1024 * 1024 // (len(body) + page_cache.ENTRY_OVERHEAD)  # 10 of the 12
    assert kept[-1] == "page-11" and "page-0" in kept
    assert "page-1" not in kept and "page-2" not in kept  # the least recently used went first
    page_cache._local_put("page-11", entry())  # stored again: counted once
    assert page_cache._local_size["bytes"] == len(kept) * (len(body) + page_cache.ENTRY_OVERHEAD)


def test_gzip_and_plain_visitors_get_their_own_stored_copy(home):
    get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    zipped = get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped[PAGE_HEADER] == "hit" and zipped["Content-Encoding"] == "gzip"
    plain = get("/")
    assert plain[PAGE_HEADER] == "miss" and "Content-Encoding" not in plain
    assert text(zipped) == text(plain)


def test_head_is_answered_from_what_get_stored(home):
    get("/")
    response = Client().head("/")
    assert response.status_code == 200 and response[PAGE_HEADER] == "hit"


def test_the_register_its_entries_and_its_open_data_are_cached(home):
    declaration = make_declaration(Status.PUBLISHED)
    for path in ("/declarations/", f"/declarations/{declaration.pk}/", "/declarations/register.json", "/sitemap.xml"):
        cached(path)


def test_a_page_stays_fresh_only_until_midnight_in_japan(settings):
    settings.PAGE_CACHE_TIMEOUT = 3600
    evening = timezone.make_aware(datetime.datetime(2026, 11, 30, 23, 50))
    assert page_cache.seconds_to_live(evening) == 600
    morning = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))
    assert page_cache.seconds_to_live(morning) == 3600


# --- only anonymous visitors, nothing personal ---------------------------------------------------------


def test_a_visitor_with_a_session_never_gets_a_stored_page(home):
    cached("/")
    session = SessionStore()
    session["draft"] = "x"
    session.save()
    client = Client()
    client.cookies["sessionid"] = session.session_key
    assert get("/", client)[PAGE_HEADER] == "pass"


def test_signed_in_staff_are_never_served_or_stored(home):
    cached("/")
    client = Client()
    client.force_login(make_moderator())
    for _ in range(2):
        assert get("/", client)[PAGE_HEADER] == "pass"


def test_a_visitor_with_messages_waiting_is_not_served_from_the_cache(home):
    cached("/")
    client = Client()
    client.cookies["messages"] = "anything"
    assert get("/", client)[PAGE_HEADER] == "pass"


def test_the_application_form_and_its_csrf_token_are_never_stored(home):
    tokens = set()
    for _ in range(3):
        response = get("/declarations/apply/")
        assert response.status_code == 200
        assert response[PAGE_HEADER] == "pass"
        assert "csrfmiddlewaretoken" in text(response)
        assert response.cookies["csrftoken"].value
        tokens.add(response.cookies["csrftoken"].value)
    assert len(tokens) == 3
    assert not [key for key in page_cache._local if "/declarations/apply/" in key]


def test_a_page_that_uses_a_csrf_token_is_refused_even_without_a_cookie(rf):
    request = rf.get("/")
    from django.http import HttpResponse

    response = HttpResponse('<input type="hidden" name="csrfmiddlewaretoken" value="x">')
    assert not page_cache.response_is_storable(request, response)
    response = HttpResponse(gzip.compress(b'<input name="csrfmiddlewaretoken">'))
    response["Content-Encoding"] = "gzip"
    assert not page_cache.response_is_storable(request, response)


def test_the_admin_and_static_files_bypass_the_cache(home):
    assert get("/admin/login/")[PAGE_HEADER] == "pass"
    assert PAGE_HEADER not in get("/static/css/site.css")


def test_page_cache_0_turns_it_off(home, settings):
    settings.PAGE_CACHE_ENABLED = False
    assert PAGE_HEADER not in get("/")
    assert PAGE_HEADER not in get("/")


# --- never stale ---------------------------------------------------------------------------------------


def test_another_process_replacing_the_generation_makes_this_process_render_again(home):
    cached("/")
    # What a save in another process (or on another server) leaves in the shared cache.
    cache.set(page_cache.GENERATION_KEY, "from-elsewhere", None)
    assert get("/")[PAGE_HEADER] == "miss"


def test_a_page_rendered_while_a_change_commits_is_not_stored(home, rf):
    def view(request):
        page_cache._bump()  # the change commits while this page renders
        from django.http import HttpResponse

        return HttpResponse("<p>old</p>")

    middleware = page_cache.PageCacheMiddleware(view)
    response = middleware(rf.get("/"))
    assert response[PAGE_HEADER] == "pass"
    assert "s-maxage" not in response.get("Cache-Control", "")
    assert middleware(rf.get("/"))[PAGE_HEADER] == "pass"


def test_an_unreachable_redis_serves_pages_uncached_and_never_errors(home, monkeypatch):
    dead = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"pause_after_failure": 0}})
    monkeypatch.setattr(page_cache, "shared_cache", lambda: dead)
    for _ in range(2):
        response = get("/")
        assert response.status_code == 200
        assert response[PAGE_HEADER] == "pass"
        assert home.title in text(response)


def test_a_failed_invalidation_is_retried_before_anything_is_served(home, shared_cache_down):
    cached("/")
    with shared_cache_down():
        page_cache._bump()
    assert get("/")[PAGE_HEADER] == "miss"


def test_after_an_outage_nothing_stored_before_it_is_served(section, shared_cache_down):
    # A change made during the outage by a process that serves nothing (the worker) could not replace the
    # generation, and Redis may come back holding the old one: the first process to see it back starts anew.
    cached("/about/")
    with shared_cache_down():
        assert get("/about/")[PAGE_HEADER] == "pass"
        SectionPage.objects.filter(pk=section.pk).update(title="停止中の変更")  # no invalidation reaches the cache
    response = get("/about/")
    assert response[PAGE_HEADER] == "miss" and "停止中の変更" in text(response)
    assert get("/about/")[PAGE_HEADER] == "hit"  # once: then the cache works as before


def test_the_worker_replaces_a_generation_it_could_not_replace_during_an_outage(home, monkeypatch, shared_cache_down):
    from core.scheduling.management.commands import run_worker

    cached("/")
    with shared_cache_down():
        page_cache._bump()  # a scheduled publish by the worker while Redis is down
    before = page_cache.current_generation()

    class OneTick:
        ticks = 0

        def is_set(self):
            self.ticks += 1
            return self.ticks > 1

        def wait(self, seconds):
            pass

    # The loop runs in this test's thread and transaction: its connection housekeeping is left out.
    monkeypatch.setattr(run_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(run_worker.connection, "close", lambda: None)
    run_worker.scheduler_loop("test-worker", OneTick(), tick_seconds=0)
    assert page_cache.current_generation() != before
    assert not page_cache._pending.is_set()


# --- what invalidates ----------------------------------------------------------------------------------


def test_publishing_a_change_is_served_on_the_next_request(section, committed):
    cached("/about/")
    page = section.specific

    def change():
        page.title = "新しい題名"
        page.save_revision().publish()

    committed(change)
    response = get("/about/")
    assert response[PAGE_HEADER] == "miss"
    assert "新しい題名" in text(response)


def test_saving_a_draft_leaves_the_published_page_cached(section, committed):
    cached("/about/")
    page = section.specific

    def change():
        page.title = "下書きの題名"
        page.save_revision()

    committed(change)
    response = get("/about/")
    assert response[PAGE_HEADER] == "hit"
    assert "下書きの題名" not in text(response)


def test_unpublishing_a_page_takes_it_off_at_once(section, committed):
    cached("/about/")
    committed(lambda: section.unpublish())
    assert get("/about/").status_code == 404


def test_deleting_a_page_takes_it_off_at_once(section, committed):
    cached("/about/")
    committed(lambda: Page.objects.get(pk=section.pk).delete())
    assert get("/about/").status_code == 404


def test_moving_a_page_serves_it_at_its_new_address(home, section, committed):
    other = publish(home, SectionPage(title="相談窓口", slug="soudan"))
    cached("/about/")
    committed(lambda: Page.objects.get(pk=section.pk).move(other, pos="last-child"))
    # Wagtail leaves a redirect at the old address.
    assert get("/about/")["Location"] == "/soudan/about/"
    assert get("/soudan/about/").status_code == 200


def test_a_scheduled_publish_by_the_worker_is_served_on_the_next_request(home, committed):
    page = SectionPage(title="予約公開", slug="yoyaku", live=False)
    home.add_child(instance=page)
    revision = page.save_revision(approved_go_live_at=timezone.now() - timedelta(seconds=1))
    cached("/")
    assert get("/yoyaku/").status_code == 404
    committed(lambda: call_command("publish_scheduled", stdout=open("/dev/null", "w")))  # noqa: SIM115
    assert Page.objects.get(pk=page.pk).live, revision
    assert get("/yoyaku/").status_code == 200
    assert get("/")[PAGE_HEADER] == "miss"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda home: ContactSettings.objects.update_or_create(site=home.get_site())[0].save(), id="setting"
        ),
        pytest.param(lambda home: make_document(), id="document"),
        pytest.param(lambda home: make_image(), id="image"),
        pytest.param(lambda home: Redirect.objects.create(old_path="/old", redirect_page=home), id="redirect"),
        pytest.param(
            lambda home: (ActivityArea.objects.update(sort_order=F("sort_order")), page_cache.invalidate("test")),
            id="explicit",
        ),
        pytest.param(lambda home: ActivityArea.objects.first().save(), id="snippet-like row"),
    ],
)
def test_any_content_change_invalidates(home, committed, change):
    cached("/")
    committed(lambda: change(home))
    assert get("/")[PAGE_HEADER] == "miss"


def test_every_ignored_model_is_installed():
    from django.apps import apps

    installed = {model._meta.label_lower for model in apps.get_models()}
    # Wagtail's SQLite full-text table exists only on SQLite; Django's record of applied migrations is
    # no app's model.
    assert page_cache.IGNORED_MODELS - {"wagtailsearch.sqliteftsindexentry", "migrations.migration"} <= installed


def test_migrate_replaces_the_generation_once_it_is_done(home, committed):
    from django.apps import apps

    cached("/")
    committed(lambda: page_cache._on_migrate(sender=list(apps.get_app_configs())[-1], using="default"))
    assert get("/")[PAGE_HEADER] == "miss"


def test_rows_that_never_reach_a_public_page_leave_the_cache_alone(home, committed):
    cached("/")

    def change():
        session = SessionStore()
        session["x"] = 1
        session.save()
        WorkerHeartbeat.objects.create(worker_id="w", started_at=timezone.now(), seen_at=timezone.now())
        # Registered by the register's own AppConfig, not listed in the cache.
        OutboundEmail.objects.queue(to="info@example.jp", subject="受付のお知らせ", body="本文")

    committed(change)
    assert get("/")[PAGE_HEADER] == "hit"


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (Status.PENDING, lambda d, by: d.approve(by=by)),
        (Status.PENDING, lambda d, by: d.request_changes(by=by, message="住所を確認してください")),
        (Status.PENDING, lambda d, by: d.reject(by=by, reason="対象外です")),
        (Status.PUBLISHED, lambda d, by: d.withdraw(by=by, reason="申し出により")),
    ],
    ids=["approve", "request_changes", "reject", "withdraw"],
)
def test_every_moderation_state_change_invalidates(home, committed, start, action):
    declaration = make_declaration(start)
    moderator = make_moderator()
    cached("/declarations/")
    committed(lambda: action(declaration, moderator))
    response = get("/declarations/")
    assert response[PAGE_HEADER] == "miss"
    shown = declaration.name in text(response)
    assert shown == (Declaration.objects.get(pk=declaration.pk).status == Status.PUBLISHED)


def test_a_resubmitted_correction_invalidates(home, committed):
    declaration = make_declaration()
    token = declaration.request_changes(by=make_moderator(), message="修正してください")
    cached("/declarations/")
    committed(lambda: declaration.resubmit_correction(token))
    assert get("/declarations/")[PAGE_HEADER] == "miss"


def test_an_approval_shows_on_the_register_and_its_page_at_once(home, committed):
    declaration = make_declaration(name="株式会社はりまや商会")
    cached("/declarations/")
    assert get(f"/declarations/{declaration.pk}/").status_code == 404
    committed(lambda: declaration.approve(by=make_moderator()))
    assert "株式会社はりまや商会" in text(get("/declarations/"))
    assert get(f"/declarations/{declaration.pk}/").status_code == 200


def test_many_saves_in_one_transaction_replace_the_generation_once(home, django_capture_on_commit_callbacks):
    transaction.get_connection().page_cache_queued = False
    with django_capture_on_commit_callbacks() as callbacks:
        for area in ActivityArea.objects.all()[:3]:
            area.save()
    assert callbacks.count(page_cache._after_commit) == 1


# --- the reverse proxy ---------------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    seen = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.seen.append((self.path, self.headers["Host"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_every_invalidation_purges_each_configured_proxy(home, settings, committed):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.WAGTAILFRONTENDCACHE = {
            "proxy1": {
                "BACKEND": "core.page_cache.PurgeBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_port}",
            }
        }
        settings.WAGTAILADMIN_BASE_URL = "https://kyosei.example.jp"
        settings.PAGE_CACHE_PROXY_REPURGE_SECONDS = 0
        _Recorder.seen.clear()
        declaration = make_declaration()
        committed(lambda: declaration.approve(by=make_moderator()))
        assert ("/", "kyosei.example.jp") in _Recorder.seen
    finally:
        server.shutdown()


def test_a_proxy_that_does_not_answer_does_not_fail_the_save(home, settings, committed):
    settings.WAGTAILFRONTENDCACHE = {
        "proxy1": {"BACKEND": "core.page_cache.PurgeBackend", "LOCATION": "http://127.0.0.1:1"}
    }
    settings.PAGE_CACHE_PROXY_REPURGE_SECONDS = 0
    cached("/")
    committed(lambda: ActivityArea.objects.first().save())
    assert get("/")[PAGE_HEADER] == "miss"

"""Exact invalidation in the page cache (core/page_cache.py, "tags"): a change whose every public appearance
is tagged makes stale only the pages that show it, and the rest of the site stays stored; a change of
unknown reach still makes every page stale, and so does a tagged change that could not reach the shared
cache. Never stale stays the rule: every test here also checks the page that shows the change."""

import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse

from core import cache as core_cache
from core import page_cache
from core.models import PendingPageInvalidation
from declarations.models import Declaration, Status
from declarations.tests.factories import make_declaration, make_moderator
from pages.event_applications.tests.factories import make_open_event, submit
from pages.models import ContactSettings, OpenDataSettings
from pages.news.tests.factories import make_article, make_index
from pages.search import indexing
from pages.tests.factories import make_event_index, make_home
from tests.test_page_cache import (
    PAGE_HEADER,
    cached,
    get,
    shared_cache_down,  # noqa: F401 (a fixture)
    text,
)

# Every test here with the page cache and the site frame on (conftest.py's page_cache_on).
pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def home(db):
    home = make_home()
    make_event_index(home)
    # The site's settings rows, made up front as the first request that reads them would.
    for model in (ContactSettings, OpenDataSettings):
        model.for_site(home.get_site())
    return home


def setup_committed():
    """What the fixtures made is committed: the test's transaction never commits, so their record of an
    invalidation would otherwise be found, as a change whose invalidation failed, by the first request after
    a change under test has run its own (and every stored page would rightly be rendered afresh)."""
    from django.db import transaction

    from core.models import PendingPageInvalidation

    PendingPageInvalidation.objects.all().delete()
    transaction.get_connection().page_cache_queued = False


@pytest.fixture
def moderator(db):
    return make_moderator()


@pytest.fixture
def article(home):
    return make_article(make_index(home), "見守り活動の報告", text="地域の見守り活動について")


@pytest.fixture
def event(home):
    return make_open_event(capacity=30)


def test_an_application_shows_the_places_left_at_once_and_leaves_other_pages_stored(article, event, committed):
    assert "（残り30人）" in text(cached(event.url))
    cached(article.url)
    cached("/")
    cached("/declarations/")

    setup_committed()
    committed(lambda: submit(event, party_size=2))

    response = get(event.url)
    assert response[PAGE_HEADER] == "miss"
    assert "（残り28人）" in text(response)
    for url in (article.url, "/", "/declarations/"):
        assert get(url)[PAGE_HEADER] == "hit", url


def test_an_application_to_one_event_leaves_another_events_page_stored(event, committed):
    other = make_open_event(capacity=5, slug="kenshu")
    assert "（残り5人）" in text(cached(other.url))
    cached(event.url)

    setup_committed()
    committed(lambda: submit(event))

    assert get(other.url)[PAGE_HEADER] == "hit"
    assert "（残り29人）" in text(get(event.url))


def test_a_cancellation_reopens_the_places_at_once_and_leaves_other_pages_stored(article, event, committed):
    setup_committed()
    applied = committed(lambda: submit(event, party_size=30))
    assert "満席" in text(cached(event.url))
    cached(article.url)

    committed(applied.cancel)

    assert "（残り30人）" in text(get(event.url))
    assert get(article.url)[PAGE_HEADER] == "hit"


def test_an_approval_shows_on_the_register_and_the_home_count_and_leaves_articles_stored(article, moderator, committed):
    declaration = make_declaration(name="株式会社はりまや商会")
    before = Declaration.objects.public().count()
    cached("/declarations/")
    cached("/")
    cached(article.url)

    setup_committed()
    committed(lambda: declaration.approve(by=moderator))

    register = get("/declarations/")
    assert register[PAGE_HEADER] == "miss" and "株式会社はりまや商会" in text(register)
    home_page = get("/")
    assert home_page[PAGE_HEADER] == "miss"
    assert f"{before + 1:,}" in text(home_page) or str(before + 1) in text(home_page)
    assert get(article.url)[PAGE_HEADER] == "hit"


def test_an_approval_makes_its_own_page_public_and_leaves_the_other_entries_pages_stored(moderator, committed):
    other = make_declaration(Status.PUBLISHED, name="株式会社かつお商店")
    pending = make_declaration(name="株式会社ゆず工房")
    assert "株式会社かつお商店" in text(cached(f"/declarations/{other.pk}/"))
    assert get(f"/declarations/{pending.pk}/").status_code == 404

    setup_committed()
    committed(lambda: pending.approve(by=moderator))

    own = get(f"/declarations/{pending.pk}/")
    assert own.status_code == 200 and "株式会社ゆず工房" in text(own)
    assert get(f"/declarations/{other.pk}/")[PAGE_HEADER] == "hit"


def test_an_entry_not_public_yet_is_answered_from_the_cache_until_its_approval(moderator, committed):
    pending = make_declaration(name="株式会社ゆず工房")
    first, second = get(f"/declarations/{pending.pk}/"), get(f"/declarations/{pending.pk}/")
    assert (first.status_code, first[PAGE_HEADER]) == (404, "miss")
    assert (second.status_code, second[PAGE_HEADER]) == (404, "hit")
    assert "株式会社ゆず工房" not in text(second)

    setup_committed()
    committed(lambda: pending.approve(by=moderator))
    own = get(f"/declarations/{pending.pk}/")
    assert own.status_code == 200 and "株式会社ゆず工房" in text(own)
    # Any other address that is not found is rendered each time: anyone can invent one.
    for _ in range(2):
        missing = get("/no-such-page/")
        assert (missing.status_code, missing[PAGE_HEADER]) == (404, "pass")


def test_an_entry_edited_by_staff_changes_its_page_and_the_register_and_leaves_the_others_stored(article, committed):
    edited = make_declaration(Status.PUBLISHED, name="株式会社しまんと商会")
    other = make_declaration(Status.PUBLISHED, name="株式会社むろと商会")
    for url in (f"/declarations/{edited.pk}/", f"/declarations/{other.pk}/", "/declarations/", article.url):
        cached(url)

    setup_committed()
    edited.name = "株式会社しまんと物産"
    committed(edited.save)

    assert "株式会社しまんと物産" in text(get(f"/declarations/{edited.pk}/"))
    assert "株式会社しまんと物産" in text(get("/declarations/"))
    for url in (f"/declarations/{other.pk}/", article.url):
        assert get(url)[PAGE_HEADER] == "hit", url


def test_a_withdrawal_takes_the_entry_off_at_once_and_leaves_articles_stored(article, moderator, committed):
    declaration = make_declaration(Status.PUBLISHED, name="株式会社よさこい商店")
    assert "株式会社よさこい商店" in text(cached("/declarations/"))
    cached(f"/declarations/{declaration.pk}/")
    cached(article.url)

    setup_committed()
    committed(lambda: declaration.withdraw(by=moderator, reason="申し出により"))

    assert "株式会社よさこい商店" not in text(get("/declarations/"))
    assert get(f"/declarations/{declaration.pk}/").status_code == 410
    assert get(article.url)[PAGE_HEADER] == "hit"


def test_a_renamed_entry_is_found_by_the_registers_own_search_once_indexed(home, committed):
    # The register's keyword search reads the search index, which the worker writes after the change.
    declaration = make_declaration(Status.PUBLISHED, name="株式会社ひだまり商会")
    setup_committed()
    committed(lambda: indexing.index_object(declaration))
    assert declaration.name not in text(cached("/declarations/?q=こもれび"))

    Declaration.objects.filter(pk=declaration.pk).update(name="株式会社こもれび商会")  # no signal
    declaration.refresh_from_db()
    committed(lambda: indexing.index_object(declaration))

    assert "株式会社こもれび商会" in text(get("/declarations/?q=こもれび"))


def test_a_setting_changes_every_stored_page(article, event, committed):
    for url in (event.url, article.url, "/", "/declarations/"):
        cached(url)

    setup_committed()
    committed(lambda: ContactSettings.objects.update_or_create(site=article.get_site(), defaults={"phone": ""}))

    for url in (event.url, article.url, "/", "/declarations/"):
        assert get(url)[PAGE_HEADER] == "miss", url


def test_a_publish_below_the_top_level_leaves_the_register_and_its_entries_stored(article, committed):
    entry = make_declaration(Status.PUBLISHED, name="株式会社あおさ商会")
    index = article.get_parent()
    for url in (article.url, index.url, "/", "/declarations/", f"/declarations/{entry.pk}/", "/centres/"):
        cached(url)

    setup_committed()
    article.title = "見守り活動の報告（改訂）"
    committed(lambda: article.save_revision().publish())

    assert "見守り活動の報告（改訂）" in text(get(article.url))
    for url in (index.url, "/"):  # they list it
        assert "見守り活動の報告（改訂）" in text(get(url)), url
    for url in ("/declarations/", f"/declarations/{entry.pk}/", "/centres/"):
        assert get(url)[PAGE_HEADER] == "hit", url


def test_a_publish_of_a_top_level_page_changes_every_stored_page(article, committed):
    entry = make_declaration(Status.PUBLISHED, name="株式会社あおさ商会")
    index = article.get_parent().specific
    for url in (f"/declarations/{entry.pk}/", "/declarations/", article.url):
        cached(url)

    setup_committed()
    index.title = "お知らせ一覧"  # in the menu on every page
    committed(lambda: index.save_revision().publish())

    for url in (f"/declarations/{entry.pk}/", "/declarations/", article.url):
        response = get(url)
        assert response[PAGE_HEADER] == "miss" and "お知らせ一覧" in text(response), url


def test_an_application_made_while_the_shared_cache_was_away_is_never_served_stale(
    article,
    event,
    committed,
    shared_cache_down,  # noqa: F811
):
    cached(event.url)
    cached(article.url)
    setup_committed()

    with shared_cache_down():
        # The worker, a command or another server applies while Redis is frozen, and is then killed.
        committed(lambda: submit(event, party_size=2))
        page_cache._pending.clear()
    transaction.get_connection().page_cache_record = None  # that process's record, not this connection's

    # The change's record names its tags: the next request replaces them before it serves anything.
    response = get(event.url)
    assert response[PAGE_HEADER] == "miss" and "（残り28人）" in text(response)
    assert get(article.url)[PAGE_HEADER] == "hit"
    assert not PendingPageInvalidation.objects.exists()


def test_a_process_that_could_not_replace_its_tags_replaces_everything_before_it_serves(
    article,
    event,
    committed,
    shared_cache_down,  # noqa: F811
):
    cached(event.url)
    cached(article.url)
    setup_committed()

    with shared_cache_down():
        committed(lambda: submit(event, party_size=2))

    # In doubt about its own failure, this process starts a new generation.
    assert "（残り28人）" in text(get(event.url))
    assert get(article.url)[PAGE_HEADER] == "miss"


def test_a_tagged_change_seen_before_its_writer_settled_it_makes_only_its_pages_stale(article, event, settings):
    cached(event.url)
    cached(article.url)
    setup_committed()

    # Committed on another server a moment ago; that server has not replaced the tags yet. This process reads
    # the records again once PAGE_CACHE_RECORDED_CHECK_SECONDS have passed since it last did.
    submit(event, party_size=2)
    transaction.get_connection().page_cache_record = None  # not this connection's own change
    settings.PAGE_CACHE_RECORDED_CHECK_SECONDS = 0.05
    time.sleep(0.05)

    response = get(event.url)
    assert response[PAGE_HEADER] == "miss" and "（残り28人）" in text(response)
    assert get(article.url)[PAGE_HEADER] == "hit"
    assert not PendingPageInvalidation.objects.exists()


def test_a_page_rendered_while_one_of_its_tags_changes_is_not_stored(home, rf):

    def view(request):
        page_cache.tag("register")
        page_cache._bump_tags({"register"})  # an approval commits while this page renders
        return HttpResponse("<p>old register</p>")

    middleware = page_cache.PageCacheMiddleware(view)
    response = middleware(rf.get("/declarations/"))
    assert response[PAGE_HEADER] == "pass"
    assert "s-maxage" not in response.get("Cache-Control", "")
    assert middleware(rf.get("/declarations/"))[PAGE_HEADER] == "pass"


def test_a_tag_whose_version_was_lost_makes_its_pages_stale(event):
    # Redis evicted or flushed the tag's key: no page stored with the old version may be served.
    cached(event.url)
    page_cache.shared_cache().delete(page_cache.TAG_KEY_PREFIX + f"event:{event.pk}")
    assert get(event.url)[PAGE_HEADER] == "miss"


def test_a_tag_outside_the_proxys_pattern_is_refused():
    with pytest.raises(ValueError):
        page_cache.invalidate_tags("register|.*")


# --- the reverse proxy ---------------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    seen = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.seen.append((self.path, self.headers.get(page_cache.PURGE_TAGS_HEADER)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(settings):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy1": {"BACKEND": "core.page_cache.PurgeBackend", "LOCATION": f"http://127.0.0.1:{server.server_port}"}
    }
    settings.WAGTAILADMIN_BASE_URL = "https://kyosei.example.jp"
    settings.PAGE_CACHE_PROXY_REPURGE_SECONDS = 0
    _Recorder.seen.clear()
    yield _Recorder.seen
    server.shutdown()


def test_the_proxy_is_told_what_a_page_shows_and_purges_only_that(event, article, proxy, committed):
    # The proxy keeps a page with its tags (and removes the header before a visitor sees it).
    first, second = get(event.url), get(event.url)
    # Its own page is among the pages it shows (page_cache.PAGE_TAG_PREFIX: the ones its render built).
    shown = f",event:{event.pk},page:{event.pk},pages,"
    assert first[page_cache.TAGS_HEADER] == second[page_cache.TAGS_HEADER] == shown
    assert get(article.url)[page_cache.TAGS_HEADER] == f",page:{article.pk},pages,"

    setup_committed()
    committed(lambda: submit(event))
    assert proxy == [("/", f"event:{event.pk}")]

    proxy.clear()
    committed(lambda: ContactSettings.objects.update_or_create(site=article.get_site(), defaults={"phone": ""}))
    assert proxy == [("/", None)]  # no tags: the whole site


def test_a_settings_row_made_with_its_defaults_by_the_first_page_that_reads_it_purges_nothing(
    article, proxy, committed
):
    # Wagtail makes a site's settings row the first time a page reads it (for_site): the pages showed those
    # defaults before it existed, so nothing changed. (It emptied the whole proxy seconds after an approval in
    # .ci/scale-out, when the register's first visitor on one server made the row.)
    site = article.get_site()
    OpenDataSettings.objects.filter(site=site).delete()
    for url in (article.url, "/"):
        cached(url)
    setup_committed()
    proxy.clear()

    made = committed(lambda: OpenDataSettings.for_site(site))

    assert made.pk is not None
    assert proxy == []
    for url in (article.url, "/"):
        assert get(url)[PAGE_HEADER] == "hit", url
    # Staff's first real edit of it is a change like any other.
    made.licence = "cc-by-4.0"
    committed(made.save)
    assert proxy == [("/", None)]
    assert get(article.url)[PAGE_HEADER] == "miss"


def test_a_publish_below_the_top_level_purges_only_the_pages_that_show_pages(article, proxy, committed):
    setup_committed()
    # A new date (the lists order by it); a new title alone reaches fewer pages (test_page_cache_page_tags.py).
    article.published_on = datetime.date(2026, 5, 1)
    committed(lambda: article.save_revision().publish())
    # One tagged purge (the pages, and the search index the publish updated): none of Wagtail's own
    # per-address purges, which the proxy would take for "everything".
    assert proxy == [("/", "pages search")]


def test_without_a_proxy_visitors_never_see_the_tags(event):
    assert page_cache.TAGS_HEADER not in get(event.url)
    assert page_cache.TAGS_HEADER not in get(event.url)


class _HeldTimer:
    """threading.Timer that waits to be fired by the test (the delayed purge, without waiting for it)."""

    made = []

    def __init__(self, delay, function):
        self.function = function
        self.due = page_cache.clock.monotonic() + delay
        self.cancelled = False
        self.daemon = True
        _HeldTimer.made.append(self)

    def start(self):
        pass

    def cancel(self):
        self.cancelled = True


def test_the_second_purge_names_what_changed_meanwhile_and_is_whole_only_when_one_change_was(
    event, proxy, committed, settings, monkeypatch
):
    settings.PAGE_CACHE_PROXY_REPURGE_SECONDS = 2
    monkeypatch.setattr(page_cache.threading, "Timer", _HeldTimer)
    now = [1000.0]
    monkeypatch.setattr(page_cache.clock, "monotonic", lambda: now[0])
    _HeldTimer.made.clear()
    setup_committed()

    committed(lambda: submit(event))
    committed(lambda: page_cache.invalidate_tags("register"))
    assert len(_HeldTimer.made) == 1
    proxy.clear()
    now[0] += 2
    _HeldTimer.made[0].function()
    assert proxy == [("/", f"event:{event.pk} register")]

    _HeldTimer.made.clear()
    committed(lambda: submit(event))
    committed(lambda: ContactSettings.objects.update_or_create(site=event.get_site(), defaults={"phone": ""}))
    proxy.clear()
    now[0] += 2
    _HeldTimer.made[0].function()
    assert proxy == [("/", None)]


def test_changes_every_second_do_not_put_off_the_second_purge(event, proxy, committed, settings, monkeypatch):
    # An application a second (the mixed-load benchmark): each change must still be purged again within
    # twice the delay, or the proxy keeps a page rendered across a commit for as long as the rush lasts.
    settings.PAGE_CACHE_PROXY_REPURGE_SECONDS = 2
    monkeypatch.setattr(page_cache.threading, "Timer", _HeldTimer)
    now = [1000.0]
    monkeypatch.setattr(page_cache.clock, "monotonic", lambda: now[0])
    _HeldTimer.made.clear()
    setup_committed()
    second_purges = []

    changes = [0, 1, 2, 3]
    for second in range(10):  # a change at 0, 1, 2 and 3 s; the held timers fire when their time comes
        if second in changes:
            committed(lambda: submit(event))
        now[0] += 1
        for timer in list(_HeldTimer.made):
            if not timer.cancelled and not getattr(timer, "fired", False) and timer.due <= now[0]:
                timer.fired = True
                proxy.clear()
                timer.function()
                second_purges.append((now[0] - 1000.0, list(proxy)))

    # Each change is purged again between the delay and twice the delay after it: the first at 2 s, not
    # after the rush; none of them left waiting while changes keep coming.
    times = [at for at, _ in second_purges]
    assert times[0] == 2.0
    assert all(any(change + 2 <= at <= change + 4 for at in times) for change in changes)
    assert all(purged == [("/", f"event:{event.pk}")] for _, purged in second_purges)
    # And once the changes stop, each is forgotten after its own purge: nothing is purged again for ever.
    assert times[-1] <= changes[-1] + 4
    assert all(getattr(timer, "fired", False) for timer in _HeldTimer.made)
    assert not [timer for timer in _HeldTimer.made if timer.cancelled]


@pytest.fixture
def shared_cache_calls(monkeypatch):
    """The names of the calls made to the shared cache (each one a round trip to Redis in production), also
    those made for the values this process does not keep (core/cache.shared_get_many)."""
    calls = []
    real = core_cache.shared_call

    def counted(cache, name, *args, **kwargs):
        calls.append(name)
        return real(cache, name, *args, **kwargs)

    monkeypatch.setattr(page_cache, "shared_call", counted)
    monkeypatch.setattr(core_cache, "shared_call", counted)
    return calls


def tracked():
    """Whether this process keeps the generation and the tags' versions between requests (Redis, tracking on)."""
    return isinstance(page_cache.shared_cache(), core_cache.ResilientRedisCache) and settings.REDIS_TRACKING


def test_a_hit_reads_the_generation_and_the_pages_tags_in_one_round_trip(article, shared_cache_calls):
    cached(article.url)
    shared_cache_calls.clear()

    assert get(article.url)[PAGE_HEADER] == "hit"
    # With Redis, this process keeps them, and Redis tells it when they change: no round trip at all.
    assert shared_cache_calls == ([] if tracked() else ["get_many"])


def test_a_page_stored_by_another_process_is_read_with_the_generation_then_its_tags_are_checked(
    article, shared_cache_calls
):
    cached(article.url)
    page_cache.clear_local()  # as in a process that has not served it yet
    shared_cache_calls.clear()

    assert get(article.url)[PAGE_HEADER] == "hit"
    assert shared_cache_calls == ["get_many", "get_many"]
    shared_cache_calls.clear()
    assert get(article.url)[PAGE_HEADER] == "hit"
    assert shared_cache_calls == ([] if tracked() else ["get_many"])  # its own copy now


def test_a_tag_changed_by_another_process_makes_this_processs_copy_stale(article):
    cached(article.url)
    setup_committed()
    # Another process's tagged change: the tag's version in the shared cache is replaced, this process's copy
    # of the page (with the old version) is still in its memory.
    page_cache._bump_tags([page_cache.PAGES_TAG])

    response = get(article.url)
    assert response[PAGE_HEADER] == "miss"
    assert get(article.url)[PAGE_HEADER] == "hit"

"""The full-page cache: anonymous GET/HEAD answers stored whole, and never served stale.

What is stored: a public text response (HTML, feeds, the sitemap, open data) rendered for a visitor
with no session, no messages and no credentials, that sets no cookie, carries no CSRF token and was
not marked private/no-store/no-cache (the application form's steps are `never_cache`). Nothing else:
not the admin, not /static/ or /media/ (WhiteNoise and the media view answer those), not documents.
The site search is stored like any page: its indexer calls invalidate() when a public entry changes.

Never stale: every entry is tagged with the *generation* it was rendered under, a random token kept
in the shared cache (Redis across servers; the database cache table on the embedded default, so all
of `make run`'s workers share it). A hit needs the current generation, read from the shared cache on
every request; invalidate() replaces it once the transaction that changed content commits. The
generation is read before the view runs, so a page rendered while a change commits carries the old
token and is never served. The safe default decides what invalidates: saving or deleting ANY model,
unless the model is on IGNORED_MODELS (rows that never reach a public page: sessions, logs, the
worker's heartbeat, task rows, login attempts...). Models that other apps add later are covered
without their knowing. Queryset .update() sends no signal: code that uses one on public data calls
invalidate() itself (declarations' state changes do).

Every writer, in any process: the web, the worker, a management command that exits at once. invalidate()
also writes a PendingPageInvalidation row in the transaction of the change, so the change and the record
that the generation must move on after it commit together or not at all. The row is deleted only once a
generation has been set after the change committed: by the writer itself right after the commit, or,
when that failed (the shared cache frozen or unreachable, the process killed in between), by the next
process that reads the rows: every cacheable request checks them before it reads the generation (one
indexed query on a table that is empty but for such failures), and the worker's tick. While a row is
there nothing is served from the cache, so no stored page outlives a committed change, whatever process
made it and however long the shared cache was away. A hit therefore costs one query (`SELECT id ...
LIMIT`), and no less will do: a writer that cannot reach the shared cache can leave word only in the
database, and a process that serves a hit without reading the database cannot hear it.

An entry also expires at the next midnight in Japan (events move from "upcoming" to "past" by date)
and after PAGE_CACHE_TIMEOUT seconds at the latest. While the shared cache cannot be reached, pages
are served uncached, never from a per-process copy of the generation.

A caching reverse proxy in front (deploy/) is kept fresh the same way: invalidate() also purges
every proxy in WAGTAILFRONTENDCACHE (deploy/varnish/default.vcl turns any PURGE into a ban of the whole
site, because a register entry or a setting shows on many pages whose URLs nobody lists), and again
a moment later for a response that left an app server just before the change committed. Responses
are marked `s-maxage` for the proxy only when they were stored here; browsers get `max-age=0`.
"""

import gzip
import logging
import re
import threading
import time as clock
import uuid
from collections import OrderedDict
from datetime import datetime, time, timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

from core.admin_paths import is_admin_path
from core.cache import shared_call

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
ENTRY_KEY_PREFIX = "page-cache:entry:"
HEADER = "X-Page-Cache"
CACHEABLE_STATUSES = {200, 301}
TEXT_TYPES = {
    "text/html",
    "text/plain",
    "text/csv",
    "text/calendar",
    "text/xml",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
}
# Vary values whose variants are all covered by the key: Accept-Encoding is part of it, the site has
# one language, and Cookie only matters for a session or messages, which bypass the cache.
KNOWN_VARY = {"accept-encoding", "accept-language", "cookie"}
MESSAGES_COOKIE = "messages"
MAX_QUERY_STRING = 256
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers that the request, not the page, decides (re-added per response by outer middlewares).
PER_RESPONSE_HEADERS = {"x-request-id", HEADER.lower()}

# Models whose rows never reach a public page; saving them leaves the cache alone. Everything else
# invalidates (the safe default). Apps add theirs with ignore_model() from AppConfig.ready().
IGNORED_MODELS = {
    "sessions.session",
    # Made by `migrate` itself (before the database cache's table exists), read only by the admin.
    "contenttypes.contenttype",
    "auth.permission",
    "migrations.migration",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
    "otp_totp.totpdevice",
    "django_tasks_database.dbtaskresult",
    "scheduling.scheduledjob",
    "scheduling.workerheartbeat",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.revision",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.referenceindex",
    "wagtailcore.uploadedfile",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailusers.userprofile",
    # Renditions are made while a page renders, as a result of content, never a change of it.
    "wagtailimages.rendition",
    # The page cache's own record of invalidations still to settle.
    "core.pendingpageinvalidation",
    # Wagtail's search index, read only by the admin's search. (An app whose index feeds a stored page
    # ignores its model and calls invalidate() when a public entry changes, as the site search does.)
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
}
# A page saved with only these fields has a new draft, not new public content.
PAGE_DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "wagtail_admin_comments",
}
# A login writes only this on the user row.
USER_LOGIN_FIELDS = {"last_login"}


def ignore_model(label):
    """Tell the cache that rows of `label` ("app_label.modelname") never reach a public page."""
    IGNORED_MODELS.add(label.lower())


def shared_cache():
    return caches["default"]


def new_generation():
    return uuid.uuid4().hex


_outage = threading.Event()


def current_generation():
    """The generation every stored page must carry; raises when the shared cache cannot be reached.

    The first read after this process found the shared cache unreachable starts a new generation: a
    change made meanwhile by any process (the worker, another server) may have failed to replace it,
    and Redis may come back with what it held before."""
    cache = shared_cache()
    try:
        generation = shared_call(cache, "get", GENERATION_KEY)
    except Exception:
        _outage.set()
        raise
    if _outage.is_set():
        generation = new_generation()
        shared_call(cache, "set", GENERATION_KEY, generation, None)
        _outage.clear()
        logger.warning("page cache: the shared cache is back; every stored page is rendered afresh")
        return generation
    if generation is None:
        # First use, a flushed Redis, or the database cache culled the row: a fresh token, so nothing
        # stored before can match.
        shared_call(cache, "add", GENERATION_KEY, new_generation(), None)
        generation = shared_call(cache, "get", GENERATION_KEY)
    if generation is None:
        raise LookupError("the shared cache keeps no generation")
    return generation


REQUEST_GENERATION_ATTR = "_page_cache_generation"


def request_generation(request):
    """The generation a request works under, read once per request (the middleware's, when it read one):
    what a process keeps for one generation (pages.site_context's frame) is checked against it. None
    while the shared cache cannot be reached: then nothing may be used or kept."""
    if not hasattr(request, REQUEST_GENERATION_ATTR):
        try:
            settle_recorded()
            _retry_pending_bump()
            generation = current_generation()
        except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
            _warn("page cache generation unavailable: %s", error)
            generation = None
        setattr(request, REQUEST_GENERATION_ATTR, generation)
    return getattr(request, REQUEST_GENERATION_ATTR)


# --- invalidation -----------------------------------------------------------------------------------

_pending = threading.Event()


def invalidate(reason=""):
    """Make every stored page stale, on every process and server, once the current transaction
    commits (at once outside a transaction). Call it after changing public data without a model
    signal (a queryset .update(), raw SQL)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Once per transaction: queued already unless that savepoint was rolled back (Django then drops
        # the callback from run_on_commit) or it has run.
        queued = getattr(connection, "page_cache_queued", False)
        if queued and any(func is _after_commit for _, func, _ in connection.run_on_commit):
            return
        connection.page_cache_queued = True
    connection.page_cache_record = _record()
    logger.debug("page cache invalidated: %s", reason)
    transaction.on_commit(_after_commit, robust=True)


def _record():
    from .models import PendingPageInvalidation

    return PendingPageInvalidation.objects.create().pk


def settle_recorded():
    """Replace the generation if a committed change recorded it has not been yet (another process that
    could not reach the shared cache, or was killed first); raises LookupError while that cannot be done."""
    from .models import PendingPageInvalidation

    connection = transaction.get_connection()
    rows = PendingPageInvalidation.objects.order_by("pk")
    if connection.in_atomic_block and any(func is _after_commit for _, func, _ in connection.run_on_commit):
        # This connection's own change: its commit replaces the generation (only tests serve inside one).
        rows = rows.exclude(pk=connection.page_cache_record)
    try:
        pks = list(rows.values_list("pk", flat=True)[:100])
    except DatabaseError:
        # Nothing can commit while the database is down; the rows are read again once it is back.
        return
    if pks:
        _settle(pks)
        if _pending.is_set():
            raise LookupError("generation not replaced yet")


def _settle(pks):
    from .models import PendingPageInvalidation

    _bump()
    if not _pending.is_set():
        # Those changes had committed before the new generation was set: every page stored under it is newer.
        PendingPageInvalidation.objects.filter(pk__in=pks).delete()


_repurge = {"timer": None}
_repurge_lock = threading.Lock()


def _after_commit():
    connection = transaction.get_connection()
    connection.page_cache_queued = False
    _settle([connection.page_cache_record])
    purge_proxies()
    delay = getattr(settings, "PAGE_CACHE_PROXY_REPURGE_SECONDS", 0)
    if delay and _frontend_backends():
        # One delayed purge per process, `delay` after the last change (a command saving hundreds of
        # rows starts one thread, not hundreds).
        with _repurge_lock:
            if _repurge["timer"] is not None:
                _repurge["timer"].cancel()
            _repurge["timer"] = timer = threading.Timer(delay, purge_proxies)
            timer.daemon = True
            timer.start()


def _bump():
    try:
        shared_call(shared_cache(), "set", GENERATION_KEY, new_generation(), None)
    except Exception as error:  # noqa: BLE001 - a cache outage must not fail the save that caused it
        # Retried before this process serves or stores anything; meanwhile no process serves from
        # the cache (it cannot read the generation either).
        _pending.set()
        _warn("page cache: could not replace the generation (%s); will retry", error)
    else:
        _pending.clear()


_last_warning = {"at": None}


def _warn(message, *args):
    """At most one warning a minute: an outage must not flood the log with one line per request."""
    now = clock.monotonic()
    if _last_warning["at"] is None or now - _last_warning["at"] >= 60:
        _last_warning["at"] = now
        logger.warning(message, *args)


def _retry_pending_bump():
    if _pending.is_set():
        _bump()
        if _pending.is_set():
            raise LookupError("generation not replaced yet")


def retry_pending():
    """Replace the generation now if an invalidation failed in this process while the shared cache was
    down, or a change any process recorded has not replaced it yet. Web processes do it before serving;
    the worker, which serves nothing, on every scheduler tick."""
    try:
        settle_recorded()
        _retry_pending_bump()
    except LookupError:
        pass


def _historical(model):
    # Migrations save through models rebuilt from their state, before the database cache's table exists;
    # `migrate` ends by replacing the generation itself (connect()).
    return model.__module__ == "__fake__"


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _historical(sender):  # loaddata, migrations
        return
    label = sender._meta.label_lower
    if label in IGNORED_MODELS:
        return
    if update_fields:
        fields = set(update_fields)
        if label == settings.AUTH_USER_MODEL.lower() and fields <= USER_LOGIN_FIELDS:
            return
        if hasattr(instance, "get_latest_revision") and hasattr(instance, "url_path") and fields <= PAGE_DRAFT_FIELDS:
            return
    invalidate(f"saved {label}")


def _on_delete(sender, **kwargs):
    if sender._meta.label_lower not in IGNORED_MODELS and not _historical(sender):
        invalidate(f"deleted {sender._meta.label_lower}")


def _on_m2m(sender, instance, action, **kwargs):
    model = type(instance)
    if action.startswith("post_") and model._meta.label_lower not in IGNORED_MODELS and not _historical(model):
        invalidate(f"{action} {type(instance)._meta.label_lower}")


def _on_page_signal(sender, instance=None, **kwargs):
    invalidate(f"page signal for {sender._meta.label_lower}")


def _on_migrate(sender, using="default", **kwargs):
    # Once, for the last app: by then the pages app has made the database cache's table.
    from django.apps import apps

    if using == "default" and sender is list(apps.get_app_configs())[-1]:
        invalidate("migrate")


def connect():
    """Wire the safe default (AppConfig.ready)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_migrate.connect(_on_migrate, dispatch_uid="page_cache_migrate")
    post_save.connect(_on_save, dispatch_uid="page_cache_save")
    post_delete.connect(_on_delete, dispatch_uid="page_cache_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="page_cache_m2m")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_on_page_signal, dispatch_uid=f"page_cache_{id(signal)}")


# --- the reverse proxy --------------------------------------------------------------------------------


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP purge with a time limit: a proxy that does not answer must not hold up a save."""

    TIMEOUT = 3

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path or "/", parts.query, ""]),
            headers={"Host": host, "User-Agent": "kochi-kyosei-page-cache"},
        )
        try:
            urlopen(request, timeout=self.TIMEOUT).close()  # noqa: S310 - the address comes from settings
        except (HTTPError, URLError, OSError) as error:
            logger.error("Could not purge %s from the proxy at %s: %s", url, self.cache_netloc, error)


def _frontend_backends():
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return {}
    from wagtail.contrib.frontend_cache.utils import get_backends

    return get_backends()


def purge_proxies():
    """Purge the whole site from every configured proxy (their PURGE of the root bans every page)."""
    root = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    for backend in _frontend_backends().values():
        backend.purge(root)


# --- the middleware -----------------------------------------------------------------------------------

_local = OrderedDict()
_local_lock = threading.Lock()


def _usable(entry, generation):
    return entry is not None and entry[0] == generation and entry[1] > clock.time()


def _local_get(key, generation):
    with _local_lock:
        entry = _local.get(key)
        if not _usable(entry, generation):
            return None
        _local.move_to_end(key)
        return entry


def _local_put(key, entry):
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > settings.PAGE_CACHE_LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear_local():
    with _local_lock:
        _local.clear()


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD") or is_admin_path(request.path):
        return False
    if request.path.startswith(tuple(settings.PAGE_CACHE_SKIP_PREFIXES)):
        return False
    if "HTTP_AUTHORIZATION" in request.META or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def entry_key(request):
    encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
    return f"{ENTRY_KEY_PREFIX}{request.scheme}://{request.get_host()}{request.get_full_path()}|{encoding}"


def seconds_to_live(now=None):
    """Until the next midnight in Japan (dated listings change then), at most PAGE_CACHE_TIMEOUT."""
    now = timezone.localtime(now)
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time.min))
    return max(1, min(settings.PAGE_CACHE_TIMEOUT, int((midnight - now).total_seconds())))


def _cache_control(response):
    return {value.split("=")[0].strip().lower() for value in cc_delim_re.split(response.get("Cache-Control", ""))}


def response_is_storable(request, response):
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if _cache_control(response) & {"private", "no-store", "no-cache"}:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if response.status_code == 200 and content_type not in TEXT_TYPES:
        return False
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", "")) if value.strip()}
    if vary - KNOWN_VARY:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "_queued_messages", None):
        return False
    # Belt and braces: a form's hidden token must never go to another visitor, whatever set it.
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return b"csrfmiddlewaretoken" not in content


def _entry(generation, ttl, response):
    headers = [(name, value) for name, value in response.items() if name.lower() not in PER_RESPONSE_HEADERS]
    return (generation, clock.time() + ttl, response.status_code, headers, response.content)


def _mark_for_proxy(response, seconds):
    """Browsers ask again every time; a proxy that is purged with this cache may keep it `seconds`."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=0)
    patch_cache_control(response, s_maxage=max(1, int(seconds)))


def _response(entry):
    _, expires_at, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    _mark_for_proxy(response, expires_at - clock.time())
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serve stored anonymous pages before sessions, CSRF, auth or Wagtail run (see module docstring).

    Sits inside SecurityMiddleware and the security headers, which add HSTS, CSP and the rest to hits
    as to every other response, and outside gzip, so a hit is stored compressed and not compressed again.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefixes = (settings.STATIC_URL, settings.MEDIA_URL)

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or request.path.startswith(self.static_prefixes):
            return self.get_response(request)
        try:
            key = entry_key(request) if request_is_cacheable(request) else None
        except DisallowedHost:
            key = None
        if key is None:
            response = self.get_response(request)
            response.headers.setdefault(HEADER, "pass")
            return response
        generation = request_generation(request)
        entry = None
        if generation is not None:
            try:
                entry = _local_get(key, generation)
                if entry is None:
                    entry = shared_call(shared_cache(), "get", key)
                    if _usable(entry, generation):
                        _local_put(key, entry)
                    else:
                        entry = None
            except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
                _warn("page cache unavailable, serving uncached: %s", error)
                generation = None
        if generation is None:
            response = self.get_response(request)
            response.headers.setdefault(HEADER, "pass")
            return response
        if entry is not None:
            return _response(entry)
        response = self.get_response(request)
        if request.method == "GET" and response_is_storable(request, response):
            self._store(key, generation, response)
        else:
            response.headers.setdefault(HEADER, "pass")
        return response

    def _store(self, key, generation, response):
        ttl = seconds_to_live()
        try:
            # Changed while the view ran: this render may predate the change; the proxy must not keep it.
            if current_generation() != generation:
                response[HEADER] = "pass"
                return
            entry = _entry(generation, ttl, response)
            shared_call(shared_cache(), "set", key, entry, ttl)
        except Exception as error:  # noqa: BLE001
            _warn("page cache: could not store %s: %s", key, error)
            response[HEADER] = "pass"
            return
        _local_put(key, entry)
        _mark_for_proxy(response, ttl)
        response[HEADER] = "miss"

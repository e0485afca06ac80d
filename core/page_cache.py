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
process that reads the rows: every process checks them before it reads the generation (one indexed query
on a table that is empty but for such failures) unless its last check began less than
PAGE_CACHE_RECORDED_CHECK_SECONDS (0.1 s) ago, and the worker on its tick. While a row is there nothing is
served from the cache, so no stored page outlives a committed change, whatever process made it and however
long the shared cache was away. A writer that could not tell the shared cache waits that interval after its
commit before it answers: any request sent after its answer reaches a process whose last check began after
the commit and saw the row. (A query on every hit cost about 15 % of a hit's CPU, and released the GIL to
wait behind any render.) A writer killed between its commit and its answer answered no one; its change may
show that interval late.

Exact invalidation by tags: a change whose every public appearance goes through code that tags what it reads
need not make every page stale. While a page renders for the cache, that code calls tag() ("register" in
Declaration.objects.public(), "declaration:<id>" on an entry's own page, "event:<id>" in the event's
availability(), "search" on every read of the search index, and "pages" by the middleware itself on every
render whose view did not call shows_no_pages()) BEFORE it reads the data; tag() reads the tag's version (a
random token in the shared cache, like the generation) and the stored entry keeps {tag: version}. The change
calls invalidate_tags() (or its model is on TAGGED_MODELS), which replaces those versions once the
transaction commits; a hit needs the current generation AND every version it recorded, read together in one
get_many when the process has a copy of the page (else the generation with the entry, then its tags). With
Redis, each process keeps the generation and the tags' versions between requests, and Redis pushes word of
every change of them to every process before the writer answers (core/tracked_keys.py): a hit of a page the
process has a copy of then asks Redis nothing, and one it has no copy of asks only for the entry. A
render racing the change read the old version before the data, so it is never served, and _store() does not
hand it to the proxy either. A page below the top level (FRAME_DEPTH) that is published, unpublished, saved
live or deleted, or an inline row of one, replaces `pages`; one republished with only its display fields changed
(PAGE_DISPLAY_FIELDS) replaces only `page:<id>`, which every render that built that page carries (ordered
versions, see "page tags" below). Everything else (settings, the menu and the
other top-level pages, page moves, any model not mapped) still replaces the generation: the safe default. A
tagged change is recorded like any other (PendingPageInvalidation, with its tags): the process that reads
the row replaces those tags before it serves anything, and a writer that could not replace them itself
(Redis away) replaces the whole generation before it serves again.

An entry also expires at the next midnight in Japan (events move from "upcoming" to "past" by date)
and after PAGE_CACHE_TIMEOUT seconds at the latest. While the shared cache cannot be reached, pages
are served uncached, never from a per-process copy of the generation.

A caching reverse proxy in front (deploy/) is kept fresh the same way: invalidate() also purges
every proxy in WAGTAILFRONTENDCACHE (deploy/varnish/default.vcl turns a PURGE without tags into a ban of
the whole site, because a register entry or a setting shows on many pages whose URLs nobody lists; a
tagged change sends its tags in X-Purge-Tags and stored responses carry theirs in X-Cache-Tags, so the
proxy bans only those), and again a moment later for a response that left an app server just before the
change committed. Responses
are marked `s-maxage` for the proxy only when they were stored here; browsers get `max-age=0`.
"""

import contextvars
import functools
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
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_migrate, post_save, pre_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest

from core.admin_paths import is_admin_path
from core.cache import forget_tracked, settle_shared, shared_add_and_incr, shared_call, shared_get_many
from core.request_body import django_slot

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
# v2: entries carry their tags' versions. A server still running the code before tags would serve such an
# entry without checking them, so the two never read each other's entries (a rolling release).
# v3: every entry carries the `pages` tag unless its view showed no page (shows_no_pages()); a server still on
# v2 would store entries that a tagged publish does not reach.
# v4: entries carry a `page:<id>` tag for every page below the frame that their render built (with ordered page
# tags); a server still on v3 would store entries that a page's own republish does not reach.
ENTRY_KEY_PREFIX = "page-cache:entry:v4:"
TAG_KEY_PREFIX = "page-cache:tag:"
# The counter that orders page tags' versions (see _page_versions()); "~" is in no tag's name.
SEQUENCE_KEY = TAG_KEY_PREFIX + "~sequence"
# Kept in each process between requests while Redis says they have not changed (core/tracked_keys.py).
TRACKED_PREFIXES = (GENERATION_KEY, TAG_KEY_PREFIX)
HEADER = "X-Page-Cache"
# What a stored response shows, for the proxy (deploy/varnish/default.vcl bans by it, then removes it):
# ",register,event:12," (commas around every tag, so a ban's pattern matches whole tags only).
TAGS_HEADER = "X-Cache-Tags"
# Sent with a PURGE: the tags whose pages the proxy drops ("register event:12"); no header drops everything.
PURGE_TAGS_HEADER = "X-Purge-Tags"
# Letters, digits, ":", "_" and "-" only: a tag goes into the proxy's ban pattern as it is.
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9:_-]{0,79}$")
CACHEABLE_STATUSES = {200, 301}
# Every stored response is tagged `pages` (read before its view runs) unless the view says it shows no
# Wagtail page beyond the site's frame (shows_no_pages(): the register, its entries, the centre directory).
# A page below the top level that is published, unpublished, edited live or deleted makes stale only those.
PAGES_TAG = "pages"
# Wagtail's root is at depth 1, each language's home page at 2 and the top-level pages (the menu) at 3: a
# change of any of them changes the frame every page shows (pages/site_context.py), so every stored page.
FRAME_DEPTH = 3
# A page below the frame that is republished with a change to its display fields only (PAGE_DISPLAY_FIELDS)
# makes stale only the stored pages whose render built that page: `page:<id>`.
PAGE_TAG_PREFIX = "page:"
# Sent to the proxy instead of the page tags of a response that shows more pages than this (the header stays
# short: the site map shows every page); a page's own republish purges it too.
PROXY_PAGE_TAGS_LIMIT = 40
PAGES_MANY_TAG = "pages-many"
# The fields of a page that reach other pages only through that page's own instance: no query of a public page
# filters or orders by them (the site search reads its own index, tagged "search"), so a change of them alone
# reaches only the renders that built the page. Every other field (its address, its place, live, dates that
# lists filter on) keeps the wider `pages`. A page model adds its own with `page_cache_display_fields`.
PAGE_DISPLAY_FIELDS = {
    "title",
    "draft_title",
    "seo_title",
    "search_description",
    "introduction",
    "body",
    "latest_revision",
    "latest_revision_created_at",
    "live_revision",
    "last_published_at",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}
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
# Vary values whose variants are all covered by the key: Accept-Encoding is part of it, and Cookie only
# matters for a session or messages, which bypass the cache. The language is part of the address
# (core/locale.py), so a response that varies by Accept-Language would be a mistake, and is not stored.
KNOWN_VARY = {"accept-encoding", "cookie"}
MESSAGES_COOKIE = "messages"
MAX_QUERY_STRING = 256
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers that the request, not the page, decides (re-added per response by outer middlewares).
PER_RESPONSE_HEADERS = {"x-request-id", HEADER.lower(), TAGS_HEADER.lower()}

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


# Models whose rows reach public pages only through code that tags what it reads (see tag()): saving or
# deleting one makes stale only the pages with those tags, not every page. {label: instance -> tags}
TAGGED_MODELS = {}


def tag_model(label, tags_of):
    """Saving or deleting a row of `label` makes stale only the stored pages tagged with `tags_of(row)`.

    Only for a model whose every public appearance goes through code that calls tag() with those tags
    before it reads the rows; anything else keeps the safe default (every stored page)."""
    TAGGED_MODELS[label.lower()] = tags_of


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
        settle_shared(cache)
        _outage.clear()
        logger.warning("page cache: the shared cache is back; every stored page is rendered afresh")
        return generation
    if generation is None:
        generation = _started(cache, GENERATION_KEY)
    if generation is None:
        raise LookupError("the shared cache keeps no generation")
    return generation


def _started(cache, key):
    """A fresh token at `key`, which held none (first use, a flushed Redis, a culled or evicted row), so that
    nothing stored under an older one can match; returns what `key` holds then (another process's token if it
    got there first, None if the cache keeps nothing)."""
    shared_call(cache, "add", key, new_generation(), None)
    return shared_call(cache, "get", key)


def _generation_with(keys):
    """current_generation() and the values of `keys` ({key: value or None}) read in the same round trip (a hit
    reads the generation and its page's tags at once); {} when the generation was not simply read (first use,
    or after an outage: set afresh), as the values may predate it."""
    if not keys:
        return current_generation(), {}
    try:
        found = shared_get_many(shared_cache(), [GENERATION_KEY, *keys], TRACKED_PREFIXES)
    except Exception:
        _outage.set()
        raise
    generation = found.pop(GENERATION_KEY, None)
    if generation is None or _outage.is_set():
        return current_generation(), {}
    return generation, {key: found.get(key) for key in keys}


REQUEST_GENERATION_ATTR = "_page_cache_generation"


def request_generation(request, also=None):
    """The generation a request works under, read once per request (the middleware's, when it read one):
    what a process keeps for one generation (pages.site_context's frame) is checked against it. None
    while the shared cache cannot be reached: then nothing may be used or kept.

    With `also` (a list, maybe empty), returns (generation, {key: value}); the values are read with the
    generation as _generation_with(also) does, by the request's first call only."""
    found = {}
    if not hasattr(request, REQUEST_GENERATION_ATTR):
        try:
            if _recorded_check_due():
                settle_recorded()
            _retry_pending_bump()
            generation, found = _generation_with(also or [])
        except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
            _warn("page cache generation unavailable: %s", error)
            generation = None
        setattr(request, REQUEST_GENERATION_ATTR, generation)
    generation = getattr(request, REQUEST_GENERATION_ATTR)
    return generation if also is None else (generation, found)


# --- tags: what a stored page shows -----------------------------------------------------------------

# The tags of the response being rendered for the page cache ({tag: version read when it was added}), or
# None outside such a render (the admin, the worker, a page that will not be stored).
_render = contextvars.ContextVar("page_cache_render", default=None)


def _valid_tag(name):
    if not TAG_PATTERN.match(name):
        raise ValueError(f"page cache tag {name!r}: lower-case letters, digits, ':', '_' and '-' only")
    return name


def tag(*names):
    """Say that the response being rendered shows what `names` stand for ("register", "event:12", "search").

    Call it BEFORE reading the data: the tag's version is read now, so a change that commits after this
    read (and so may be missing from what is read next) leaves the stored page with an old version, and
    it is never served. A no-op outside a render the page cache may store."""
    render = _render.get()
    if render is None:
        return
    for name in names:
        if name in render["versions"]:
            continue
        _valid_tag(name)
        try:
            render["versions"][name] = _tag_version(name)
        except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
            _warn("page cache: could not read tag %s: %s", name, error)
            render["failed"] = True


def shows_no_pages():
    """Say that the response being rendered shows no Wagtail page beyond the site's frame (the site, its
    settings, the home page and the top-level pages): a publish of a deeper page then leaves it stored. Only
    for a view whose every template is known to link to no other page (the register's 10,000 entries would
    otherwise all be rendered again after every publish). A no-op outside a render the page cache may store."""
    render = _render.get()
    if render is not None:
        render["versions"].pop(PAGES_TAG, None)


def _tag_version(name):
    cache = shared_cache()
    key = TAG_KEY_PREFIX + name
    version = shared_call(cache, "get", key)
    if version is None:
        version = _started(cache, key)
    if version is None:
        raise LookupError(f"the shared cache keeps no version of tag {name}")
    return version


def _tag_keys(versions):
    return [TAG_KEY_PREFIX + name for name in versions]


def _tags_current(versions, found=None):
    """Whether every tag still has the version a stored page recorded: one round trip, or none without tags
    or with `found`, the tags' versions read already ({key: value}, as from _generation_with())."""
    if not versions:
        return True
    if found is None:
        found = shared_get_many(shared_cache(), _tag_keys(versions), TRACKED_PREFIXES)
    return all(found.get(TAG_KEY_PREFIX + name) == version for name, version in versions.items())


def _bump_tags(tags):
    cache = shared_cache()
    versions = {TAG_KEY_PREFIX + name: new_generation() for name in tags if not name.startswith(PAGE_TAG_PREFIX)}
    if len(versions) < len(tags):
        number = _next_sequence(cache)
        versions.update({TAG_KEY_PREFIX + name: number for name in tags if name.startswith(PAGE_TAG_PREFIX)})
    shared_call(cache, "set_many", versions, None)
    settle_shared(cache)  # every process has been told before this writer answers anyone


# --- page tags: ordered versions ----------------------------------------------------------------------
#
# A page's tag cannot be read before its data, as tag() requires: which pages a render shows is known only once it
# has read them (post_init). So page tags' versions are numbers from one counter (SEQUENCE_KEY), in the order
# their changes committed: a render reads the counter when it begins, before it reads any page, and is stored only
# if every page it built carries a version no higher. A page changed after the render began carries a higher one
# (the writer takes it after its commit), so a render that may have read the page before that commit is never
# stored; one whose pages all carry lower versions read them after their changes committed.
#
# Values are comparable only within one life of the counter. Whoever finds it missing (a new Redis, an eviction)
# starts it afresh and replaces the generation, so no page stored under an older life is served again, and a
# render that began under the older life fails its store's check of the generation.


def ordered_page_tags():
    """Whether page tags are used: the shared cache adds to a counter atomically (Redis; the tests' per-process
    memory). The database cache (the embedded default) reads and writes in two statements, so there a page's
    republish replaces `pages`, as every other change of a page below the frame does."""
    return not isinstance(shared_cache(), DatabaseCache)


def _sequence_start():
    # Microseconds since the epoch: above any value an earlier life of the counter reached in practice, so pages
    # whose versions outlived it are not left above every render's start.
    return int(clock.time() * 1_000_000)


def _counter_started():
    """A new life of the counter: versions of an earlier life may be above its values."""
    _bump()
    logger.info("page cache: the page tags' counter was started; every stored page is rendered afresh")


def _read_sequence():
    """(the counter's value as this process knows it, whether it was missing and has been started now). A kept copy
    may lag behind, which only stores fewer renders. When it was started, whatever was read before (the generation)
    must be read again."""
    cache = shared_cache()
    value = shared_get_many(cache, [SEQUENCE_KEY], TRACKED_PREFIXES).get(SEQUENCE_KEY)
    if value is not None:
        return value, False
    if shared_call(cache, "add", SEQUENCE_KEY, _sequence_start(), None):
        _counter_started()
    return shared_call(cache, "get", SEQUENCE_KEY), True


def _next_sequence(cache):
    started, value = shared_add_and_incr(cache, SEQUENCE_KEY, _sequence_start())
    if started:
        _counter_started()
    return value


def store_not_found():
    """Say that a "not found" answer of the page being rendered may be stored like the page: every read that
    decides it was tagged before it was made (a register entry's own tag), so the change that makes the page exist
    makes that answer stale. Only for a view whose address comes from a bounded pattern (an entry's number): the
    per-process copies and Redis keep the most recent pages within their budgets (LRU), as for any address with
    a query string. A no-op outside a render the page cache may store."""
    render = _render.get()
    if render is not None:
        render["not_found"] = True


def _page_versions(render):
    """{page:<id>: version} of every page below the frame that the render built, or None when one of them changed
    after the render began (its data may be older than the change) or the counter was lost meanwhile."""
    names = [f"{PAGE_TAG_PREFIX}{pk}" for pk in sorted(render["pages"])]
    if not names:
        return {}
    cache = shared_cache()
    found = shared_get_many(cache, _tag_keys(names), TRACKED_PREFIXES)
    missing = [TAG_KEY_PREFIX + name for name in names if found.get(TAG_KEY_PREFIX + name) is None]
    if missing:
        # Never changed, or evicted. Given the counter's value now, read from Redis itself (a kept copy may lag):
        # a change made after the render began has taken a higher one, so an evicted version is never mistaken
        # for one older than the render. A writer's own version, set meanwhile, wins over this add.
        now = shared_call(cache, "get", SEQUENCE_KEY)
        if not isinstance(now, int):
            return None
        for key in missing:
            shared_call(cache, "add", key, now, None)
        found.update(shared_call(cache, "get_many", missing))
    versions = {name: found.get(TAG_KEY_PREFIX + name) for name in names}
    if any(not isinstance(version, int) or version > render["sequence"] for version in versions.values()):
        return None
    return versions


def _on_page_init(sender, instance, **kwargs):
    """Record a page that a render for the cache builds from the database (every query and `.specific` make one):
    the render shows it, or may, so it carries the page's tag. The frame's pages replace the generation."""
    render = _render.get()
    if render is None or render["pages"] is None:
        return
    pk = instance.pk
    depth = instance.__dict__.get("depth")  # None when deferred: recorded, as its depth is not known
    if pk is not None and (depth is None or depth > FRAME_DEPTH):
        render["pages"].add(pk)


# --- invalidation -----------------------------------------------------------------------------------

_pending = threading.Event()


def invalidate(reason=""):
    """Make every stored page stale, on every process and server, once the current transaction
    commits (at once outside a transaction). Call it after changing public data without a model
    signal (a queryset .update(), raw SQL), when what the change reaches is not known by tags."""
    _queue(None, reason)


def invalidate_tags(*tags, reason=""):
    """Make stale only the stored pages tagged with any of `tags` (see tag()), on every process and server
    and in every proxy, once the current transaction commits. For a change whose every public appearance
    is tagged; anything else calls invalidate(). Recorded like invalidate(), with the tags: whichever process
    reads the record first replaces them; a writer that could not replace them replaces the generation."""
    tags = frozenset(_valid_tag(name) for name in tags)
    if tags:
        _queue(tags, reason or " ".join(sorted(tags)))


def _wider(scope, tags):
    """What two invalidations together make stale: None is every stored page, else a set of tags."""
    if scope is None or tags is None:
        return None
    return scope | tags


def _queue(tags, reason):
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Once per transaction: queued already unless that savepoint was rolled back (Django then drops
        # the callback from run_on_commit) or it has run. What it makes stale grows with each change.
        queued = getattr(connection, "page_cache_queued", False)
        if queued and any(func is _after_commit for _, func, _ in connection.run_on_commit):
            scope = getattr(connection, "page_cache_scope", None)
            wider = _wider(scope, tags)
            if wider != scope:
                _widen_record(connection.page_cache_record, wider)
            connection.page_cache_scope = wider
            logger.debug("page cache invalidated: %s", reason)
            return
        connection.page_cache_queued = True
    connection.page_cache_scope = tags
    connection.page_cache_record = _record(tags)
    logger.debug("page cache invalidated: %s", reason)
    transaction.on_commit(_after_commit, robust=True)


def _scope_text(scope):
    return "" if scope is None else " ".join(sorted(scope))


def _record(scope):
    from .models import PendingPageInvalidation

    return PendingPageInvalidation.objects.create(tags=_scope_text(scope)).pk


def _widen_record(pk, scope):
    from .models import PendingPageInvalidation

    PendingPageInvalidation.objects.filter(pk=pk).update(tags=_scope_text(scope))


_RECORDED_SQL = {}


def _recorded_sql(connection, model):
    """SELECT id, tags of the first 100 recorded invalidations but one (its id the parameter), oldest first."""
    sql = _RECORDED_SQL.get(connection.vendor)
    if sql is None:
        query = model.objects.order_by("pk").exclude(pk=-1).values_list("pk", "tags")[:100].query
        sql, params = query.sql_with_params()
        assert list(params) == [-1], params  # noqa: S101 - the one parameter is the excluded id
        _RECORDED_SQL[connection.vendor] = sql
    return sql


def settle_recorded():
    """Replace the generation if a committed change recorded it has not been yet (another process that
    could not reach the shared cache, or was killed first); raises LookupError while that cannot be done."""
    from .models import PendingPageInvalidation

    started = clock.monotonic()
    connection = transaction.get_connection()
    own = None
    if connection.in_atomic_block and any(func is _after_commit for _, func, _ in connection.run_on_commit):
        # This connection's own change: its commit replaces the generation (only tests serve inside one).
        own = connection.page_cache_record
    try:
        # The ORM's query is built once: on every cacheable request, compiling it cost a quarter of a hit.
        with connection.cursor() as cursor:
            cursor.execute(_recorded_sql(connection, PendingPageInvalidation), [-1 if own is None else own])
            found = cursor.fetchall()
    except DatabaseError:
        # Nothing can commit while the database is down; the rows are read again once it is back.
        return
    if found:
        # What those changes make stale, all together: their tags, or everything if any row says so. (A row
        # is also seen here in the moment between its writer's commit and its writer's own settling: the
        # tags are then replaced twice, and the rest of the cache stays.)
        scope = frozenset()
        for _, tags in found:
            scope = _wider(scope, frozenset(tags.split()) if tags else None)
        pks = [pk for pk, _ in found]
        if scope is None:
            _settle(pks)
        else:
            _settle_tags(pks, scope)
        if _pending.is_set():
            raise LookupError("generation not replaced yet")
    with _recorded_lock:
        _recorded["checked"] = max(_recorded["checked"], started)


# When this process last began a read of the recorded changes that ended with all of them settled (monotonic).
_recorded = {"checked": float("-inf")}
_recorded_lock = threading.Lock()


def _recorded_check_due():
    """Whether a request must read the recorded changes itself: no read that began less than
    PAGE_CACHE_RECORDED_CHECK_SECONDS ago has settled them all. A writer that could not tell the shared cache
    waits that long after its commit before it answers (_after_commit()), so the last such read of any process
    that serves a request sent after that answer began after the commit, and saw its record."""
    interval = settings.PAGE_CACHE_RECORDED_CHECK_SECONDS
    return interval <= 0 or clock.monotonic() - _recorded["checked"] >= interval


def _settle(pks):
    from .models import PendingPageInvalidation

    _bump()
    if not _pending.is_set():
        # Those changes had committed before the new generation was set: every page stored under it is newer.
        PendingPageInvalidation.objects.filter(pk__in=pks).delete()


# The changes of this process that wait to be purged again: (monotonic time, scope), oldest first.
_repurge = {"timer": None, "pending": []}
_repurge_lock = threading.Lock()


def _after_commit():
    connection = transaction.get_connection()
    connection.page_cache_queued = False
    scope = getattr(connection, "page_cache_scope", None)
    if scope is None:
        _settle([connection.page_cache_record])
    else:
        _settle_tags([connection.page_cache_record], scope)
    if _pending.is_set():
        # The shared cache was not told: other processes learn of this change only from its record, which each
        # reads at most once in PAGE_CACHE_RECORDED_CHECK_SECONDS. Answer after that (see _recorded_check_due()).
        clock.sleep(settings.PAGE_CACHE_RECORDED_CHECK_SECONDS * 1.2)
    purge_proxies(scope)
    delay = getattr(settings, "PAGE_CACHE_PROXY_REPURGE_SECONDS", 0)
    if delay and _frontend_backends():
        # One delayed purge per process at a time, of all that changed meanwhile (a command saving hundreds
        # of rows starts one thread, not hundreds). It is not put off by later changes: with an application
        # every second, a timer restarted at each change never fired, and Varnish kept a page rendered
        # across a commit (the mixed-load benchmark's stale 残り).
        with _repurge_lock:
            _repurge["pending"].append((clock.monotonic(), scope))
            if _repurge["timer"] is None:
                _start_repurge(delay)


def _start_repurge(delay):
    _repurge["timer"] = timer = threading.Timer(delay, _purge_again)
    timer.daemon = True
    timer.start()


def _purge_again():
    """Purge all that changed since the last delayed purge; the changes that came less than the delay ago are
    purged once more when their own delay is up, and then forgotten. So every change is purged again at least
    the delay after it and at most twice the delay, however often changes come, and no change is purged
    again more than twice."""
    delay = getattr(settings, "PAGE_CACHE_PROXY_REPURGE_SECONDS", 0)
    scope = frozenset()
    with _repurge_lock:
        now = clock.monotonic()
        for _changed_at, changed in _repurge["pending"]:
            scope = _wider(scope, changed)
        _repurge["pending"] = recent = [(at, changed) for at, changed in _repurge["pending"] if at + delay > now]
        if recent:
            _start_repurge(recent[0][0] + delay - now)
        else:
            _repurge["timer"] = None
    purge_proxies(scope)


def _settle_tags(pks, tags):
    """Replace the versions of `tags` after the change committed, then delete the change's record. If that
    fails, the record stays (any process that reads it replaces its tags first) and this process, in doubt
    about what its failure left behind, replaces the whole generation before it serves again."""
    from .models import PendingPageInvalidation

    try:
        _bump_tags(tags)
    except Exception as error:  # noqa: BLE001 - a cache outage must not fail the save that caused it
        _pending.set()
        _warn("page cache: could not replace tags %s (%s); will replace the generation", sorted(tags), error)
        return
    PendingPageInvalidation.objects.filter(pk__in=pks).delete()


def _bump():
    try:
        cache = shared_cache()
        shared_call(cache, "set", GENERATION_KEY, new_generation(), None)
        settle_shared(cache)  # every process has been told before this writer answers anyone
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


def _is_default_settings_row(sender, instance, created):
    """A site's or the site-wide settings row that Wagtail's for_site()/load() has just made with every field
    at its default, the first time a page read it: what pages showed before it existed (those same defaults),
    not a change. Only the admin's later save of it changes what pages show."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    if not created or not issubclass(sender, (BaseSiteSetting, BaseGenericSetting)):
        return False
    for field in sender._meta.concrete_fields:
        if field.primary_key or field.name == "site":
            continue
        if field.value_from_object(instance) != field.get_default():
            return False
    return True


@functools.cache
def _parent_page_field(model):
    """The ParentalKey by which rows of `model` hang from a Wagtail page (an inline row), or None."""
    from modelcluster.fields import ParentalKey
    from wagtail.models import Page

    for field in model._meta.concrete_fields:
        if isinstance(field, ParentalKey) and issubclass(field.related_model, Page):
            return field
    return None


def _page_of(instance):
    """The Wagtail page a row belongs to: the page itself, or the page an inline row (a ParentalKey) hangs
    from; None for any other row, or when that page cannot be found."""
    from wagtail.models import Page

    if isinstance(instance, Page):
        return instance
    field = _parent_page_field(type(instance))
    if field is None:
        return None
    try:
        return getattr(instance, field.name)
    except Page.DoesNotExist:
        return None


def _invalidate_page(page, reason, display_only=False):
    """A page below the top level makes stale the stored pages that show pages (tag `pages`), or with
    `display_only` (a change of its display fields alone) the stored pages whose render built it; a page of the
    frame (FRAME_DEPTH), or one whose place is not known, makes every stored page stale."""
    if page.depth is not None and page.depth > FRAME_DEPTH:
        if display_only and page.pk is not None:
            invalidate_tags(f"{PAGE_TAG_PREFIX}{page.pk}", reason=reason)
        else:
            invalidate_tags(PAGES_TAG, reason=reason)
    else:
        invalidate(reason)


# Set by pre_save on a page below the frame whose save changes its display fields alone (PAGE_DISPLAY_FIELDS), and
# on an inline row of a page whose save changes nothing (a publish saves every inline row again).
DISPLAY_ONLY_ATTR = "_page_cache_display_only"
UNCHANGED_ATTR = "_page_cache_unchanged"


def _comparable(field, row):
    value = field.value_from_object(row)
    if isinstance(value, datetime):
        # A revision keeps times to the millisecond (Django's JSON encoder): a publish from one writes back the
        # page's first_published_at without its microseconds, which is not a change.
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return field.value_to_string(row)


def _differs(model, old, new, names):
    return any(
        _comparable(field, old) != _comparable(field, new)
        for field in model._meta.concrete_fields
        if field.name in names
    )


def _stored_row(model, pk):
    try:
        return model._base_manager.get(pk=pk)
    except model.DoesNotExist:
        return None


def _on_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Compare a page's or a page's inline row's save with the row it replaces (see DISPLAY_ONLY_ATTR)."""
    from wagtail.models import Page

    is_page = isinstance(instance, Page)
    if not is_page and _parent_page_field(sender) is None:
        return
    setattr(instance, DISPLAY_ONLY_ATTR if is_page else UNCHANGED_ATTR, False)
    if raw or _historical(sender) or instance.pk is None or not ordered_page_tags():
        return
    if is_page and (instance.depth is None or instance.depth <= FRAME_DEPTH):
        return
    names = {field.name for field in sender._meta.concrete_fields}
    if update_fields is not None:
        names &= set(update_fields)
    if is_page:
        names -= PAGE_DISPLAY_FIELDS | set(getattr(sender, "page_cache_display_fields", ()))
    if names:  # else nothing to compare (a draft's save): no query
        old = _stored_row(sender, instance.pk)
        if old is None or _differs(sender, old, instance, names):
            return
    setattr(instance, DISPLAY_ONLY_ATTR if is_page else UNCHANGED_ATTR, True)


def _on_save(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
    if raw or _historical(sender):  # loaddata, migrations
        return
    label = sender._meta.label_lower
    if label in IGNORED_MODELS or _is_default_settings_row(sender, instance, created):
        return
    if label in TAGGED_MODELS:
        invalidate_tags(*TAGGED_MODELS[label](instance), reason=f"saved {label}")
        return
    if update_fields:
        fields = set(update_fields)
        if label == settings.AUTH_USER_MODEL.lower() and fields <= USER_LOGIN_FIELDS:
            return
        if hasattr(instance, "get_latest_revision") and hasattr(instance, "url_path") and fields <= PAGE_DRAFT_FIELDS:
            return
    if not created and getattr(instance, UNCHANGED_ATTR, False):
        return
    page = _page_of(instance)
    if page is not None:
        display_only = page is instance and not created and getattr(instance, DISPLAY_ONLY_ATTR, False)
        _invalidate_page(page, f"saved {label}", display_only=display_only)
        return
    invalidate(f"saved {label}")


def _on_delete(sender, instance=None, **kwargs):
    label = sender._meta.label_lower
    if label in IGNORED_MODELS or _historical(sender):
        return
    if label in TAGGED_MODELS and instance is not None:
        invalidate_tags(*TAGGED_MODELS[label](instance), reason=f"deleted {label}")
        return
    page = _page_of(instance) if instance is not None else None
    if page is not None:
        _invalidate_page(page, f"deleted {label}")
        return
    invalidate(f"deleted {label}")


def _on_m2m(sender, instance, action, **kwargs):
    model = type(instance)
    if action.startswith("post_") and model._meta.label_lower not in IGNORED_MODELS and not _historical(model):
        invalidate(f"{action} {type(instance)._meta.label_lower}")


def _on_page_signal(sender, instance=None, display_only=False, **kwargs):
    # Published or unpublished: the page, its translations' language switchers, the lists and site maps
    # that show it, all tagged `pages`; the frame's pages change every page.
    if instance is None:
        invalidate(f"page signal for {sender._meta.label_lower}")
    else:
        _invalidate_page(instance, f"page signal for {sender._meta.label_lower}", display_only=display_only)


def _on_page_published(sender, instance=None, **kwargs):
    # Published again with its display fields alone changed (the saved object, as Wagtail sends it): its own tag.
    _on_page_signal(sender, instance, display_only=getattr(instance, DISPLAY_ONLY_ATTR, False), **kwargs)


def _on_page_move(sender, instance=None, **kwargs):
    # Moved: its old and new places, and every page below it, change address.
    invalidate(f"moved {sender._meta.label_lower}")


def _on_migrate(sender, using="default", **kwargs):
    # Once, for the last app: by then the pages app has made the database cache's table.
    from django.apps import apps

    if using == "default" and sender is list(apps.get_app_configs())[-1]:
        invalidate("migrate")


def connect():
    """Wire the safe default (AppConfig.ready)."""
    from wagtail.models import get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_migrate.connect(_on_migrate, dispatch_uid="page_cache_migrate")
    pre_save.connect(_on_pre_save, dispatch_uid="page_cache_pre_save")
    post_save.connect(_on_save, dispatch_uid="page_cache_save")
    post_delete.connect(_on_delete, dispatch_uid="page_cache_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="page_cache_m2m")
    page_published.connect(_on_page_published, dispatch_uid="page_cache_published")
    page_unpublished.connect(_on_page_signal, dispatch_uid="page_cache_unpublished")
    for model in get_page_models():
        post_init.connect(_on_page_init, sender=model, dispatch_uid=f"page_cache_init_{model._meta.label_lower}")
    post_page_move.connect(_on_page_move, dispatch_uid="page_cache_page_move")


# --- the reverse proxy --------------------------------------------------------------------------------


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP purge with a time limit: a proxy that does not answer must not hold up a save."""

    TIMEOUT = 3

    def purge(self, url):
        self._send(url, {})

    def purge_tags(self, url, tags):
        """Drop from the proxy only the pages stored with any of `tags` (default.vcl bans on TAGS_HEADER)."""
        self._send(url, {PURGE_TAGS_HEADER: " ".join(sorted(tags))})

    def _send(self, url, headers):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path or "/", parts.query, ""]),
            headers={"Host": host, "User-Agent": "kochi-kyosei-page-cache", **headers},
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


def purge_proxies(tags=None):
    """Purge every configured proxy: of the pages stored with any of `tags`, or (None) of the whole site
    (a PURGE without tags bans every page). A backend that cannot purge by tags purges everything."""
    if tags is not None and not tags:
        return
    if tags is not None and any(name.startswith(PAGE_TAG_PREFIX) for name in tags):
        tags = tags | {PAGES_MANY_TAG}  # the proxy's copies of pages that show too many pages to name them
    root = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    for backend in _frontend_backends().values():
        if tags is not None and hasattr(backend, "purge_tags"):
            backend.purge_tags(root, tags)
        else:
            backend.purge(root)


# --- the middleware -----------------------------------------------------------------------------------

_local = OrderedDict()
_local_lock = threading.Lock()
# What an entry costs beyond its body (its key, headers and tuple), counted against PAGE_CACHE_LOCAL_MB.
ENTRY_OVERHEAD = 1024
_local_size = {"bytes": 0}


def _size(entry):
    return len(entry[4]) + ENTRY_OVERHEAD


def _usable(entry, generation):
    """Of this generation and not expired. Its tags are checked apart (_tags_current: a shared-cache read)."""
    return entry is not None and len(entry) == 6 and entry[0] == generation and entry[1] > clock.time()


def _local_get(key):
    """This process's copy of the entry at `key`, usable or not (its tags say what to read with the generation)."""
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def _local_put(key, entry):
    with _local_lock:
        replaced = _local.pop(key, None)
        if replaced is not None:
            _local_size["bytes"] -= _size(replaced)
        _local[key] = entry
        _local_size["bytes"] += _size(entry)
        budget = settings.PAGE_CACHE_LOCAL_MB * 1024 * 1024
        while _local_size["bytes"] > budget and _local:
            _, oldest = _local.popitem(last=False)
            _local_size["bytes"] -= _size(oldest)


# Renders of a page to store, in progress in this process: {key: Event set once it is stored or given up}. A
# request for the same page waits for it instead of rendering the page again: when a change makes a popular page
# stale (an event's 残り after each application), every request that came during its render rendered it too.
_renders = {}
_renders_lock = threading.Lock()
# How long a request waits for another thread's render of its page before it renders the page itself.
RENDER_WAIT_SECONDS = 10


def _lead_or_wait(key):
    """None when this thread is to render `key` (and must call _led(key) after), else the other render's Event."""
    with _renders_lock:
        running = _renders.get(key)
        if running is None:
            _renders[key] = threading.Event()
        return running


def _led(key):
    with _renders_lock:
        done = _renders.pop(key, None)
    if done is not None:
        done.set()


def _current_copy(key, generation):
    """This process's copy of `key` if it is of `generation` and its tags are current (read now), else None."""
    local = _local_get(key)
    try:
        if local is not None and _usable(local, generation) and _tags_current(local[5]):
            return local
    except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
        _warn("page cache unavailable, serving uncached: %s", error)
    return None


def clear_local():
    """Forget what this process holds: its copies of pages, the values Redis keeps it told of, and when it last
    read the recorded changes (the next request reads them)."""
    with _local_lock:
        _local.clear()
        _local_size["bytes"] = 0
    forget_tracked()
    with _recorded_lock:
        _recorded["checked"] = float("-inf")


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


def response_is_storable(request, response, not_found=False):
    """Whether `response` may be stored; a 404 only with `not_found` (see store_not_found())."""
    if response.status_code not in CACHEABLE_STATUSES and not (not_found and response.status_code == 404):
        return False
    if response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if _cache_control(response) & {"private", "no-store", "no-cache"}:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if response.status_code != 301 and content_type not in TEXT_TYPES:
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


def _entry(generation, ttl, response, versions):
    headers = [(name, value) for name, value in response.items() if name.lower() not in PER_RESPONSE_HEADERS]
    return (generation, clock.time() + ttl, response.status_code, headers, response.content, versions)


def _mark_tags(response, versions):
    """Tell the proxy what the page shows, so a purge of those tags drops it (only when a proxy is set up:
    the proxy removes the header, a visitor without one would see it)."""
    if versions and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        names = sorted(versions)
        pages = sum(1 for name in names if name.startswith(PAGE_TAG_PREFIX))
        if pages > PROXY_PAGE_TAGS_LIMIT:
            names = [name for name in names if not name.startswith(PAGE_TAG_PREFIX)] + [PAGES_MANY_TAG]
        response[TAGS_HEADER] = "," + ",".join(names) + ","


def _mark_for_proxy(response, seconds):
    """Browsers ask again every time; a proxy that is purged with this cache may keep it `seconds`."""
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=0)
    patch_cache_control(response, s_maxage=max(1, int(seconds)))


def _response(entry):
    _, expires_at, status, headers, content, versions = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    _mark_for_proxy(response, expires_at - clock.time())
    _mark_tags(response, versions)
    response[HEADER] = "hit"
    return response


def _begin_page_tags(request, render):
    """Start recording the pages the render builds, with the counter read first (see _page_versions()). Returns
    the generation the render works under: read again when the counter was started now (which replaced it),
    before the view reads anything."""
    generation = getattr(request, REQUEST_GENERATION_ATTR)
    if not ordered_page_tags():
        return generation
    try:
        sequence, started = _read_sequence()
        if started:
            generation = current_generation()
            setattr(request, REQUEST_GENERATION_ATTR, generation)
    except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
        _warn("page cache: could not read the page tags' counter: %s", error)
        sequence = None
    if not isinstance(sequence, int):
        render["failed"] = True
    else:
        render["sequence"] = sequence
        render["pages"] = set()
    return generation


class PageCacheMiddleware:
    """Serve stored anonymous pages before sessions, CSRF, auth or Wagtail run (see module docstring).

    Sits inside SecurityMiddleware and the security headers, which add HSTS, CSP and the rest to hits
    as to every other response, and outside gzip, so a hit is stored compressed and not compressed again.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefixes = (settings.STATIC_URL, settings.MEDIA_URL)

    def _pass_on(self, request):
        """The rest of the site, in one of the worker's Django slots (core/request_body.py): a hit needs none."""
        with django_slot(request):
            return self.get_response(request)

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or request.path.startswith(self.static_prefixes):
            return self._pass_on(request)
        try:
            key = entry_key(request) if request_is_cacheable(request) else None
        except DisallowedHost:
            key = None
        if key is None:
            response = self._pass_on(request)
            response.headers.setdefault(HEADER, "pass")
            return response
        # One round trip at most for a hit of this process's copy: the generation with the versions of the copy's
        # tags (or with the stored entry, for a page this process has no copy of). None with Redis while this
        # process keeps the generation and those versions (core/tracked_keys.py).
        local = _local_get(key)
        generation, found = request_generation(request, also=_tag_keys(local[5]) if local else [key])
        entry = None
        if generation is not None:
            try:
                if local is not None and _usable(local, generation) and _tags_current(local[5], found):
                    entry = local
                else:
                    # Read with the generation when there was no copy here.
                    entry = found[key] if key in found else shared_call(shared_cache(), "get", key)
                    if _usable(entry, generation) and _tags_current(entry[5]):
                        _local_put(key, entry)
                    else:
                        entry = None  # of an older generation, or something it shows has changed since
            except Exception as error:  # noqa: BLE001 - no cache is slower, never an error page
                _warn("page cache unavailable, serving uncached: %s", error)
                generation = None
        if generation is None:
            response = self._pass_on(request)
            response.headers.setdefault(HEADER, "pass")
            return response
        if entry is not None:
            return _response(entry)
        leading = False
        if request.method == "GET":
            running = _lead_or_wait(key)
            leading = running is None
            if running is not None:
                # Another thread renders this page now. Its copy is served only if it passes the same check as any
                # hit, read after the wait: a render that began before a change this request must see carries
                # the old version of what it shows, and this request renders the page itself.
                running.wait(RENDER_WAIT_SECONDS)
                entry = _current_copy(key, generation)
                if entry is not None:
                    return _response(entry)
        try:
            return self._render_and_store(request, key, generation)
        finally:
            if leading:
                _led(key)

    def _render_and_store(self, request, key, generation):
        render = {"versions": {}, "failed": False, "pages": None, "sequence": None, "not_found": False}
        token = _render.set(render)
        try:
            tag(PAGES_TAG)  # before the view reads any page (see tag())
            generation = _begin_page_tags(request, render)  # likewise
            response = self._pass_on(request)
        finally:
            _render.reset(token)
        if (
            request.method == "GET"
            and not render["failed"]
            and response_is_storable(request, response, not_found=render["not_found"])
        ):
            self._store(key, generation, response, render)
        else:
            response.headers.setdefault(HEADER, "pass")
        return response

    def _store(self, key, generation, response, render):
        ttl = seconds_to_live()
        try:
            versions = render["versions"]
            pages = _page_versions(render) if render["pages"] is not None else {}
            if pages is not None:
                versions = {**versions, **pages}
            # Changed while the view ran: this render may predate the change; the proxy must not keep it.
            if pages is None or current_generation() != generation or not _tags_current(versions):
                response[HEADER] = "pass"
                return
            entry = _entry(generation, ttl, response, versions)
            shared_call(shared_cache(), "set", key, entry, ttl)
        except Exception as error:  # noqa: BLE001
            _warn("page cache: could not store %s: %s", key, error)
            response[HEADER] = "pass"
            return
        _local_put(key, entry)
        _mark_for_proxy(response, ttl)
        _mark_tags(response, versions)
        response[HEADER] = "miss"

"""The site's cache backends: Redis that degrades instead of failing, and the database cache's table.

DatabaseCache (the embedded default, without Redis) is Django's, with a get() of one short statement:
the full-page cache reads its generation on every request, and Django's get() goes through get_many(),
whose set-up cost about as much as serving the stored page itself.

Wagtail reads the site-root paths from the default cache on every page, and the application form's
per-address limit counts in it, so a Redis outage used to answer 500 everywhere. ResilientRedisCache
keeps serving: while Redis is unreachable every operation goes to a per-process memory cache (pages
are served, the limit counts per worker as `make run` once did), a warning is logged at most once a
minute, and Redis is tried again after a short pause so a dead server does not slow every request.
"""

import base64
import logging
import pickle
import threading
import time

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.management import call_command
from django.db import connections, router
from django.utils.timezone import now as tz_now
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.tracked_keys import TrackedKeys

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds a request may wait for Redis before the cache gives up on it.
SOCKET_TIMEOUT = 0.5
# After a failure, Redis is left alone this long (OPTIONS' pause_after_failure): one slow request per
# pause, not every request.
PAUSE_AFTER_FAILURE = 10
WARN_EVERY = 60


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool: Django makes a new one for every
    cache call, and each copies redis-py's ~170 response callbacks (0.14 ms, a quarter of a page-cache hit's
    own time). A redis-py client is safe to share between threads; its connections come from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, falling back to per-process memory while Redis cannot be reached."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        self._pause_after_failure = params["OPTIONS"].pop("pause_after_failure", PAUSE_AFTER_FAILURE)
        params["OPTIONS"].setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        params["OPTIONS"].setdefault("socket_timeout", SOCKET_TIMEOUT)
        super().__init__(server, params)
        # After Django's __init__, which sets its own client class on the instance (a class attribute here
        # was silently ignored, and every cache call built a new redis-py client).
        self._class = ReusedRedisCacheClient
        fallback_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._fallback = LocMemCache(f"resilient-redis-fallback-{id(self)}", fallback_params)
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self._last_warning = None

    def is_available(self):
        """Whether Redis answers now (asked directly, whatever the pause says); for the dashboard."""
        try:
            return bool(self._cache.get_client().ping())
        except UNREACHABLE:
            return False

    def _unreachable(self, error):
        now = time.monotonic()
        with self._lock:
            self._paused_until = now + self._pause_after_failure
            warn = self._last_warning is None or now - self._last_warning >= WARN_EVERY
            if warn:
                self._last_warning = now
        if warn:
            logger.warning(
                "Redis cache unreachable (%s); serving from per-process memory and retrying every %d s",
                error,
                self._pause_after_failure,
            )

    def _call(self, name, *args, **kwargs):
        if time.monotonic() < self._paused_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(error)
            return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        try:
            return self._call("clear")
        finally:
            # Not left to the FLUSHDB's push, which may still be on its way when this process reads next.
            forget_tracked()


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache; get() reads one row that has not expired, as has_key() does. Expired
    rows are left to set()'s culling instead of being deleted by the read."""

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_read(self.cache_model_class)]
        quoted = map(connection.ops.quote_name, ("value", self._table, "cache_key", "expires"))
        value, table, cache_key, expires = quoted
        now = tz_now().replace(microsecond=0, tzinfo=None)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value} FROM {table} WHERE {cache_key} = %s AND {expires} > %s",  # noqa: S608 - quoted names
                [key, connection.ops.adapt_datetimefield_value(now)],
            )
            row = cursor.fetchone()
        if row is None:
            return default
        return pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301 - our own rows


class SharedCacheUnavailable(Exception):
    """The shared store cannot be reached: a caller that must not fall back to memory gives up."""


def shared_call(cache, name, *args, **kwargs):
    """Call the cache's `name` on its shared store only, never on ResilientRedisCache's per-process
    fallback (the full-page cache's generation must be the same on every process, or nothing).

    Raises SharedCacheUnavailable while Redis is unreachable; other backends' errors propagate.
    """
    if not isinstance(cache, ResilientRedisCache):
        return getattr(cache, name)(*args, **kwargs)
    return _on_redis(cache, lambda: getattr(RedisCache, name)(cache, *args, **kwargs))


def _on_redis(cache, call):
    """call(), which talks to `cache`'s Redis itself; SharedCacheUnavailable while Redis is paused after a failure
    or cannot be reached (the failure pauses it)."""
    if time.monotonic() < cache._paused_until:
        raise SharedCacheUnavailable("Redis paused after a failure")
    try:
        return call()
    except UNREACHABLE as error:
        cache._unreachable(error)
        raise SharedCacheUnavailable(str(error)) from error


_tracked = {}
_tracked_lock = threading.Lock()


def _tracked_keys(cache, prefixes):
    """This process's TrackedKeys of `cache`'s Redis for `prefixes`, or None (another backend, or turned off).
    Django makes a cache object per thread: the copy is per process, shared by the threads."""
    if not isinstance(cache, ResilientRedisCache) or not settings.REDIS_TRACKING:
        return None
    key = (tuple(cache._servers), cache.key_prefix, cache.version, prefixes)
    tracked = _tracked.get(key)
    if tracked is None:
        with _tracked_lock:
            tracked = _tracked.setdefault(key, TrackedKeys(cache, prefixes))
    return tracked


def forget_tracked():
    """Drop every value this process keeps of tracked keys."""
    for tracked in list(_tracked.values()):
        tracked.forget()


def shared_get_many(cache, keys, tracked=()):
    """shared_call(cache, "get_many", keys), with the keys under the `tracked` prefixes kept in this process
    between calls while Redis says they have not changed (core/tracked_keys.py)."""
    mirror = _tracked_keys(cache, tuple(tracked)) if tracked else None
    if mirror is None:
        return shared_call(cache, "get_many", keys)
    return _on_redis(cache, lambda: mirror.get_many(keys, lambda missing: shared_call(cache, "get_many", missing)))


def shared_add_and_incr(cache, key, start):
    """Start the counter at `key` at `start` if it is missing, then add one, at once (a Redis transaction: no
    eviction between the two). Returns (whether it was started, its new value). On shared_call's terms."""
    if not isinstance(cache, ResilientRedisCache):
        started = cache.add(key, start, None)
        return started, cache.incr(key)

    def call():
        name = cache.make_and_validate_key(key)
        pipeline = cache._cache.get_client(name, write=True).pipeline(transaction=True)
        pipeline.set(name, start, nx=True)
        pipeline.incr(name)
        started, value = pipeline.execute()
        return bool(started), value

    return _on_redis(cache, call)


def settle_shared(cache):
    """After writing tracked keys: one more round trip to Redis. Redis has then written the change's invalidation
    pushes to every process that keeps those keys, so a request that any of them serves after the writer's
    answer no longer uses the old value. Raises SharedCacheUnavailable like shared_call."""
    if isinstance(cache, ResilientRedisCache):
        _on_redis(cache, lambda: cache._cache.get_client(write=True).ping())


def cache_is_available(cache):
    """Whether the cache's shared store answers: Redis's ping, or a round trip through any other backend."""
    if isinstance(cache, ResilientRedisCache):
        return cache.is_available()
    probe = "kochi_kyosei:cache-probe"
    try:
        cache.set(probe, 1, timeout=10)
        return cache.get(probe) == 1
    except Exception:  # noqa: BLE001 - any failure means "not available" on the dashboard
        return False


def create_cache_tables(**kwargs):
    """post_migrate: `migrate` also creates the database cache's table, so every place that migrates
    (make run, the Dockerfile, CI) has it; a no-op for other backends."""
    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)

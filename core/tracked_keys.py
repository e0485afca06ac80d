"""A few small Redis keys held in each process, and dropped the moment Redis says they changed.

A page-cache hit needs the generation and its page's tag versions (core/page_cache.py). Read from Redis, that
round trip was most of a hit's time (docs/performance.md). Redis's client-side caching tells a process when a
key it holds changes, so the process can keep the values between requests and still never use an old one:

- Each process keeps one connection of its own in RESP3 with `CLIENT TRACKING ON BCAST PREFIX ...`. Redis then
  pushes an `invalidate` message on that connection for every change of a key under those prefixes (a set, a
  delete, an eviction; a FLUSHDB pushes "everything"), whoever made it.
- Before every use, the process reads what has arrived on that connection (a non-blocking read: a few µs) and
  drops what changed. A value read from Redis is kept only if no change arrived while it was being read.
- A writer does one more round trip after its change (core.cache.settle_shared()). Redis writes every push of
  a change before it reads a later command, so once that round trip is back, the pushes are in the readers'
  sockets. The writer answers its visitor only after that. So a request sent after that answer finds the change
  already in its process's socket, and the next read there drops the old value.
- Kept values are used only while the connection is known to be alive: a PING goes out at most every
  PING_EVERY seconds, and values are used only within TRUST_SECONDS of the last PONG. A PONG comes after every
  push sent before it, so once it has been read nothing older is pending. A closed connection (Redis restarted,
  the connection killed) drops everything. The process reconnects at most every RETRY_SECONDS, and until then
  every read goes to Redis, as before.

What this cannot promise: across machines, a push that the network delays (a lost packet waiting for TCP to send
it again) while the writer's answer and the visitor's next request both get through. Values are then used for at
most TRUST_SECONDS after the last PONG. On one machine (`make run`, a single container), loopback has no such
delay.
"""

import logging
import os
import threading
import time

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# A PING on the tracking connection at most this often while requests come (none while the process is idle).
PING_EVERY = 0.25
# Kept values are used only this long after the last PONG: the connection has answered recently, so the pushes
# sent before that answer have been read.
TRUST_SECONDS = 1.0
# After a failure to connect, reads go to Redis for this long before the next try.
RETRY_SECONDS = 5.0

_INVALIDATED = object()


class TrackedKeys:
    """This process's copy of the keys of `cache` (a Django RedisCache) under `prefixes` (keys before Django's
    key function: "page-cache:tag:"), kept by Redis's invalidation pushes. Thread-safe."""

    def __init__(self, cache, prefixes):
        self._cache = cache
        self._prefixes = tuple(prefixes)
        self._raw_prefixes = [cache.make_key(prefix) for prefix in prefixes]
        self._lock = threading.Lock()
        self._values = {}
        self._connection = None
        self._pid = None
        # Changes seen since this process started: a value read from Redis is kept only if none came meanwhile.
        self._changes = 0
        self._last_pong = None
        self._ping_sent = None
        self._retry_at = 0.0

    def tracks(self, key):
        return key.startswith(self._prefixes)

    def get_many(self, keys, read):
        """{key: value} for `keys`: the tracked ones held here and unchanged, the rest by `read(missing)` (a
        get_many on Redis itself, which may raise); tracked values so read are kept for the next request."""
        with self._lock:
            usable = self._refresh()
            seen = self._changes
            found = {}
            if usable:
                for key in keys:
                    value = self._values.get(self._cache.make_key(key))
                    if value is not None:
                        found[key] = value
        missing = [key for key in keys if key not in found]
        if not missing:
            return found
        read_now = read(missing)
        with self._lock:
            if self._refresh() and self._changes == seen:
                for key in missing:
                    value = read_now.get(key)
                    if value is not None and self.tracks(key):
                        self._values[self._cache.make_key(key)] = value
        found.update(read_now)
        return found

    def forget(self):
        """Drop every kept value (the cache emptied by this process, page_cache.clear_local())."""
        with self._lock:
            self._drop()

    # --- the tracking connection (called with the lock held) ---

    def _refresh(self):
        """Read what has arrived; whether kept values may be used now."""
        now = time.monotonic()
        if self._pid != os.getpid():
            # A forked worker shares its parent's socket: it must have its own connection.
            self._connection = None
            self._pid = os.getpid()
            self._drop()
        if self._connection is None and not self._connect(now):
            return False
        try:
            while self._connection.can_read(timeout=0):
                try:
                    reply = self._connection.read_response(push_request=True, timeout=0, disconnect_on_error=False)
                except TimeoutError:
                    break  # the rest of a message is still on its way
                if reply == b"PONG":
                    self._last_pong = now
                    self._ping_sent = None
            if self._ping_sent is None and now - self._last_pong >= PING_EVERY:
                self._connection.send_command("PING")
                self._ping_sent = now
        except (RedisError, OSError) as error:
            logger.warning("Redis tracking connection lost (%s); reading from Redis until it is back", error)
            self._disconnect(now)
            return False
        return now - self._last_pong < TRUST_SECONDS

    def _connect(self, now):
        if now < self._retry_at:
            return False
        pool = self._cache._cache._get_connection_pool(True)
        connection = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        try:
            connection.connect()
            connection._parser.set_invalidation_push_handler(self._invalidated)
            prefixes = [part for prefix in self._raw_prefixes for part in ("PREFIX", prefix)]
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", *prefixes)
            answer = connection.read_response()
            if isinstance(answer, Exception):
                raise answer
            connection.send_command("PING")
            connection.read_response()
        except (RedisError, OSError) as error:
            connection.disconnect()
            logger.warning("Redis tracking connection not made (%s); reading every value from Redis", error)
            self._retry_at = now + RETRY_SECONDS
            return False
        self._connection = connection
        self._drop()
        self._last_pong = time.monotonic()
        self._ping_sent = None
        return True

    def _disconnect(self, now):
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.disconnect()
        self._drop()
        self._retry_at = now + RETRY_SECONDS

    def _drop(self):
        self._values.clear()
        self._changes += 1

    def _invalidated(self, message):
        keys = message[1]
        if keys is None:
            self._values.clear()  # FLUSHDB, FLUSHALL
        else:
            for key in keys:
                self._values.pop(key.decode() if isinstance(key, bytes) else key, None)
        self._changes += 1
        return _INVALIDATED

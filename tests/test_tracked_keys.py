"""The page cache's generation and tag versions kept in each process, told of every change by Redis itself.

Every Redis here is a real redis-server of the test's own; "another process" is a real child process that writes
as the site's writers do (the change, then one more round trip, then its answer).
"""

import shutil
import subprocess
import sys
import time

import pytest
import redis
from django.test import Client

from core import page_cache, tracked_keys
from core.cache import ResilientRedisCache, SharedCacheUnavailable, settle_shared, shared_call, shared_get_many
from pages.tests.factories import make_home
from tests.outage import CuttableProxy, free_port, redis_server

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server")

PREFIXES = ("tracked:",)
KEY = "tracked:version"

# Writes KEY (Django's key ":1:tracked:version") as an integer, which Django's Redis serializer reads back as
# one: the round trip after it is what the site's writers do (settle_shared) before they answer anyone.
WRITER = """
import sys, redis
client = redis.Redis(port=int(sys.argv[1]))
for line in sys.stdin:
    client.set(":1:tracked:version", int(line))
    client.ping()
    print(int(line), flush=True)
"""


def backend(port):
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"pause_after_failure": 0}})


def read(cache):
    return shared_get_many(cache, [KEY], PREFIXES).get(KEY)


def reads(port):
    """How many GET and MGET commands Redis has answered."""
    stats = redis.Redis(port=port).info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


@pytest.fixture
def port():
    """The port of a redis-server of this test's own."""
    number = free_port()
    with redis_server(number):
        yield number


@pytest.fixture
def cache(port):
    """The site's Redis cache on that server, with KEY set to "v1" and read once (so this process keeps it)."""
    cache = backend(port)
    shared_call(cache, "set", KEY, "v1", None)
    assert read(cache) == "v1"
    return cache


def test_a_kept_value_is_read_without_asking_redis(port, cache):
    before = reads(port)
    assert all(read(cache) == "v1" for _ in range(200))
    assert reads(port) == before


def test_a_change_by_another_process_is_seen_by_the_first_read_after_its_answer(port):
    """The promise the page cache rests on: once a writer has answered, no process uses the old value. The
    child changes the key and answers; the parent, which holds the old value, reads at once, 300 times."""
    cache = backend(port)
    shared_call(cache, "set", KEY, 0, None)
    assert read(cache) == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        seen = []
        for number in range(1, 301):
            writer.stdin.write(f"{number}\n")
            writer.stdin.flush()
            assert writer.stdout.readline().strip() == str(number)
            seen.append(read(cache))
    finally:
        writer.stdin.close()
        writer.wait(timeout=10)
    assert seen == list(range(1, 301))
    before = reads(port)
    assert read(cache) == 300
    assert reads(port) == before, "the last value was not kept"


def test_an_emptied_redis_leaves_nothing_kept(port, cache):
    other = redis.Redis(port=port)
    other.flushdb()
    other.ping()
    assert read(cache) is None


def test_a_lost_tracking_connection_drops_what_was_kept(port, cache):
    """Redis can no longer tell this process of a change once the connection is gone (a restart, a kill): what
    was kept must not be used, and reads go to Redis until a new connection is made."""
    other = redis.Redis(port=port)
    tracking = [client for client in other.client_list() if "t" in client["flags"]]
    assert len(tracking) == 1, tracking
    other.client_kill_filter(_id=tracking[0]["id"])
    other.set(":1:" + KEY, 2)  # a change nobody can tell this process of now
    assert read(cache) == 2
    assert read(cache) == 2


def test_a_silent_network_stops_kept_values_within_the_trust_window(monkeypatch):
    """A network that passes nothing and closes nothing: no push, no PONG. Kept values are then used at most
    TRUST_SECONDS after the last PONG; after that every read goes to Redis, which cannot be reached."""
    monkeypatch.setattr(tracked_keys, "TRUST_SECONDS", 0.5)
    monkeypatch.setattr(tracked_keys, "PING_EVERY", 0.1)
    port = free_port()
    with redis_server(port):
        proxy = CuttableProxy(port)
        cache = backend(proxy.port)
        shared_call(cache, "set", KEY, "v1", None)
        assert read(cache) == "v1"
        proxy.hold()
        try:
            redis.Redis(port=port).set(":1:" + KEY, 2)  # straight to Redis: the push is held in the network
            time.sleep(0.7)
            with pytest.raises(SharedCacheUnavailable):
                read(cache)
        finally:
            proxy.release()
            proxy.cut()


def test_turned_off_every_read_asks_redis(port, cache, settings):
    settings.REDIS_TRACKING = False
    before = reads(port)
    for _ in range(20):
        assert read(cache) == "v1"
    assert reads(port) - before == 20


@pytest.mark.django_db
def test_a_stored_page_is_served_without_asking_redis_and_a_change_reaches_it(port, page_cache_on, settings):
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    page_cache.clear_local()
    make_home()
    client = Client()
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    before = reads(port)
    for _ in range(20):
        assert client.get("/").headers["X-Page-Cache"] == "hit"
    assert reads(port) == before, "hits still read the generation from Redis"

    # Another process replaces the generation as a writer does (the change, then one more round trip).
    other = backend(port)
    shared_call(other, "set", page_cache.GENERATION_KEY, "from-another-process", None)
    settle_shared(other)
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"

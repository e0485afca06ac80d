"""The per-address limit works on the Redis cache production uses, not only the memory cache."""

import os
import socket

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from declarations import ratelimit

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up():
    host, port = "127.0.0.1", 6379
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_limit_counts_per_address_in_redis():
    settings_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(CACHES=settings_cache, DECLARATIONS_RATE_LIMITS={"submit": (2, 60)}):
        caches["default"].delete_many(
            [f"declarations:ratelimit:submit:{address}" for address in ("192.0.2.1", "192.0.2.2")]
        )
        first = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
        other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.2")
        assert [ratelimit.hit(first, "submit") for _ in range(3)] == [True, True, False]
        assert ratelimit.hit(other, "submit")
        # The count expires with its window: an address is never blocked for good.
        key = caches["default"].make_key("declarations:ratelimit:submit:192.0.2.1")
        assert 0 < redis.Redis.from_url(REDIS_URL).ttl(key) <= 60
        caches["default"].delete_many(
            [f"declarations:ratelimit:submit:{address}" for address in ("192.0.2.1", "192.0.2.2")]
        )


def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ratelimit.client_address(request) == "192.0.2.1"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote():
    # The client wrote 198.51.100.7 itself; our proxy appended the address it really saw.
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert ratelimit.client_address(request) == "203.0.113.9"
    two_applicants = [
        RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
        for address in ("203.0.113.9", "203.0.113.10")
    ]
    assert {ratelimit.client_address(request) for request in two_applicants} == {"203.0.113.9", "203.0.113.10"}

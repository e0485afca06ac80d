"""The site's one rate-limit mechanism (core/ratelimit.py), shared by the register and the feedback box."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from core import ratelimit


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address, **meta):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


def test_hit_allows_up_to_the_limit_per_key():
    assert [ratelimit.hit("test:a", 2, 60) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("test:b", 2, 60)


def test_the_hashed_key_is_stable_per_client_differs_between_clients_and_holds_no_address():
    first = ratelimit.hashed_address_key(request_from("192.0.2.1"))
    assert first == ratelimit.hashed_address_key(request_from("192.0.2.1"))
    assert first != ratelimit.hashed_address_key(request_from("192.0.2.2"))
    assert "192" not in first and len(first) == 32


def test_the_hash_depends_on_the_secret_key_so_a_table_of_addresses_cannot_reverse_it():
    key = ratelimit.hashed_address_key(request_from("192.0.2.1"))
    with override_settings(SECRET_KEY="another-secret-for-tests"):
        assert ratelimit.hashed_address_key(request_from("192.0.2.1")) != key


@override_settings(TRUSTED_PROXIES=1)
def test_behind_our_proxy_the_address_it_saw_is_hashed():
    one = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    other = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert ratelimit.hashed_address_key(one) != ratelimit.hashed_address_key(other)

"""The client address rule (core/client_ip.py): what behind our proxy counts as the client, and
that a forwarded entry which is not an address never becomes one."""

import pytest
from django.test import RequestFactory

from core.client_ip import address_or_none, client_address

PROXY = "10.0.0.2"

# Nothing our proxies write: each is treated as absent, so the proxy's own connection counts.
NOT_ADDRESSES = [
    "evil",
    "unknown",
    "1.2.3.4:8080",
    "[::1]",
    "[2001:db8::1]:443",
    "fe80::1%eth0",
    "192.0.2.300",
    "01.2.3.4",
    "1.2.3.4 5.6.7.8",
    "x" * 10_000,
    "\x00",
]


def forwarded(value, remote=PROXY):
    return RequestFactory().post("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=value)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXIES = 1


@pytest.mark.usefixtures("one_proxy")
@pytest.mark.parametrize("value", NOT_ADDRESSES)
def test_a_forwarded_entry_that_is_not_a_bare_address_is_treated_as_absent(value):
    assert client_address(forwarded(value)) == PROXY
    assert client_address(forwarded(f"198.51.100.7, {value}")) == PROXY


@pytest.mark.usefixtures("one_proxy")
@pytest.mark.parametrize("value", ["", ",", " , ,"])
def test_an_empty_header_or_empty_entries_leave_the_proxy_address(value):
    assert client_address(forwarded(value)) == PROXY


@pytest.mark.usefixtures("one_proxy")
def test_an_empty_entry_written_by_the_client_does_not_shift_which_entry_is_believed():
    assert client_address(forwarded(", 198.51.100.7,, 203.0.113.9")) == "203.0.113.9"


@pytest.mark.usefixtures("one_proxy")
@pytest.mark.parametrize(
    ("value", "client"),
    [
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1 ", "192.0.2.1"),
    ],
)
def test_equivalent_spellings_of_an_address_are_one_client(value, client):
    assert client_address(forwarded(value)) == client


def test_behind_two_proxies_the_entry_the_outer_one_appended_counts(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_address(forwarded("evil, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    # The outer proxy's place holds something it would not write: the inner proxy's view counts.
    assert client_address(forwarded("198.51.100.7, evil, 10.0.0.9")) == PROXY


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(forwarded("198.51.100.7")) == PROXY


def test_a_connection_without_an_address_is_unknown_and_axes_gets_none():
    request = RequestFactory().post("/", REMOTE_ADDR="")
    assert client_address(request) == "unknown"
    assert address_or_none(request) is None

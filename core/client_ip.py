"""The client's address, the one rule every per-address limit uses (the application form, staff login).

REMOTE_ADDR, or behind TRUSTED_PROXIES proxies of ours the address the outermost of them saw. The client
can write anything into X-Forwarded-For, so only the entries our own proxies appended (the last
TRUSTED_PROXIES ones) are believed; without proxies the header is ignored.

Our proxies (nginx's $proxy_add_x_forwarded_for, Varnish's client.ip) append a bare address. An entry in
that place that is not one (a name, "unknown", "1.2.3.4:8080", "[::1]:443", garbage) did not come from
them: the request reached us another way or a proxy is set up wrongly, so it is treated as absent and
the address that connected to us counts. Ports are not stripped: an unbracketed IPv6 address ends in
what looks like one, and a form we do not expect from our own proxies is not believed. Addresses are
written one way (ipaddress's), so 2001:DB8::1 and 2001:db8:0:0::1, or ::ffff:192.0.2.1 and 192.0.2.1,
are one client, and what django-axes stores fits its IP address column (inet on PostgreSQL).
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def normalised(text):
    """The address written one way, or None when the text is not a bare IPv4 or IPv6 address."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        return None  # fe80::1%eth0 names a link on the proxy's machine, not a client
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return str(address)


def client_address(request):
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            address = normalised(forwarded[-proxies])
            if address:
                return address
    return normalised(request.META.get("REMOTE_ADDR", "")) or UNKNOWN


def address_or_none(request):
    """The same address for django-axes, which stores it in an IP address column: None when unknown
    (a request made in code, such as the test client's force_login), never the placeholder text."""
    address = client_address(request)
    return None if address == UNKNOWN else address

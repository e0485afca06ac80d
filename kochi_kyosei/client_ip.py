"""The client's address, the one rule every per-address limit uses (the application form, staff login).

REMOTE_ADDR, or behind TRUSTED_PROXIES proxies of ours the address the outermost of them saw. The client
can write anything into X-Forwarded-For, so only the entries our own proxies appended (the last
TRUSTED_PROXIES ones) are believed; without proxies the header is ignored.
"""

from django.conf import settings


def client_address(request):
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_or_none(request):
    """The same address for django-axes, which stores it in an IP address column: None when unknown
    (a request made in code, such as the test client's force_login), never the placeholder text."""
    address = client_address(request)
    return None if address == "unknown" else address

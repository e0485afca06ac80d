"""Per-client limits on public POSTs (the application form, the feedback box), counted in Django's cache.

The cache is Redis in production (settings choose it when REDIS_URL is set), so a count is shared by
every worker; elsewhere it is the per-process memory cache. None of the public forms has a CAPTCHA,
because a CAPTCHA shuts out screen-reader users: these limits stand in for it.

`hit(key, allowed, window)` counts under any key. `address_key(request)` names the client by its address
(`client_address`); `hashed_address_key(request)` by a keyed hash of it, for a form that promises to
keep no address: even the cache then holds nothing that names the client.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from core.client_ip import client_address


def hit(key, allowed, window):
    """Count one request under `key` (expires `window` seconds after the first); False once over `allowed`."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= allowed


def address_key(request):
    return client_address(request)


def hashed_address_key(request):
    """The client's address as a keyed hash: the same client gets the same key, and the key gives no address
    back (the secret key stops a dictionary of the 2**32 IPv4 addresses from reversing it)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]

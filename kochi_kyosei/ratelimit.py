"""A per-address limit on a public form, counted in Django's cache (Redis in production, shared by every
worker; memory while Redis is down). Forms have no CAPTCHA, which shuts out screen-reader users: a
limit like this stands in for it. declarations/ratelimit.py keeps the register form's own limits."""

from django.core.cache import cache

from kochi_kyosei.client_ip import client_address


def hit(request, key, allowed, window):
    """Count one request under `key` for the client's address; False once `allowed` per `window` s is passed."""
    cache_key = f"ratelimit:{key}:{client_address(request)}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= allowed

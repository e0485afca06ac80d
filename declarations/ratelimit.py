"""A per-address limit on the application form, kept in Django's cache.

The cache is Redis in production (settings choose it when REDIS_URL is set), so the count is shared
by every worker; elsewhere it is the per-process memory cache. The form has no CAPTCHA, because a
CAPTCHA shuts out screen-reader users: this limit and the honeypot field stand in for it.
"""

from django.conf import settings
from django.core.cache import cache

from kochi_kyosei.client_ip import client_address

# scope → (requests allowed, window in seconds). Settings may override each with DECLARATIONS_RATE_LIMITS.
DEFAULT_LIMITS = {
    # Every POST of the form (typing errors included): stops a robot hammering the first step.
    "form": (30, 60 * 60),
    # Applications actually submitted from one address.
    "submit": (5, 60 * 60),
}


def limits():
    return {**DEFAULT_LIMITS, **getattr(settings, "DECLARATIONS_RATE_LIMITS", {})}


def hit(request, scope):
    """Count one request in `scope` for the client's address; False once the limit is passed."""
    allowed, window = limits()[scope]
    key = f"declarations:ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= allowed


def retry_after(scope):
    return limits()[scope][1]

"""A per-address limit on the application form, counted by the site's one mechanism (`core.ratelimit`).

The form has no CAPTCHA, because a CAPTCHA shuts out screen-reader users: this limit and the honeypot
field stand in for it.
"""

from django.conf import settings

from core import ratelimit
from core.client_ip import client_address  # noqa: F401 (the tests read the rule from here)

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
    return ratelimit.hit(f"declarations:ratelimit:{scope}:{ratelimit.address_key(request)}", allowed, window)


def retry_after(scope):
    return limits()[scope][1]

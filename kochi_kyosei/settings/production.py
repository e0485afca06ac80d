"""Production: HTTPS hardening on top of base; refuses to start without its secrets.

LOCAL_HTTP=1 lets `make run` serve the same settings over plain http on 127.0.0.1.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment (50 or more random characters) for production."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")

_https = not env_bool("LOCAL_HTTP", False)
# Read by the public-address deploy check: loopback is right only for `make run`.
LOCAL_HTTP = not _https
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = 31_536_000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True

# Deploy checks of this project (`manage.py check --deploy`): the public address.
import core.checks  # noqa: E402, F401

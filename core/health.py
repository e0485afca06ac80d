"""/health/ for the load balancer: 200 when the site can serve, 503 when it cannot; JSON, no secrets.

Checks are registered by name: the project's own (database, cache, free disk) here, and each app
registers what only it knows from its AppConfig.ready() (declarations: mail waiting in the outbox), so
this module imports no app. A check returns (ok, detail) with a short detail for people, and must not
raise; one that raises counts as failed. The background worker's heartbeat is the slot WORKER_CHECK,
which core.scheduling registers (reported, not critical).

Answered from the first middleware, before the host check, the HTTPS redirect and sessions, because a
load balancer asks by address over plain HTTP.
"""

import logging
import shutil
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse

from core.cache import cache_is_available

logger = logging.getLogger("kochi_kyosei.health")

HEALTH_PATH = "/health/"
WORKER_CHECK = "worker"
_checks = {}


def register(name, check, critical=True):
    """Add a check. A non-critical one is reported but never turns the answer into 503 (a mail backlog
    is for people to look at; the site still serves)."""
    _checks[name] = (check, critical)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "ok"


def check_cache():
    if not cache_is_available(caches["default"]):
        return False, "unreachable: pages are served uncached, limits counted per process"
    return True, "ok"


def check_disk():
    free = shutil.disk_usage(settings.MEDIA_ROOT).free
    minimum = settings.HEALTH_MIN_FREE_DISK_MB * 1024 * 1024
    return free >= minimum, f"{free // (1024 * 1024)} MB free"


register("database", check_database)
# The site serves without its shared cache (core/cache.py falls back to memory), so a cache outage is
# reported for people, not a reason for the load balancer to take every server out at once.
register("cache", check_cache, critical=False)
register("disk", check_disk)


def run_checks():
    results = {}
    healthy = True
    for name, (check, critical) in _checks.items():
        started = time.monotonic()
        try:
            ok, detail = check()
        except Exception as error:  # a failing dependency is a result, never a 500
            ok, detail = False, type(error).__name__
            logger.warning("health check %s failed: %s", name, type(error).__name__)
        results[name] = {"ok": bool(ok), "detail": detail, "ms": round((time.monotonic() - started) * 1000)}
        if critical and not ok:
            healthy = False
        elif not critical:
            results[name]["critical"] = False
    return healthy, results


def health(request):
    healthy, results = run_checks()
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results}, status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)

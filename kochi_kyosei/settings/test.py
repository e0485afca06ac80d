"""The test suite: fast hashing, mail kept in memory, media in a throw-away folder."""

import os
import tempfile
import urllib.parse

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kyosei-test-media-"))  # noqa: F405
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kyosei-test-private-media-"))  # noqa: F405
STORAGES["logos"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# Tests render templates without running collectstatic first.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the apps' folders as they are, without collectstatic (no staticfiles/ yet).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each test process keeps its own cache, unless REDIS_URL asks for the production backend.
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif os.environ.get("PYTEST_XDIST_WORKER"):
    # Tests empty the cache (cache.clear() is Redis' FLUSHDB), so parallel workers (`pytest -n`) must not
    # share a Redis db: worker gwN takes the db N above the one REDIS_URL names. Written back to the
    # environment so the tests' own Redis clients and subprocesses use the same db.
    _redis = urllib.parse.urlsplit(os.environ["REDIS_URL"])
    _redis_db = int(_redis.path.strip("/") or 0) + int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    if _redis_db > 15:
        raise ImproperlyConfigured(f"pytest worker {os.environ['PYTEST_XDIST_WORKER']} needs Redis db {_redis_db}")
    os.environ["REDIS_URL"] = urllib.parse.urlunsplit(_redis._replace(path=f"/{_redis_db}"))
    CACHES["default"]["LOCATION"] = os.environ["REDIS_URL"]  # noqa: F405
# The full-page cache is off for the suite: a test's data is rolled back without a commit, so a page
# stored in one test would outlive it. tests/test_page_cache.py turns it on where it is the subject.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", False)  # noqa: F405
# The same for the site frame each process keeps (pages/site_context.py); its own tests turn it on.
SITE_FRAME_CACHE = env_bool("SITE_FRAME_CACHE", False)  # noqa: F405
# Background tasks run at once, inside the request that enqueues them, so the suite stays synchronous;
# the tests of the worker itself switch to the database backend (tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

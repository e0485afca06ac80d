"""The browser tests' live server runs the test settings: they must send what production sends.

Production adds only the HTTPS hardening (redirect, secure cookies, HSTS), which a plain-http live
server cannot use; the middleware, the Referrer-Policy and the CSRF failure page are the same.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SAME_IN_TESTS = [
    "MIDDLEWARE",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CSRF_FAILURE_VIEW",
    "CSRF_USE_SESSIONS",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
]


def production_settings():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SAME_IN_TESTS!r}}}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kochi_kyosei.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "kyosei.example.jp",
    }
    env.pop("DATABASE_URL", None)
    root = Path(__file__).resolve().parent.parent
    output = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def test_the_browser_tests_run_with_the_production_middleware_and_headers():
    production = production_settings()
    for name in SAME_IN_TESTS:
        tested = getattr(settings, name)
        assert json.loads(json.dumps(tested)) == production[name], name
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["CSRF_FAILURE_VIEW"] == "kochi_kyosei.views.csrf_failure"

"""The settings refuse to run production without secrets, and production passes check --deploy."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # A clean environment as a deployment has it: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in
    # this process, which check --deploy rightly refuses.
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "LOCAL_HTTP", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="kochi_kyosei.settings.production", ALLOWED_HOSTS="x.jp")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="kochi_kyosei.settings.production", SECRET_KEY="short", ALLOWED_HOSTS="x.jp"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="kochi_kyosei.settings.production", SECRET_KEY=secrets.token_urlsafe(64)
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="kochi_kyosei.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kyosei.example.jp",
        # The public-address check refuses the loopback default; no database here, so no Site row to compare.
        WAGTAILADMIN_BASE_URL="https://kyosei.example.jp",
        DATABASE_URL="sqlite:///" + os.path.join(tempfile.mkdtemp(), "empty.sqlite3"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_base_settings_are_safe_by_default():
    from kochi_kyosei.settings import base

    assert base.DEBUG is False
    assert base.LANGUAGE_CODE == "ja"
    assert base.TIME_ZONE == "Asia/Tokyo"
    assert "*" not in base.ALLOWED_HOSTS

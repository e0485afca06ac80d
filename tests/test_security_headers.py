"""Security headers: the strict public CSP, the admin's own policy, Permissions-Policy, and the score
the production settings earn on Mozilla HTTP Observatory's scale (tests/tools/observatory.py)."""

import importlib
import io
import re
import sys

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from pages.tests.factories import make_home
from tests.tools import observatory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_security(monkeypatch):
    """The security settings exactly as kochi_kyosei/settings/production.py sets them for HTTPS."""
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "kyosei.example.jp")
    monkeypatch.setenv("LOCAL_HTTP", "0")
    # Import base and production afresh with that environment, then put the test settings' base back.
    base = sys.modules.pop("kochi_kyosei.settings.base")
    try:
        production = importlib.import_module("kochi_kyosei.settings.production")
    finally:
        sys.modules.pop("kochi_kyosei.settings.production", None)
        sys.modules["kochi_kyosei.settings.base"] = base
    names = [
        name
        for name in dir(production)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "CSP_", "X_FRAME")) and name.isupper()
    ]
    with override_settings(**{name: getattr(production, name) for name in names}):
        yield Client(HTTP_HOST="testserver")


def scored(response):
    cookies = [morsel.OutputString() for morsel in response.cookies.values()]
    return observatory.score(response.headers, cookies, response.content.decode(), "testserver")


def test_the_production_home_page_scores_at_least_110_over_https(production_security):
    make_home()
    response = production_security.get("/", secure=True)
    assert response.status_code == 200
    total, results = scored(response)
    assert total >= 110, results
    assert ("csp-implemented-with-no-unsafe-default-src-none", 10) in results


def test_the_production_form_with_its_csrf_cookie_scores_at_least_110(production_security):
    make_home()
    response = production_security.get("/declarations/apply/", secure=True)
    total, results = scored(response)
    assert total >= 110, results
    assert results[1] == ("cookies-secure-with-httponly-sessions-and-samesite", 5)


def test_plain_http_is_redirected_to_https_on_the_same_host(production_security):
    response = production_security.get("/declarations/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/declarations/"


def test_public_pages_allow_nothing_inline_and_nothing_from_elsewhere(client):
    make_home()
    policy = observatory.parse_csp(client.get("/")["Content-Security-Policy"])
    assert policy["default-src"] == {"'none'"}
    for directive in ("script-src", "style-src", "img-src", "connect-src", "form-action"):
        assert policy[directive] == {"'self'"}, directive
    assert policy["frame-ancestors"] == {"'self'"}
    assert policy["base-uri"] == {"'none'"}


def test_the_admin_has_its_own_policy_that_still_forbids_other_origins(client):
    header = client.get("/admin/login/")["Content-Security-Policy"]
    policy = observatory.parse_csp(header)
    assert "'unsafe-inline'" in policy["script-src"]  # Wagtail's own inline scripts
    assert policy["object-src"] == {"'none'"}
    assert all(
        source in {"'self'", "'unsafe-inline'", "data:", "blob:", "'none'"} for s in policy.values() for source in s
    )


def test_every_response_denies_powerful_browser_features(client):
    make_home()
    for url in ("/", "/admin/login/", "/declarations/register.json"):
        permissions = client.get(url)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in permissions, (url, feature)


def test_csp_can_be_tried_as_report_only(client, settings):
    settings.CSP_REPORT_ONLY = True
    with override_settings(CSP_REPORT_ONLY=True):
        response = Client().get("/admin/login/")
    assert "Content-Security-Policy-Report-Only" in response.headers
    assert "Content-Security-Policy" not in response.headers


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)


def test_public_pages_have_no_inline_style_or_script(client):
    """What the strict policy would block: style attributes, <style> and executable inline <script>."""
    call_command("load_initial_content", stdout=io.StringIO())
    call_command("load_founding_declarants", stdout=io.StringIO())
    urls = ["/", "/declaration/", "/events/", "/pamphlets/", "/declarations/", "/declarations/1/"]
    urls += ["/declarations/apply/", "/search/?q=共生", "/accessibility/", "/no-such-page/"]
    for url in urls:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert not INLINE_SCRIPT.search(html), url
        assert not re.search(r"\son[a-z]+=", html), url

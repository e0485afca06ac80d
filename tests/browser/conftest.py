"""Fixtures for tests that drive Debian's Chromium against the site on a live server.

Usage:

    pytestmark = pytest.mark.browser

    def test_something(page, site_url, axe):
        page.goto(site_url + "/declarations/")
        axe(page)  # fails with a readable report when any WCAG A/AA rule is violated

`site_url` serves the site from pytest-django's live server with the initial content loaded
(`manage.py load_initial_content`) into a transactional test database, so the server thread sees
the same rows the test writes. Data made by migrations is restored after each test
(serialized rollback), so the tests that run after these still find it.
"""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from accessibility.checks import axe_violations, describe_violations, launch_chromium

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
# refuse every database query made from that thread as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies) at a desktop size; call page.set_viewport_size() to change it."""
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def site_url(live_server, transactional_db, django_db_serialized_rollback):
    """The live site's base URL (no trailing slash), with the initial content loaded."""
    call_command("load_initial_content", verbosity=0)
    return live_server.url


@pytest.fixture
def axe():
    """Assert the page as it is now has no axe-core violation of WCAG 2.0/2.1 level A or AA."""

    def check(page):
        violations = axe_violations(page)
        assert not violations, describe_violations(violations, page.url)

    return check

"""The full-page cache in Chromium: a visitor who was served stored pages still completes the application
form (its CSRF token and cookie are their own), and a reviewer's approval shows on the stored register
at once."""

import pytest
from django.core.cache import cache

from core import page_cache
from declarations.models import Declaration, Status
from declarations.tests.factories import make_moderator
from tests.browser.applicant import apply_through_the_form
from tests.browser.staff import log_in_to_admin

pytestmark = pytest.mark.browser

ORGANISATION = "株式会社キャッシュ確認商店"
# The register filtered to this organisation (the founding declarants fill its first pages).
REGISTER = "/declarations/?q=キャッシュ確認"


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache.clear_local()
    yield
    cache.clear()
    page_cache.clear_local()


def test_a_visitor_served_cached_pages_completes_the_form_and_the_approval_is_fresh(
    page, site_url, browser, page_cache_on
):
    # Another visitor's visits store the home page and the register (twice: a first visit may create
    # the site's settings rows, which invalidates).
    other = browser.new_context(locale="ja-JP")
    for path in ("/", REGISTER, "/", REGISTER):
        other.new_page().goto(site_url + path)
    other.close()

    response = page.goto(site_url + "/")
    assert response.headers["x-page-cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page.content()
    assert not [cookie for cookie in page.context.cookies() if cookie["name"] == "csrftoken"]
    response = page.goto(site_url + REGISTER)
    assert response.headers["x-page-cache"] == "hit"
    assert ORGANISATION not in page.content()

    reference = apply_through_the_form(
        page, site_url, ORGANISATION, "キャッシュのあとでも申請できることを確かめます。", "cache@example.jp"
    )
    assert Declaration.objects.get(reference_number=reference).status == Status.PENDING

    reviewer = make_moderator("cache-reviewer")
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    admin = context.new_page()
    try:
        log_in_to_admin(admin, site_url, reviewer)
        declaration = Declaration.objects.get(reference_number=reference)
        admin.goto(f"{site_url}/admin/declarations/{declaration.pk}/approve/")
        admin.get_by_role("button", name="承認する").click()
        admin.wait_for_url(site_url + "/admin/declarations/")
        # Staff on public pages are never served a stored page.
        assert admin.goto(site_url + "/").headers["x-page-cache"] == "pass"
        admin.wait_for_load_state("networkidle")
    finally:
        context.close()

    # The visitor's session (the finished application) keeps them out of the cache; a new visitor
    # gets a fresh register at once.
    fresh = browser.new_context(locale="ja-JP")
    try:
        visitor = fresh.new_page()
        response = visitor.goto(site_url + REGISTER)
        assert response.headers["x-page-cache"] == "miss"
        assert visitor.get_by_role("link", name=ORGANISATION).count() == 1
    finally:
        fresh.close()

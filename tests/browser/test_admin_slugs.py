"""In Chromium, an event titled in Japanese is created from the admin form with an ASCII URL (issue 9, item 16).

The admin's JavaScript fills the slug from the title; with unicode slugs off it leaves it empty for a
Japanese title, so only a real browser shows whether the form can still be sent.
"""

import pytest
from django.contrib.auth import get_user_model

from pages.models import EventIndexPage, EventPage

from .test_declaration_flow import log_in_to_admin

pytestmark = pytest.mark.browser


def test_an_event_with_a_japanese_title_gets_its_date_as_url(page, site_url):
    user = get_user_model().objects.create_superuser("slug-editor", "slug@example.jp", "pw-12345")
    events = EventIndexPage.objects.get()
    log_in_to_admin(page, site_url, user)

    page.goto(f"{site_url}/admin/pages/add/pages/eventpage/{events.pk}/")
    page.fill("#id_title", "地域共生社会フォーラム2026")
    page.fill("#id_start_date", "2026-03-15")
    page.click("#id_venue")  # moves focus on, which closes the date picker over the buttons
    assert page.input_value("#id_slug").isascii()
    page.get_by_role("button", name="下書きを保存").click()
    page.wait_for_url("**/edit/**")

    event = EventPage.objects.get(title="地域共生社会フォーラム2026")
    assert event.slug.isascii() and event.slug
    assert page.input_value("#id_slug") == event.slug

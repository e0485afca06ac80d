"""In Chromium, an event titled in Japanese is created from the admin form with its date as URL (issue 9, item 16;
issue 23, item 6).

The admin's JavaScript fills the slug from the title as the editor types; with unicode slugs off it used to keep
the ASCII scraps of a Japanese title (「2027年度研修」 gave /events/2027/), so only a real browser shows what
the form sends.
"""

import pytest
from django.contrib.auth import get_user_model

from pages.models import EventIndexPage, EventPage

from .test_declaration_flow import log_in_to_admin

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("title", "start_date"),
    [("地域共生社会フォーラム2026", "2026-03-15"), ("2027年度研修", "2027-05-20")],
)
def test_an_event_with_a_japanese_title_gets_its_date_as_url(page, site_url, title, start_date):
    user = get_user_model().objects.create_superuser(f"slug-editor-{start_date}", "slug@example.jp", "pw-12345")
    events = EventIndexPage.objects.get()
    log_in_to_admin(page, site_url, user)

    page.goto(f"{site_url}/admin/pages/add/pages/eventpage/{events.pk}/")
    page.type("#id_title", title)  # typed key by key, as the title-to-slug script listens to keys
    page.fill("#id_start_date", start_date)
    page.click("#id_venue")  # moves focus on, which closes the date picker over the buttons
    assert page.input_value("#id_slug") == ""  # not the digits of the title
    page.get_by_role("button", name="下書きを保存").click()
    page.wait_for_url("**/edit/**")

    event = EventPage.objects.get(title=title)
    assert event.slug == start_date
    assert page.input_value("#id_slug") == event.slug

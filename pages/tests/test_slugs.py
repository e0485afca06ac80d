"""Pages created in the admin get short ASCII URLs, even when the title is Japanese (issue 9, item 16)."""

import datetime
import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, streamfield

from pages.models import EventPage, SectionPage

from .factories import make_event_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.jp", "pass-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def events(home):
    return make_event_index(home)


def event_form(title, slug="", start_date="2026-03-15"):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "introduction": "",
            "start_date": start_date,
            "start_time": "",
            "end_date": "",
            "end_time": "",
            "venue": "高知県立県民文化ホール",
            "venue_address": "",
            "body": streamfield([]),
            "application_status": "none",
            "application_capacity": "",
            "application_deadline": "",
            "attendance_modes": "venue",
            "application_questions": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "menu_title": "",
        }
    )
    data["action-publish"] = "action-publish"
    return data


def create_event(client, events, **form):
    response = client.post(f"/admin/pages/add/pages/eventpage/{events.pk}/", event_form(**form))
    assert response.status_code == 302, response.context["form"].errors
    return EventPage.objects.latest("pk")


def test_a_japanese_title_gives_the_event_date_as_its_url(editor_client, events):
    event = create_event(editor_client, events, title="地域共生社会フォーラム")
    assert event.slug == "2026-03-15"
    assert event.url == "/events/2026-03-15/"
    assert event.url.isascii()


def test_two_events_on_one_day_get_different_urls(editor_client, events):
    first = create_event(editor_client, events, title="午前の部")
    second = create_event(editor_client, events, title="午後の部")
    assert (first.slug, second.slug) == ("2026-03-15", "2026-03-15-2")


def test_the_event_feeds_carry_the_ascii_url(editor_client, events, client):
    day = timezone.localdate() + datetime.timedelta(days=30)  # the calendar lists coming events
    create_event(editor_client, events, title="地域共生社会フォーラム", start_date=day.isoformat())
    ical = client.get("/feeds/events.ics").content.decode()
    assert f"/events/{day.isoformat()}/" in ical
    assert "%E5" not in ical


def test_an_ascii_title_gives_its_own_slug(editor_client, events):
    event = create_event(editor_client, events, title="Kochi Kyosei Forum 2026")
    assert event.slug == "kochi-kyosei-forum-2026"


def test_a_slug_the_editor_types_is_kept(editor_client, events):
    event = create_event(editor_client, events, title="地域共生社会フォーラム", slug="forum-2026")
    assert event.url == "/events/forum-2026/"


def test_a_japanese_slug_is_refused_with_the_title_kept(editor_client, events):
    response = editor_client.post(
        f"/admin/pages/add/pages/eventpage/{events.pk}/", event_form(title="フォーラム", slug="フォーラム")
    )
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert 'value="フォーラム"' in response.content.decode()
    assert not EventPage.objects.exists()


def test_other_page_types_get_page_and_the_date(editor_client, home):
    data = nested_form_data(
        {
            "title": "研修",
            "slug": "",
            "introduction": "",
            "body": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "menu_title": "",
        }
    )
    data["action-publish"] = "action-publish"
    response = editor_client.post(f"/admin/pages/add/pages/sectionpage/{home.pk}/", data)
    assert response.status_code == 302
    page = SectionPage.objects.get(title="研修")
    assert page.slug.startswith("page-20")
    assert page.url.isascii()


def test_the_slug_field_is_optional_and_says_so(editor_client, events):
    html = editor_client.get(f"/admin/pages/add/pages/eventpage/{events.pk}/").content.decode()
    slug_input = html[html.index('name="slug"') - 20 : html.index('id="id_slug"')]
    assert "required" not in slug_input
    assert "空欄のときは" in html


# Issue 23, item 6: 「2027年度研修」 became /events/2027/, because the admin's script copied the title's digits
# into the slug. The browser test (tests/browser/test_admin_slugs.py) drives the script itself.


def test_the_slug_script_is_told_to_leave_a_japanese_title_alone(editor_client, events):
    html = editor_client.get(f"/admin/pages/add/pages/eventpage/{events.pk}/").content.decode()
    slug_input = html[html.rindex("<input", 0, html.index('id="id_slug"')) : html.index('id="id_slug"')]
    formatters = json.loads(unescape(re.search(r'data-w-slug-formatters-value="([^"]*)"', slug_input).group(1)))
    (pattern, flags), replacement = formatters[0]
    assert replacement == ""
    # What the script does with it (JavaScript's replaceAll with the same pattern), done here by Python's re.
    assert re.sub(pattern, replacement, "2027年度研修") == ""
    assert re.sub(pattern, replacement, "地域共生社会フォーラム2026") == ""
    assert re.sub(pattern, replacement, "Kochi Kyosei Forum 2026") == "Kochi Kyosei Forum 2026"


def test_an_event_titled_with_a_year_gets_its_date_not_the_year(editor_client, events):
    event = create_event(editor_client, events, title="2027年度研修", start_date="2027-05-20")
    assert event.url == "/events/2027-05-20/"

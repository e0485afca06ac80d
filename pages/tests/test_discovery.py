"""What calendars, feed readers, search engines and link previews get from the site."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from declarations.models import Status

from .search_helpers import make_declaration, make_event, make_page

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def unfold(ics_text):
    return ics_text.replace("\r\n ", "")


def test_an_event_as_an_icalendar_file(client):
    event = make_event(
        "高知家地域共生社会フォーラム",
        start_date=datetime.date(2022, 10, 30),
        start_time=datetime.time(13, 30),
        end_time=datetime.time(16, 0),
        venue="高知県立県民文化ホール",
        venue_address="高知市本町4-3-30",
    )
    response = client.get(f"/feeds/events/{event.pk}.ics")
    text = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    lines = unfold(text).split("\r\n")
    assert "SUMMARY:高知家地域共生社会フォーラム" in lines
    # 13:30 to 16:00 Japan time, the zone defined in the file (the hand-written file gave the same
    # moments in UTC: DTSTART:20221030T043000Z, DTEND:20221030T070000Z).
    assert "DTSTART;TZID=Asia/Tokyo:20221030T133000" in lines
    assert "DTEND;TZID=Asia/Tokyo:20221030T160000" in lines
    assert "X-WR-TIMEZONE:Asia/Tokyo" in lines
    timezone_block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "TZID:Asia/Tokyo" in timezone_block and "TZOFFSETTO:+0900" in timezone_block
    assert "LOCATION:高知県立県民文化ホール、高知市本町4-3-30" in lines
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_an_all_day_event_ends_the_day_after_its_last_day(client):
    event = make_event("フェスタ", start_date=datetime.date(2023, 10, 7), end_date=datetime.date(2023, 10, 8))
    lines = unfold(client.get(f"/feeds/events/{event.pk}.ics").content.decode()).split("\r\n")
    assert "DTSTART;VALUE=DATE:20231007" in lines
    assert "DTEND;VALUE=DATE:20231009" in lines


def test_commas_and_semicolons_in_text_are_escaped(client):
    event = make_event("講演会; 質疑, 交流", start_date=in_days(3))
    text = unfold(client.get(f"/feeds/events/{event.pk}.ics").content.decode())
    assert "SUMMARY:講演会\\; 質疑\\, 交流" in text


def test_long_japanese_lines_are_folded_between_characters(client):
    title = "高知家地域共生社会推進フォーラム、" * 6
    event = make_event(title, start_date=in_days(3), venue="高知県立県民文化ホール")
    raw = client.get(f"/feeds/events/{event.pk}.ics").content
    text = raw.decode()  # a fold inside a character would not decode
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert f"SUMMARY:{title}" in unfold(text).split("\r\n")


def test_an_unpublished_event_has_no_calendar_file(client):
    draft = make_event("準備中の行事", live=False)
    assert client.get(f"/feeds/events/{draft.pk}.ics").status_code == 404


def test_the_upcoming_calendar_lists_upcoming_events_only(client):
    make_event("来月の研修", start_date=in_days(30))
    make_event("昨年のフォーラム", start_date=in_days(-365))
    text = unfold(client.get("/feeds/events.ics").content.decode())
    assert "SUMMARY:来月の研修" in text
    assert "昨年のフォーラム" not in text


def test_the_atom_feed_has_new_events_and_published_declarations_only(client):
    make_event("見守り研修会", start_date=in_days(10))
    make_declaration("株式会社よさこい", "見守り活動", declared_on=timezone.localdate())
    make_declaration("審査待ち株式会社", "見守り", status=Status.PENDING)

    response = client.get("/feeds/atom.xml")
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "行事：見守り研修会" in titles
    assert "推進宣言：株式会社よさこい" in titles
    assert not any("審査待ち" in title for title in titles)


def test_every_page_has_a_canonical_link_and_open_graph_tags(client):
    page = make_page("研修", "気づいてつなぐ研修", search_description="研修のご案内です。")
    html = client.get(page.url).content.decode()
    assert f'<link rel="canonical" href="{page.full_url}">' in html
    assert '<meta property="og:title" content="研修">' in html
    assert '<meta property="og:description" content="研修のご案内です。">' in html
    assert '<meta property="og:locale" content="ja_JP">' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_an_event_page_describes_itself_as_a_json_ld_event(client):
    event = make_event(
        "フェスタ</script><script>alert(1)</script>",
        start_date=datetime.date(2023, 10, 7),
        start_time=datetime.time(10, 0),
        venue="かるぽーと",
    )
    html = client.get(event.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = [json.loads(script) for script in scripts]
    events = [item for item in data if item["@type"] == "Event"]
    assert len(events) == 1
    assert events[0]["name"] == "フェスタ</script><script>alert(1)</script>"
    assert events[0]["startDate"] == "2023-10-07T10:00+09:00"
    assert events[0]["location"]["name"] == "かるぽーと"


def test_the_sitemap_lists_published_declarations(client):
    published = make_declaration("株式会社くろしお", "見守り")
    pending = make_declaration("審査待ちの会", "見守り", status=Status.PENDING)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/declarations/{published.pk}/</loc>" in xml
    assert f"/declarations/{pending.pk}/</loc>" not in xml
    assert "/declarations/</loc>" in xml


def test_event_pages_link_to_their_calendar_file(client):
    event = make_event("フォーラム", start_date=in_days(5))
    html = client.get(event.url).content.decode()
    assert f'href="/feeds/events/{event.pk}.ics"' in html


def test_the_home_page_describes_the_department_as_a_government_organization(client):
    from pages.models import ContactSettings

    from .factories import make_home

    home = make_home()
    ContactSettings.objects.create(
        site=home.get_site(),
        department="高知県 子ども・福祉政策部 地域福祉政策課",
        postal_code="780-8570",
        address="高知市丸ノ内1丁目2番20号",
        email="060101@ken.pref.kochi.lg.jp",
    )
    html = client.get("/").content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    organisations = [json.loads(script) for script in scripts]
    assert [item["@type"] for item in organisations] == ["GovernmentOrganization"]
    assert organisations[0]["name"] == "高知県 子ども・福祉政策部 地域福祉政策課"
    assert organisations[0]["address"]["postalCode"] == "780-8570"
    assert organisations[0]["email"] == "060101@ken.pref.kochi.lg.jp"


# Control characters that an import or a paste stored: XML 1.0 and calendar apps cannot take them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_control_characters_stored_in_an_event_or_a_declaration_do_not_break_the_feed(client):
    make_event("見守り\x0b研修会", "本文", start_date=in_days(10), introduction="地域の\x01集い\x1b[31m")
    make_declaration("株式会社\x0bよさこい\x1b[31m", "見守り\x01活動\x85", declared_on=timezone.localdate())

    response = client.get("/feeds/atom.xml")

    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert "行事：見守り 研修会" in titles
    assert "推進宣言：株式会社 よさこい[31m" in titles
    assert not CONTROL.search(response.content.decode())


def test_control_characters_in_an_event_do_not_reach_its_calendar_file(client):
    event = make_event(
        "見守り\x0b研修会",
        start_date=in_days(10),
        introduction="地域の\x01集い\x1b[31m\x9bです。",
        venue="県民\x0bホール",
    )
    for url in (f"/feeds/events/{event.pk}.ics", "/feeds/events.ics"):
        response = client.get(url)
        text = unfold(response.content.decode())
        assert response.status_code == 200
        assert "SUMMARY:見守り 研修会" in text
        assert "DESCRIPTION:地域の集い[31mです。" in text
        assert "LOCATION:県民 ホール" in text
        assert not CONTROL.search(text)

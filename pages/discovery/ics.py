"""iCalendar (RFC 5545) files of events, written by the `icalendar` library (escaping, folding,
CRLF line ends). Times are the site's local times (settings.TIME_ZONE, Asia/Tokyo), with that
time zone defined in the file."""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from core.text import clean

PRODUCT_ID = "-//Kochi Prefecture//kochi-kyosei//JA"


def _local(day, time):
    # Editors enter an event's times as the site's local times.
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def event_component(event, url, host):
    component = Event()
    component.add("uid", f"event-{event.pk}@{host}")
    component.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    last_day = event.end_date or event.start_date
    if event.start_time:
        component.add("dtstart", _local(event.start_date, event.start_time))
        if event.end_time:
            component.add("dtend", _local(last_day, event.end_time))
    else:
        # An all-day event ends (exclusively) the day after its last day.
        component.add("dtstart", event.start_date)
        component.add("dtend", last_day + datetime.timedelta(days=1))
    # Calendar apps choke on control characters that an editor pasted from another document.
    component.add("summary", clean(event.title, multiline=False))
    location = clean("、".join(part for part in [event.venue, event.venue_address] if part), multiline=False)
    if location:
        component.add("location", location)
    description = event.search_description or event.introduction
    if description:
        component.add("description", clean(description))
    component.add("url", url)
    return component


def calendar(events_with_urls, host, name):
    """A whole VCALENDAR for (event, absolute URL) pairs, as text."""
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODUCT_ID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean(name, multiline=False))
    cal.add("x-wr-timezone", timezone.get_default_timezone_name())
    for event, url in events_with_urls:
        cal.add_component(event_component(event, url, host))
    # The VTIMEZONE of every zone the events use, so calendar apps need not know "Asia/Tokyo".
    cal.add_missing_timezones()
    return cal.to_ical().decode()

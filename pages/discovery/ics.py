"""iCalendar (RFC 5545) files of events, written directly: the format is small and fixed."""

import datetime

from django.utils import timezone

PRODUCT_ID = "-//Kochi Prefecture//kochi-kyosei//JA"


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = ""
            limit = 74  # the leading space of a continuation line counts
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(day, time):
    moment = timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_default_timezone())
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event, url, host):
    lines = ["BEGIN:VEVENT", f"UID:event-{event.pk}@{host}", f"DTSTAMP:{_utc_now()}"]
    last_day = event.end_date or event.start_date
    if event.start_time:
        lines.append(f"DTSTART:{_utc(event.start_date, event.start_time)}")
        if event.end_time:
            lines.append(f"DTEND:{_utc(last_day, event.end_time)}")
    else:
        # An all-day event ends (exclusively) the day after its last day.
        lines.append(f"DTSTART;VALUE=DATE:{event.start_date:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{last_day + datetime.timedelta(days=1):%Y%m%d}")
    lines.append(f"SUMMARY:{_escape(event.title)}")
    location = "、".join(part for part in [event.venue, event.venue_address] if part)
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    description = event.search_description or event.introduction
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += [f"URL:{url}", "END:VEVENT"]
    return lines


def _utc_now():
    return timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events_with_urls, host, name):
    """A whole VCALENDAR for (event, absolute URL) pairs, with CRLF line ends as the format requires."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Tokyo",
    ]
    for event, url in events_with_urls:
        lines += event_lines(event, url, host)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

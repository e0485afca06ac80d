"""Factories for the event application tests: an event open for applications, applications, form data."""

import datetime

from django.utils import timezone

from pages.models import ApplicationStatus, EventIndexPage
from pages.tests.factories import make_event, make_event_index, make_home

from ..models import Attendance, EventApplication


def make_open_event(capacity=10, *, days_ahead=14, deadline_in=datetime.timedelta(days=7), slug="forum", **fields):
    """A published event in `days_ahead` days taking applications until `deadline_in` from now."""
    index = EventIndexPage.objects.first()
    if index is None:
        index = make_event_index(make_home())
    fields.setdefault("application_status", ApplicationStatus.OPEN)
    fields.setdefault("application_capacity", capacity)
    fields.setdefault("application_deadline", timezone.now() + deadline_in)
    fields.setdefault("attendance_modes", "both")
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return make_event(index, slug, "地域共生フォーラム", start, venue="高知県民文化ホール", **fields)


def application(event, party_size=1, **fields):
    """An unsaved application as the form makes it."""
    values = {
        "name": "土佐 花子",
        "name_kana": "とさ はなこ",
        "email": "hanako@example.jp",
        "phone": "088-823-9097",
        "party_size": party_size,
        "attendance": Attendance.VENUE,
        "event": event,
    }
    values.update(fields)
    return EventApplication(**values)


def submit(event, party_size=1, **fields):
    applied, _ = EventApplication.objects.submit(application(event, party_size, **fields))
    return applied


def form_data(**overrides):
    data = {
        "name": "土佐 花子",
        "name_kana": "トサ ハナコ",
        "organisation": "",
        "email": "hanako@example.jp",
        "email_confirm": "hanako@example.jp",
        "phone": "０８８－８２３－９０９７",
        "party_size": "2",
        "attendance": "venue",
        "accommodations": ["captioning", "wheelchair"],
        "accommodation_details": "",
        "agree_privacy": "on",
    }
    data.update(overrides)
    return data

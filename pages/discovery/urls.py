from django.urls import path

import core.converters  # noqa: F401 (registers <id:…>)

from . import views

app_name = "discovery"

urlpatterns = [
    path("events.ics", views.upcoming_events_ics, name="upcoming_events_ics"),
    path("events/<id:pk>.ics", views.event_ics, name="event_ics"),
    path("atom.xml", views.news_feed, name="news_feed"),
]

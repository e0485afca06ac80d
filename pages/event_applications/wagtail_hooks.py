from wagtail import hooks

from .dashboard import UpcomingEventsPanel
from .viewsets import EventApplicationViewSet


@hooks.register("register_admin_viewset")
def register_event_application_viewset():
    return EventApplicationViewSet()


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    panels.append(UpcomingEventsPanel(request))

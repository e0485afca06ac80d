from wagtail import hooks

from .viewsets import EventApplicationViewSet


@hooks.register("register_admin_viewset")
def register_event_application_viewset():
    return EventApplicationViewSet()

from wagtail import hooks

from .dashboard import RecentFeedbackPanel
from .viewsets import FeedbackViewSet


@hooks.register("register_admin_viewset")
def register_feedback_viewset():
    return FeedbackViewSet()


@hooks.register("construct_homepage_panels")
def add_recent_feedback_panel(request, panels):
    panels.append(RecentFeedbackPanel(request))

from wagtail import hooks

from .viewsets import FeedbackViewSet


@hooks.register("register_admin_viewset")
def register_feedback_viewset():
    return FeedbackViewSet()

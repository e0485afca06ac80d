from django import template
from wagtail.models import Page

from pages.feedback.forms import FeedbackForm

register = template.Library()


@register.inclusion_tag("feedback/box.html")
def feedback_box(page):
    """{% feedback_box page %}: the feedback box for a live content page (any page type below the home
    page); nothing for the home page, a non-page view or a preview of an unsaved page."""
    if not isinstance(page, Page) or not page.pk or page.depth <= 2 or not page.live:
        return {"form": None}
    return {"form": FeedbackForm(initial={"page": page.pk})}

from django import template
from wagtail.models import Page

from pages.feedback.forms import FeedbackForm
from pages.feedback.registry import accepts

register = template.Library()


@register.inclusion_tag("feedback/box.html", takes_context=True)
def feedback_box(context, page):
    """{% feedback_box page %}: the feedback box for a live Wagtail page (the home page included), or for an
    address an app registered with pages.feedback.registry (the register, a centre); nothing for any other
    view (forms, the search) or a preview of an unsaved page. A template that must show none (an error
    page) overrides base.html's {% block feedback %}."""
    if isinstance(page, Page):
        if not page.pk or page.depth < 2 or not page.live:
            return {"form": None}
        return {"form": FeedbackForm(initial={"page": page.pk})}
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not accepts(match.view_name):
        return {"form": None}
    return {"form": FeedbackForm(initial={"path": request.path})}

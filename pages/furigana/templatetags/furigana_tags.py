from django import template
from django.utils.translation import get_language

from ..transform import furigana_path

register = template.Library()


@register.simple_tag(takes_context=True)
def furigana_switch(context):
    """{"url", "label"} of the link to this page with ふりがな, or without them in the ふりがな view; None
    where the address has no ふりがな view, and on the English pages (readings are for Japanese text)."""
    request = context.get("request")
    if request is None or not (get_language() or "ja").startswith("ja"):
        return None
    path = request.get_full_path()
    if getattr(request, "furigana", False):
        return {"url": path, "label": "ふりがなをはずす"}
    url = furigana_path(path)
    return {"url": url, "label": "ふりがなをつける"} if url else None

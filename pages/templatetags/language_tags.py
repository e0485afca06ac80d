"""The language switcher and the language alternates of a page (pages/languages.py)."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html_join

from core.locale import path_in_language
from pages import languages

register = template.Library()


def _view_translations(context):
    """A view's own addresses in the languages it is offered in (the register, the centre directory, the
    search, the site map): the view's, or found from its URL name; none on a Wagtail page."""
    request = context.get("request")
    if context.get("view_translations") is not None or request is None or context.get("page") is not None:
        return context.get("view_translations")
    return languages.view_translations(request)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The switcher's entries for this page: {code, name, url, current}."""
    request = context.get("request")
    if request is None:
        return []
    return languages.switcher_links(request, context.get("page"), _view_translations(context))


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """`<link rel="alternate" hreflang>` for each language the page (or a view offered in several) is in, and
    x-default (Japanese)."""
    page = context.get("page")
    request = context.get("request")
    translations = _view_translations(context)
    if translations and request is not None:
        links = languages.view_alternates(request, translations)
        return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', links)
    if page is None or not getattr(page, "translation_key", None):
        return ""
    links = languages.alternates(page, request)
    default = dict(links).get(settings.LANGUAGE_CODE)
    if default:
        links = [*links, ("x-default", default)]
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', links)


@register.simple_tag
def language_home_path():
    """The active language's home page address (`/`, `/en/`), for the error pages that render without the
    request or the database."""
    return path_in_language("/", translation.get_language() or settings.LANGUAGE_CODE)

"""Presentation helpers used across the site's templates: Japanese-era dates and file labels."""

import datetime

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

from core import era
from core.locale import content_lang
from core.sizes import format_file_size
from pages import site_context
from pages.discovery.registry import menu_links

register = template.Library()


@register.filter
def wareki(value, form="day"):
    """A date as a Japanese-era date (see `core.era.format_date`): 令和5年10月7日.

    `|wareki:"month"` gives 令和5年10月, `|wareki:"weekday"` 令和5年10月7日（土）; empty for no date. On a
    page in another language, the date as that language writes it (`core.era.format_date_in`): 9 November
    2023 in English, 2023年11月9日 in やさしい日本語.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.date):
        return value
    return era.format_date_in(value, translation.get_language() or settings.LANGUAGE_CODE, form)


@register.simple_tag
def as_written():
    """` lang="ja"` on an element that holds text kept as written (an entry's name and text, a municipality)
    on a page in another language; nothing on a Japanese page: `<h1{% as_written %}>{{ entry.name }}</h1>`."""
    lang = content_lang()
    return format_html(' lang="{}"', lang) if lang else ""


@register.filter
def document_label(document):
    """The type-and-size label the prefecture puts after a file link, computed from the file: [PDF:387KB].

    Empty when the file is missing, so a broken upload never shows a made-up size.
    """
    if document is None:
        return ""
    size = document.get_file_size()
    if size is None:
        return ""
    extension = (document.file_extension or "file").upper()
    return f"[{extension}:{format_file_size(size)}]"


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """The site's top-level sections shown in the main navigation (live, 「メニューに表示」 ticked)."""
    pages = site_context.for_request(context.get("request"))
    return pages.menu if pages is not None else []


@register.simple_tag(takes_context=True)
def main_menu_links(context):
    """The places apps add to the main navigation after the pages (the register, the centre directory), each
    with its aria-current: "page" on its own address, "true" below it (a centre, the form), else ""."""
    request = context.get("request")
    path = request.path if request is not None else ""
    links = []
    for link in menu_links():
        current = "page" if path == link.url else "true" if path.startswith(link.url) else ""
        links.append({"title": link.title, "url": link.url, "current": current})
    return links


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page):
    """The pages from the site's home down to `page` (the tree's root is never shown)."""
    if page is None or not getattr(page, "pk", None):
        return []
    pages = site_context.for_request(context.get("request"))
    if pages is None:
        return list(page.get_ancestors(inclusive=True).filter(depth__gt=1).specific())
    return pages.ancestors(page)


@register.filter
def is_in_section(page, section):
    """True when `page` is `section` or below it (for aria-current in the navigation)."""
    if page is None or not getattr(page, "url_path", None):
        return False
    return page.url_path.startswith(section.url_path)

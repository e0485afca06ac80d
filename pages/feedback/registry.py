"""Addresses outside the page tree that carry the feedback box: the register, the centre directory...

An app registers a URL name with `register(view_name, title)` from its `AppConfig.ready()`; `title` is
called with the URL's keyword arguments and returns what the address shows the public now (the page's
title), or None when it shows nothing public (a withdrawn entry, a centre that is gone), and then no
answer is taken for it. The CMS never imports the apps that register here.

The box on such a page sends the page's path; the endpoint routes it again and asks the registered
`title`, so a forged path stores nothing and the title staff read is never the visitor's.
"""

from dataclasses import dataclass, field

from django.urls import Resolver404, resolve
from django.utils import translation

from core.locale import language_from_path

_titles = {}


@dataclass(frozen=True)
class FeedbackTarget:
    """What an answer is about: its title and address, and the Wagtail page when it is one."""

    title: str
    url: str
    page: object = None
    # Breadcrumbs above the answer pages ({"title", "url"} each), after トップページ.
    trail: list = field(default_factory=list)


def register(view_name, title):
    _titles[view_name] = title


def accepts(view_name):
    return view_name in _titles


def target_for_path(path):
    """The FeedbackTarget for a path on this site that carries the box, or None."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//") or len(path) > 255:
        return None
    if any(char in path for char in "?#\\") or any(ord(char) < 0x20 for char in path):
        return None
    try:
        # Routed in the address's language, as the page was (/en/declarations/ is the English register).
        with translation.override(language_from_path(path)):
            match = resolve(path)
    except Resolver404:
        return None
    title_for = _titles.get(match.view_name)
    title = title_for(**match.kwargs) if title_for else None
    if not title:
        return None
    return FeedbackTarget(title=str(title)[:255], url=path, trail=[{"title": str(title), "url": path}])


def target_for_page(page):
    """The FeedbackTarget for a live Wagtail page (the home page included)."""
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gt=2).specific()
    trail = [{"title": getattr(ancestor, "short_title", ancestor.title), "url": ancestor.url} for ancestor in ancestors]
    return FeedbackTarget(title=page.title[:255], url=(page.get_url() or page.url_path)[:255], page=page, trail=trail)

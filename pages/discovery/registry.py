"""What content apps contribute to the sitemap, the Atom feed, robots.txt, the site map and the main menu.

The discovery views know no app: each app adds its own sitemap sections, feed sections, the
paths robots should stay out of, site map links and menu links in its `AppConfig.ready()`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from core import public_address

# /sitemap.xml's sections by name; the URLconf hands this very dict to the sitemap view, which
# reads it on every request.
SITEMAPS = {}


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    description: str
    link: str  # a path or an absolute URL
    published: datetime.datetime


@dataclass(frozen=True)
class FeedSection:
    """One kind of news in the Atom feed.

    name: what the feed's title calls it (新着の「行事」・「推進宣言」).
    summary: what the feed's subtitle calls it (「行事のお知らせ」).
    items(request, limit): its newest items, at most `limit`.
    """

    name: str
    summary: str
    items: Callable


_feed_sections: dict[str, FeedSection] = {}
_robots_disallows: dict[str, Callable] = {}


class PublicAddressSitemap:
    """Makes a sitemap's absolute URLs start with the site's public address, not the request's host."""

    def get_protocol(self, protocol=None):
        return self.protocol or public_address.scheme()

    def get_domain(self, site=None):
        return public_address.netloc()


class TranslatedSitemap:
    """For a section whose addresses exist in its `languages` (set by the section): Django lists each item
    in each of them, reversed under that language, naming the others and x-default (the Japanese one) as
    its `xhtml:link` alternates, as the pages' own hreflang links do."""

    i18n = True
    alternates = True
    x_default = True


def add_sitemap(name, sitemap):
    # Wagtail's page sitemap builds its URLs from the Site row (kept in step by sync_site_address);
    # any other section gets the public address through the mixin.
    SITEMAPS[name] = type(sitemap.__name__, (PublicAddressSitemap, sitemap), {})


def add_feed_section(section):
    _feed_sections[section.name] = section


def feed_sections():
    return list(_feed_sections.values())


def feed_topics():
    """What the Atom feed carries, as its title and the pages' links to it name it: 「行事・推進宣言・記事」."""
    return "・".join(section.name for section in feed_sections())


def add_robots_disallow(name, paths):
    """`paths()` gives the paths robots should not crawl; called per request, so it may use reverse()."""
    _robots_disallows[name] = paths


def robots_disallowed_paths():
    return [path for paths in _robots_disallows.values() for path in paths()]


# The human-readable site map (/sitemap/): the page tree, then what apps add that is not a page.


@dataclass(frozen=True)
class SiteMapLink:
    """One public place that is not a Wagtail page (the register, site search, open data…).

    url: a path or absolute URL. order: where it stands among the links (smaller first).
    children: links shown nested below it (a list's open data files, say).
    """

    title: str
    url: str
    order: int = 100
    children: tuple = ()


_site_map_links: dict[str, Callable] = {}


def add_site_map_links(name, links):
    """`links()` gives the SiteMapLinks for the site map; called per request, so it may use reverse()."""
    _site_map_links[name] = links


def site_map_links():
    return sorted((link for links in _site_map_links.values() for link in links()), key=lambda link: link.order)


# The main menu: after the top-level pages, the places apps add that are not pages (the register,
# the centre directory).


@dataclass(frozen=True)
class MenuLink:
    """One place in the main menu that is not a Wagtail page.

    url: its path; a request for the path is the link's page, one below it is in its section.
    order: where it stands among the links (smaller first).
    """

    title: str
    url: str
    order: int = 100


_menu_links: dict[str, Callable] = {}


def add_menu_links(name, links):
    """`links()` gives the MenuLinks for the main menu; called per request, so it may use reverse()."""
    _menu_links[name] = links


def menu_links():
    return sorted((link for links in _menu_links.values() for link in links()), key=lambda link: link.order)

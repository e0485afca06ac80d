"""The human-readable site map (サイトマップ, /sitemap/; /sitemap.xml is the one for search engines).

In every language (/en/sitemap/, /easy/sitemap/): the pages that exist in the address's language, under that
language's home page, and the apps' places with their titles in that language where the catalogues have
them; a place whose title is not translated is marked `lang="ja"`, and one whose address is another
language's `hreflang` of it.

The live public pages in the order of the page tree (the menu's order), nested as the tree nests them,
then the public places apps register that are not pages (`registry.add_site_map_links`). A page type
whose children are a long dated list (events, articles) sets `site_map_lists_children = False`, and no
page lists more than LIST_CHILDREN_UP_TO children: the site map shows the list page and how many it holds.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from core.locale import language_from_path
from pages import site_context

from .registry import site_map_links

LIST_CHILDREN_UP_TO = 30


@dataclass
class Node:
    title: str
    url: str
    children: list = field(default_factory=list)
    hidden_children: int = 0
    lang: str = ""  # the title's language when it is not the page's
    hreflang: str = ""  # the language of the address when it is not the page's


def page_tree(site, request=None, home=None):
    """The live public descendants of `home` (the site's home page by default) as a list of Nodes (the home
    page itself is not one)."""
    home = home or site.root_page
    pages = list(home.get_descendants().live().public().order_by("path"))
    children_of = defaultdict(list)
    for page in pages:
        children_of[page.path[: -Page.steplen]].append(page)

    def branch(parent):
        nodes = []
        for page in children_of.get(parent.path, []):
            node = Node(title=page.title, url=page.get_url(request) or page.url_path)
            children = children_of.get(page.path, [])
            if children and (
                not getattr(page.specific_class, "site_map_lists_children", True) or len(children) > LIST_CHILDREN_UP_TO
            ):
                node.hidden_children = len(children)
            else:
                node.children = branch(page)
            nodes.append(node)
        return nodes

    return branch(home)


def link_nodes(links, language):
    """The apps' SiteMapLinks as Nodes in `language`: each title through the catalogues, marked Japanese where
    they have none, and the address's language where it is another (the register is in Japanese only)."""
    nodes = []
    for link in links:
        title = gettext(link.title)
        untranslated = language != settings.LANGUAGE_CODE and title == link.title
        address_language = language_from_path(link.url)
        nodes.append(
            Node(
                title=title,
                url=link.url,
                children=link_nodes(link.children, language),
                lang=settings.LANGUAGE_CODE if untranslated else "",
                hreflang=address_language if address_language != language else "",
            )
        )
    return nodes


@require_GET
def site_map(request):
    site = Site.find_for_request(request)
    language = translation.get_language() or settings.LANGUAGE_CODE
    home = site_context.language_root(site, language)
    context = {
        "home_url": home.get_url(request) if home else "/",
        "tree": page_tree(site, request, home) if home else [],
        "other_links": link_nodes(site_map_links(), language),
        "breadcrumbs": [{"title": gettext("サイトマップ"), "url": ""}],
    }
    return render(request, "pages/site_map.html", context)

"""The human-readable site map (サイトマップ, /sitemap/; /sitemap.xml is the one for search engines).

The live public pages in the order of the page tree (the menu's order), nested as the tree nests them,
then the public places apps register that are not pages (`registry.add_site_map_links`). A page type
whose children are a long dated list (events, articles) sets `site_map_lists_children = False`, and no
page lists more than LIST_CHILDREN_UP_TO children: the site map shows the list page and how many it holds.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from .registry import site_map_links

LIST_CHILDREN_UP_TO = 30


@dataclass
class Node:
    title: str
    url: str
    children: list = field(default_factory=list)
    hidden_children: int = 0


def page_tree(site, request=None):
    """The home page's live public descendants as a list of Nodes (the home page itself is not one)."""
    home = site.root_page
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


@require_GET
def site_map(request):
    site = Site.find_for_request(request)
    home = site.root_page if site else None
    context = {
        "home_url": home.get_url(request) if home else "/",
        "tree": page_tree(site, request) if site else [],
        "other_links": site_map_links(),
        "breadcrumbs": [{"title": "サイトマップ", "url": ""}],
    }
    return render(request, "pages/site_map.html", context)

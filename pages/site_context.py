"""What every page of a request shares, each fetched once and in as few queries as possible.

A public page needs the Site, its settings (the footer's お問い合わせ先, the open-data licence), the main
menu, the page being shown and its ancestors (the breadcrumb). Wagtail fetches each separately, and
`Page.specific` costs a query per page type; here they are fetched once per request:

- `find_site(request)`: Wagtail's own Site lookup plus every site setting in the same query, stored where
  `Site.find_for_request` and `BaseSiteSetting.for_request` look, so later calls cost nothing.
- `for_request(request)`: the site's top-level pages (the menu; the home page's section list) as specific
  pages, in one query; `ancestors(page)` for the breadcrumb.
- `route(request, path)`: the page for a URL with its ancestors and the top-level pages, all specific, in
  one query, stored where Wagtail's serve view looks; and whether any of them has a view restriction, so
  `KyoseiPage.get_view_restrictions` needs no query of its own.
- `specific_pages(queryset)`: specific pages of any types in one query (a LEFT JOIN per page type).

New page types and settings are picked up from Wagtail's registries, so apps adding them need nothing here.

The frame: what those queries return for the site, its settings, the home page, the pages above it and the
top-level pages is the same for every request until content changes. Each process keeps it (a `Frame` per
host and port) for one generation of the full-page cache (core/page_cache.py), which is replaced on
every commit that changes public content, on every server: a request whose generation differs builds the
frame again, and a request that cannot read the generation (the shared cache is down) builds its own and
keeps nothing. Requests get shallow copies, so what a request sets on a page or setting stays its own.
SITE_FRAME_CACHE=0 turns it off (the test settings do: a test's data is rolled back, not committed).

Languages: the site's root page is the Japanese home page; each other language's page tree hangs from its
translation, a sibling (core/locale.py says which language a request is in). Frames are kept per host, port
and language, each from its own home page; a language whose home page is not translated has no pages.
"""

import copy
import functools
import threading

from django.conf import settings
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, When
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.sites import MATCH_DEFAULT, MATCH_HOSTNAME, MATCH_HOSTNAME_DEFAULT, MATCH_HOSTNAME_PORT
from wagtail.url_routing import RouteResult

from core import page_cache

CONTEXT_ATTR = "_kyosei_site_context"
# Set on routed pages: True when neither the page, its ancestors nor an alias among them has a view restriction.
UNRESTRICTED_ATTR = "_kyosei_unrestricted"


# Specific pages in one query


@functools.cache
def _specific_lookups():
    """{page model: its select_related path from Page} for every concrete page type (multi-table children)."""
    lookups = {}
    for model in get_page_models():
        if model is Page or model._meta.abstract or model._meta.proxy:
            continue
        names = []
        current = model
        while current is not Page:
            parent = next((p for p in current._meta.parents if issubclass(p, Page)), None)
            if parent is None:
                break
            names.append(current._meta.model_name)
            current = parent
        if current is Page:
            lookups[model] = "__".join(reversed(names))
    return lookups


def with_specific(queryset):
    """`queryset` of base pages joined to every page type's table, for `as_specific` to read without a query."""
    return queryset.select_related(*_specific_lookups().values())


def as_specific(page):
    """The specific page of a base page loaded through `with_specific` (the base page when its type is gone)."""
    lookup = _specific_lookups().get(page.specific_class)
    if not lookup:
        return page
    specific = page
    try:
        for name in lookup.split("__"):
            specific = getattr(specific, name)
    except Page.DoesNotExist:
        return page
    return specific


def specific_pages(queryset):
    """The pages of a base-Page queryset as specific pages, in one query whatever their types (with the
    queryset's annotations)."""
    annotations = list(queryset.query.annotations)
    pages = []
    for page in with_specific(queryset):
        specific = as_specific(page)
        for name in annotations:
            setattr(specific, name, getattr(page, name))
        pages.append(specific)
    return pages


# The site and its settings


def _site_setting_models():
    return [
        model
        for model in settings_registry
        if issubclass(model, BaseSiteSetting) and not getattr(model, "select_related", None)
    ]


def _reverse_name(model):
    return model._meta.get_field("site").remote_field.get_accessor_name()


def find_site(request):
    """`Site.find_for_request(request)`, with every site setting loaded in the same query.

    The match is Wagtail's own (wagtail.models.sites.get_site_for_hostname: exact host and port, then
    host on the default site, then the default site unless one other host matches); only the
    select_related differs. Results are stored on the request where Wagtail looks for them.
    """
    if request is None:
        return None
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    frame = _frame(request)
    site = frame.site if frame is not None else _query_site(request)
    if site is not None:
        site = copy.copy(site)
    request._wagtail_site = site
    if frame is not None:
        request._wagtail_cached_site_root_paths = frame.root_paths
    if site is not None:
        for model in _site_setting_models():
            try:
                setting = getattr(site, _reverse_name(model))
            except model.DoesNotExist:
                continue  # for_request creates the row when it is first asked for
            setting = copy.copy(setting)
            site._state.fields_cache[_reverse_name(model)] = setting
            setting._request = request
            setattr(request, model.get_cache_attr_name(), setting)
    return site


def _query_site(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    models = _site_setting_models()
    sites = list(
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page", *(_reverse_name(model) for model in models))
    )
    if not sites:
        return None
    if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if sites[0].match == MATCH_DEFAULT:
        return sites[len(sites) == 2]
    return None


# The frame: the same for every request to one host until content changes


class Frame:
    """A site with its settings, its pages down to the top level (specific, live or not, in tree order, each
    with `kyosei_restricted`) and every view restriction's (path, depth), as one process keeps them for one
    generation."""

    def __init__(self, site, root, pages, restricted):
        self.site = site
        self.root = root
        self.pages = pages
        self.restricted = restricted
        # Wagtail's list of site root paths, which it reads from the cache for every request and for every
        # page whose `.url` is asked without a request (the menu, the breadcrumb).
        self.root_paths = Site.get_site_root_paths()


FRAME_ATTR = "_kyosei_frame"
FRAME_LIMIT = 16  # hosts (and ports: a Host header can name any) kept per process
_frames = {}
_frames_lock = threading.Lock()


def _frame(request):
    """The request's Frame, kept or built (None when turned off)."""
    if not getattr(settings, "SITE_FRAME_CACHE", True):
        return None
    if hasattr(request, FRAME_ATTR):
        return getattr(request, FRAME_ATTR)
    generation = page_cache.request_generation(request)
    language = translation.get_language()
    key = (split_domain_port(request._get_raw_host())[0], request.get_port(), language)
    kept = _frames.get(key)
    if generation is not None and kept is not None and kept[0] == generation:
        frame = kept[1]
    else:
        # Built after the generation was read: a change that commits meanwhile replaces it, so this
        # frame is never used by a request that should see the change.
        site = _query_site(request)
        root = language_root(site, language)
        frame = Frame(
            site,
            root,
            _frame_pages(root) if root is not None else [],
            list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
        )
        if generation is not None:
            with _frames_lock:
                if len(_frames) >= FRAME_LIMIT:
                    _frames.clear()
                _frames[key] = (generation, frame)
    setattr(request, FRAME_ATTR, frame)
    return frame


def language_root(site, language=None):
    """The home page of `site` in `language` (the active one by default): the site's root page for the
    default language, else its live translation, or None when there is none."""
    if site is None:
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) or language == settings.LANGUAGE_CODE:
        return site.root_page
    return (
        Page.objects.filter(
            translation_key=site.root_page.translation_key, locale__language_code=language, depth=site.root_page.depth
        )
        .live()
        .first()
    )


def _frame_pages(root):
    above_root = _above(root)
    return specific_pages(
        Page.objects.filter(Q(path__in=[*above_root, root.path]) | Q(path__startswith=root.path, depth=root.depth + 1))
        .annotate(kyosei_restricted=Exists(PageViewRestriction.objects.filter(page=OuterRef("pk"))))
        .order_by("path")
    )


def public(queryset, request):
    """`queryset.public()` (pages outside every section with a view restriction), without Wagtail's query
    for the restrictions when the request has a frame."""
    frame = getattr(request, FRAME_ATTR, None)
    if frame is None:
        return queryset.public()
    private = Q()
    for path, depth in frame.restricted:
        private |= Q(path__startswith=path, depth__gte=depth)
    return queryset.exclude(private) if private else queryset


def without_streams(queryset):
    """`queryset` with its page type's StreamFields deferred, for lists that show titles, dates and lead texts:
    each StreamField costs a JSON parse per row (and Wagtail a new JSONField) whether it is read or not."""
    return queryset.defer(
        *(field.name for field in queryset.model._meta.concrete_fields if isinstance(field, StreamField))
    )


def _above(root):
    steplen = Page.steplen
    return [root.path[:end] for end in range(steplen, len(root.path), steplen)]


def clear_frames():
    with _frames_lock:
        _frames.clear()


# The pages a request shares


class SiteContext:
    """The top-level pages of the request's site (specific, live, in tree order) and the pages routed so far."""

    def __init__(self, site, root=None):
        self.site = site
        # The home page in the request's language (None when that language has none).
        self.root = root
        self._top_level = None
        self._by_path = {}
        self.frame_pages = None
        self.root_paths = None

    def use_frame(self, frame):
        """Take the pages down to the top level from the process's frame (copies, this request's own)."""
        self.frame_pages = [copy.copy(page) for page in frame.pages]
        self.remember(self.frame_pages)
        self.take_top_level(self.frame_pages)

    def take_top_level(self, pages):
        """The menu's pages from `pages` fetched with the site root's children: live ones, in tree order."""
        depth = self.site.root_page.depth + 1  # the home pages of every language are siblings
        self._top_level = [page for page in pages if page.depth == depth and page.live]
        self.remember(self._top_level)

    def remember(self, pages):
        for page in pages:
            if self.root_paths is not None:
                page._wagtail_cached_site_root_paths = self.root_paths
            self._by_path[page.path] = page

    @property
    def top_level(self):
        """The site root's live children, specific (the menu and the home page's section list read them)."""
        if self._top_level is None:
            self._top_level = (
                specific_pages(Page.objects.child_of(self.root).live().order_by("path")) if self.root else []
            )
            self.remember(self._top_level)
        return self._top_level

    @property
    def menu(self):
        """The pages the main navigation shows: top-level, live, 「メニューに表示」 ticked."""
        return [page for page in self.top_level if page.show_in_menus]

    def ancestors(self, page, inclusive=True):
        """`page.get_ancestors(inclusive).filter(depth__gt=1).specific()`, from what routing fetched when it can."""
        steplen = Page.steplen
        paths = [page.path[:end] for end in range(2 * steplen, len(page.path) + 1, steplen)]
        if not inclusive:
            paths = paths[:-1]
        known = [self._by_path.get(path) for path in paths]
        if all(known):
            return [page if found.pk == page.pk else found for found in known]
        return specific_pages(Page.objects.filter(path__in=paths).order_by("path"))


def for_request(request):
    """The request's SiteContext (None without a site)."""
    if request is None:
        return None
    if not hasattr(request, CONTEXT_ATTR):
        site = find_site(request)
        context = None
        if site is not None:
            frame = getattr(request, FRAME_ATTR, None)
            framed = frame is not None and frame.site is not None and frame.site.pk == site.pk
            context = SiteContext(site, copy.copy(frame.root) if framed and frame.root else None)
            context.root_paths = site_root_paths(request)  # the frame's, when find_site used one
            if framed:
                context.use_frame(frame)
                if context.root is not None:
                    context.root = context._by_path.get(context.root.path, context.root)
            else:
                context.root = language_root(site)
        setattr(request, CONTEXT_ATTR, context)
    return getattr(request, CONTEXT_ATTR)


def site_root_paths(request):
    """Wagtail's list of site root paths, read from the cache once per request and kept where Wagtail's
    `get_url_parts(request)` looks; `remember` gives it to pages too, for `.url` without a request."""
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
    return request._wagtail_cached_site_root_paths


# Routing


def _default_route(page):
    return type(page).route is Page.route


def route(request, path):
    """Route `path` as Wagtail's `Page.route` does, with one query for the page, its ancestors and the menu.

    The answer is stored where `Page.route_for_request` (and so Wagtail's serve view) looks for it. A page
    type with its own `route()` (a RoutablePageMixin, say) is handed the rest of the path as Wagtail
    would. The tree is the one of the request's language.
    """
    if hasattr(request, "_wagtail_route_for_request"):
        return
    context = for_request(request)
    if context is None:
        return
    root = context.root
    if root is None:
        request._wagtail_route_for_request = None
        return
    components = [component for component in path.split("/") if component]
    url_paths = [root.url_path]
    for component in components:
        url_paths.append(url_paths[-1] + component + "/")
    above_root = _above(root)
    restricted = PageViewRestriction.objects.filter(page=OuterRef("pk"))
    if context.frame_pages is not None:
        # The frame holds the pages down to the top level; only deeper ones are asked for.
        pages = list(context.frame_pages)
        if len(url_paths) > 2:
            pages += specific_pages(
                Page.objects.filter(path__startswith=root.path, depth__gt=root.depth + 1, url_path__in=url_paths[2:])
                .annotate(kyosei_restricted=Exists(restricted))
                .order_by("path")
            )
    else:
        pages = specific_pages(
            Page.objects.filter(
                Q(path__in=above_root)
                | Q(path__startswith=root.path, depth__gte=root.depth, url_path__in=url_paths)
                | Q(path__startswith=root.path, depth=root.depth + 1, live=True)
            )
            .annotate(kyosei_restricted=Exists(restricted))
            .order_by("path")
        )
    by_url_path = {page.url_path: page for page in pages if page.path.startswith(root.path)}
    chain = [page for page in pages if page.path in above_root or page.url_path in url_paths]
    context.remember(chain)
    if context._top_level is None:
        context.take_top_level(pages)

    # Wagtail's check asks the page, its ancestors, and the source of any alias among them.
    unrestricted = not any(page.kyosei_restricted or page.alias_of_id for page in chain)

    try:
        current = by_url_path.get(root.url_path)
        if current is None:
            raise Http404
        for index, component in enumerate(components):
            if not _default_route(current):
                request._wagtail_route_for_request = current.route(request, components[index:])
                return
            child = by_url_path.get(current.url_path + component + "/")
            if child is None:
                raise Http404
            child._cached_parent_obj = current
            current = child
        if not _default_route(current):
            request._wagtail_route_for_request = current.route(request, [])
            return
        if not current.live:
            raise Http404
        setattr(current, UNRESTRICTED_ATTR, unrestricted)
        request._wagtail_route_for_request = RouteResult(current)
    except Http404:
        request._wagtail_route_for_request = None

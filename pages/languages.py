"""The languages a page is offered in: its live, public translations, as the language switcher, the
`hreflang` alternates and the sitemap show them.

Languages are settings.LANGUAGES, in that order, each named in itself. A page not yet translated into a
language (or whose translation is a draft) is simply not offered in it. A view that is not a page is offered
at its own address in each language its URL name reverses into (view_translations: the register and the
centre directory in Japanese and English, search and the site map in every language); any other view offers
each language's top page.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from core import public_address
from core.locale import language_from_path, path_in_language
from pages import site_context

TRANSLATIONS_ATTR = "_kyosei_translations"


def language_names():
    """{code: the language's name in itself}, in the order the switcher lists them."""
    return dict(settings.LANGUAGES)


def _ordered(found):
    return [(code, found[code]) for code in language_names() if code in found]


def page_translations(page, request=None):
    """[(language code, page)] for `page` and its live public translations (once per page object)."""
    cached = getattr(page, TRANSLATIONS_ATTR, None)
    if cached is not None:
        return cached
    # One query for the page and its translations with their locales; one under a view restriction (its own or
    # an ancestor's) is not offered.
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    pages = (
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .annotate(kyosei_translation_restricted=Exists(restricted))
        .select_related("locale")
    )
    found = {}
    for other in pages:
        if not other.kyosei_translation_restricted:
            found[other.locale.language_code] = page if other.pk == page.pk else other
    translations = _ordered(found)
    setattr(page, TRANSLATIONS_ATTR, translations)
    return translations


def alternates(page, request=None):
    """[(language code, absolute URL)] of `page` in every language it is offered in (empty for one)."""
    translations = page_translations(page, request)
    if len(translations) < 2:
        return []
    urls = [(code, other.get_full_url(request)) for code, other in translations]
    return [(code, url) for code, url in urls if url]


def view_translations(request):
    """[(language code, path)] of the view that answered `request` (not a Wagtail page) in each language it
    is offered in: its URL name reversed under each language, kept where the address lands in that language
    (a Japanese-only view reverses to its Japanese address in every language)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return []
    found = []
    for code in language_names():
        with translation.override(code):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                continue
        if language_from_path(path) == code:
            found.append((code, path))
    return found if len(found) > 1 else []


def view_alternates(request, translations):
    """[(language code, absolute URL)] of `view_translations(request)`, and x-default (the Japanese one): on
    the public address and without the query string, as the view's canonical link is."""
    links = [(code, public_address.absolute(path)) for code, path in translations]
    default = dict(links).get(settings.LANGUAGE_CODE)
    return [*links, ("x-default", default)] if default and len(links) > 1 else []


def switcher_links(request, page=None, translations=None):
    """The language switcher's entries: {code, name, url, current} for each language offered here: a page's
    translations, a view's `translations` (`view_translations`), or else each language's top page."""
    current = translation.get_language()
    names = language_names()
    if page is not None and getattr(page, "translation_key", None):
        targets = [(code, other.get_url(request)) for code, other in page_translations(page, request)]
    elif translations:
        # The query string goes along: a filtered list, or its third page, is the same in the other language.
        query = request.GET.urlencode() if request is not None else ""
        targets = [(code, f"{path}?{query}" if query else path) for code, path in translations]
    else:
        site = site_context.find_site(request) if request is not None else None
        roots = page_translations(site.root_page, request) if site is not None else []
        targets = [(code, path_in_language("/", code)) for code, _ in roots]
        if current not in dict(targets):
            targets.append((current, request.path if request is not None else "/"))
            targets = [(code, dict(targets)[code]) for code in names if code in dict(targets)]
    return [
        {"code": code, "name": names.get(code, code), "url": url, "current": code == current}
        for code, url in targets
        if url
    ]

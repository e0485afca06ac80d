"""Which language a request is in: read from its address, and only from there.

Japanese (LANGUAGE_CODE) keeps the site's unprefixed addresses; every other language in LANGUAGES lives
under its prefix in LANGUAGE_URL_PREFIXES (`/en/`, `/easy/`). No cookie, session or Accept-Language
header is consulted, so one address always serves the same language to everyone: the page cache keys by
address alone and no response needs `Vary: Accept-Language` (which Django's LocaleMiddleware adds to every
unprefixed answer, and which would split a proxy's cache by every browser's header).

`language_patterns(...)` is Django's `i18n_patterns(..., prefix_default_language=False)` with these
prefixes instead of the language codes, so `reverse()` (and Wagtail's page URLs, which reverse under the
page's language) give `/en/about/` for the English page and `/about/` for the Japanese one.

`offered_in(languages, ...)` does the same for views that exist in some languages only (the register in
Japanese and English, its application form in Japanese): they resolve only under those languages'
prefixes, and `reverse()` under any other language gives the default language's address, so a link from
an English page to the Japanese-only form still leads somewhere.
"""

import re

from django import forms
from django.conf import settings
from django.urls import LocalePrefixPattern, URLResolver
from django.utils import translation


def prefixes():
    """{language code: its address prefix} for every language but the default."""
    return dict(getattr(settings, "LANGUAGE_URL_PREFIXES", {}))


def prefix_for(language):
    """The address prefix of `language` without slashes ("" for the default language or an unknown one)."""
    return prefixes().get(language, "")


def language_from_path(path):
    """The language whose prefix starts `path` (`/en/…`), or the default language."""
    first = path.lstrip("/").split("/", 1)[0]
    if first and path.startswith(f"/{first}/"):
        for language, prefix in prefixes().items():
            if prefix == first:
                return language
    return settings.LANGUAGE_CODE


def path_in_language(path, language):
    """`path` of the default language's addresses as it is in `language` (`/about/` → `/en/about/`)."""
    prefix = prefix_for(language)
    return f"/{prefix}{path}" if prefix else path


class LanguagePrefixPattern(LocalePrefixPattern):
    """The active language's prefix from LANGUAGE_URL_PREFIXES; none for the default language."""

    @property
    def language_prefix(self):
        prefix = prefix_for(translation.get_language() or settings.LANGUAGE_CODE)
        return f"{prefix}/" if prefix else ""


def language_patterns(*urls):
    """URL patterns that exist in every language: unprefixed in Japanese, under the prefix in the others."""
    return [URLResolver(LanguagePrefixPattern(prefix_default_language=False), list(urls))]


class LanguagesPattern:
    """The active language's prefix when it is one of `languages`, else none (the default language's
    addresses); matches only under one of `languages`.

    Not a LocalePrefixPattern, which Django refuses inside an included URLconf: this one lives in an app's
    own urls.py, so the app keeps one namespace for its views in every language."""

    def __init__(self, languages):
        self.languages = tuple(languages)
        self.converters = {}

    def _active(self):
        return translation.get_language() or settings.LANGUAGE_CODE

    @property
    def language_prefix(self):
        language = self._active()
        prefix = prefix_for(language) if language in self.languages else ""
        return f"{prefix}/" if prefix else ""

    @property
    def regex(self):
        # Only reverse() reads it, once per language (URLResolver keeps its reverse table by language).
        return re.compile(re.escape(self.language_prefix))

    def match(self, path):
        if self._active() not in self.languages:
            return None
        prefix = self.language_prefix
        if path.startswith(prefix):
            return path.removeprefix(prefix), (), {}
        return None

    def check(self):
        return []

    def describe(self):
        return f"'{self}'"

    def __str__(self):
        return self.language_prefix


def offered_in(languages, *urls):
    """URL patterns that exist in `languages` only (the default language among them), each under its prefix."""
    return URLResolver(LanguagesPattern(languages), list(urls))


class PathLanguageMiddleware:
    """Activates the address's language for the request (in place of Django's LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_from_path(request.path_info)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's language is put back after it, so nothing the thread does next
        # (the next request's middlewares before this one, a test, a command run in-process) inherits English.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def content_lang():
    """ "ja" when the page is in another language than Japanese, else "": the `lang` of what stays as written
    (an entry's name and text, a municipality) on the English view of the register or the directory."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE if language != settings.LANGUAGE_CODE else ""


class NamesSelect(forms.Select):
    """A select whose options are names that stay in Japanese (municipalities, areas, services): each but the
    empty one is marked lang="ja" on a page in another language, so a screen reader reads it in Japanese."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        lang = content_lang()
        if lang and value not in ("", None):
            option["attrs"]["lang"] = lang
        return option

"""Serves `/furigana/<path>`: the page at `<path>`, rendered as usual, then given readings (transform.py).

It sits inside the page cache and gzip (settings.MIDDLEWARE), so the page cache keys, stores and
invalidates the ふりがな page under its own address exactly as the plain one, and the proxy in front keeps
it apart by its URL; it transforms the uncompressed HTML before gzip compresses it.
"""

import logging

from django.http import HttpResponsePermanentRedirect
from django.utils.cache import add_never_cache_headers

from core.page_cache import request_generation

from .readings import lexicon_for
from .transform import PREFIX, furigana_path, plain_path, transform

logger = logging.getLogger(__name__)


class FuriganaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PREFIX:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(PREFIX + "/" + (f"?{query}" if query else ""))
        plain = plain_path(request.path_info)
        request.furigana = plain is not None
        if plain is None:
            return self.get_response(request)
        # Routed and rendered as the plain page: views, menus and breadcrumbs see the plain path.
        request.path = request.path[: len(request.path) - len(request.path_info)] + plain
        request.path_info = plain
        request.META["PATH_INFO"] = plain
        response = self.get_response(request)
        return self.process(request, response)

    def process(self, request, response):
        location = response.get("Location", "")
        redirected = furigana_path(location) if location.startswith("/") else None
        if redirected:
            response["Location"] = redirected
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "text/html" or response.streaming or response.has_header("Content-Encoding"):
            return response
        charset = response.charset or "utf-8"
        try:
            document = response.content.decode(charset)
        except UnicodeDecodeError:
            return response
        try:
            furigana = transform(document, lexicon_for(request_generation(request)))
        except Exception:  # noqa: BLE001 - the page without readings, never an error page
            logger.exception("furigana: could not annotate %s; served without readings", request.path)
            # Not kept by the page cache or the proxy: the next request tries again.
            add_never_cache_headers(response)
            return response
        response.content = furigana.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        # The ETag, if any, was the plain page's.
        if response.has_header("ETag"):
            del response["ETag"]
        return response

"""Whether a POST came from one of the site's own pages, for a form that carries no CSRF token.

A form on a page that the full-page cache may serve to everyone cannot carry a per-visitor CSRF token
(the cache would hand one visitor's token to all). Such a form (the feedback box) is `csrf_exempt` and
checks instead that the browser says the post came from this site: the `Origin` header, which browsers
send with every POST, or failing that the `Referer` (the site's Referrer-Policy is same-origin, so a
same-site post always carries it). A post naming another site, or neither header, is refused.
"""

from urllib.parse import urlsplit

from django.conf import settings


def _own_origins(request):
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def _origin_of(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def is_same_origin_post(request):
    origins = _own_origins(request)
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        return origin in origins
    referer = request.META.get("HTTP_REFERER")
    if referer:
        return _origin_of(referer) in origins
    return False

"""Which HTTP methods the site answers, in one place, and the 405 page (in the address's language).

The public site is read with GET and HEAD (and OPTIONS) and its forms send POST; Wagtail's admin also uses
PUT, PATCH and DELETE from its scripts. Anything else (TRACE, CONNECT, a method nobody defined) is refused
here, before any view: Wagtail's page view, the open-data files and the feeds would otherwise answer it
like a GET. A view that narrows further (require_safe on a download, a class-based view without post())
answers 405 itself; Django's 405 has an empty body, so every 405 gets the page below with its Allow header.
"""

from django.http import HttpResponseNotAllowed
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext

from core.admin_paths import is_admin_path
from core.locale import language_from_path
from core.text import clean

PUBLIC_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
ADMIN_METHODS = (*PUBLIC_METHODS, "PUT", "PATCH", "DELETE")


def allowed_methods(path):
    return ADMIN_METHODS if is_admin_path(path) else PUBLIC_METHODS


def not_allowed_page(response, method, path="/"):
    """`response` (a 405) with the page in `path`'s language as its body; its Allow header is kept."""
    allowed = [name.strip() for name in response.get("Allow", "").split(",") if name.strip()]
    # Before PathLanguageMiddleware (the method is refused first): the language is read from the path here.
    with translation.override(language_from_path(path)):
        # 「、」 in Japanese, ", " in English.
        context = {"method": clean(method, multiline=False)[:20], "allowed": gettext("、").join(allowed)}
        response.content = loader.get_template("405.html").render(context)
    response["Content-Type"] = "text/html; charset=utf-8"
    return response


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = allowed_methods(request.path_info)
        if request.method not in allowed:
            return not_allowed_page(HttpResponseNotAllowed(allowed), request.method, request.path_info)
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False) and not response.content:
            return not_allowed_page(response, request.method, request.path_info)
        return response

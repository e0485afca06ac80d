"""The 400 and 403 handlers (the site's own pages), and the 500 handler, which answers 503 (the site's own
Japanese page) when the database is unreachable. The 400, 403 and 500 pages are in the address's language
(/en/…: English), read from the path alone, as core.locale does for every request.

Django turns an exception raised anywhere in a request (a view, a template, a middleware such as the
session or Wagtail's site lookup) into a call of handler500 while the exception is being handled, so
this one place sees a database outage wherever it surfaced. A database outage is temporary and Django
reconnects by itself (conn_health_checks), so the answer is 503 with Retry-After, not 500.
"""

import functools
import logging
import sys
import tomllib

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.template import loader
from django.utils import translation

from core.locale import language_from_path
from core.transactions import changes_were_discarded
from pages.views import server_error as render_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# The contact details staff edit live in the database, which is what is missing: the 503 page shows
# those the site was built with (the seed's [contact], the same department's permanent lines).
CONTACT_SOURCE = settings.BASE_DIR / "pages" / "data" / "initial_content.toml"


def database_unreachable(error):
    """Whether `error`, or an exception it was raised from, says the database cannot be reached."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


@functools.cache
def fallback_contact():
    try:
        with CONTACT_SOURCE.open("rb") as handle:
            return tomllib.load(handle).get("contact", {})
    except (OSError, tomllib.TOMLDecodeError):
        logger.exception("The 503 page's contact details could not be read from %s", CONTACT_SOURCE)
        return {}


def service_unavailable(request=None):
    # Rendered without the request, so no context processor (site settings) touches the database. A POST
    # that ends here was rolled back whole (core/transactions.py): the page says nothing was saved.
    context = {"contact": fallback_contact(), "discarded": changes_were_discarded(request)}
    html = loader.get_template("503.html").render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request, exception=None):
    # Rendered without the request: a request refused this early (a bad Host header, a body or a file name
    # too long) may not get as far as the site settings, and the page needs nothing from it.
    with translation.override(language_from_path(request.path_info)):
        return HttpResponseBadRequest(loader.get_template("400.html").render())


def permission_denied(request, exception=None):
    # Like the 400 page: nothing from the request or the database (Django's own 403 would run the context
    # processors); the exception's message is not shown, it may name what the visitor may not see.
    with translation.override(language_from_path(request.path_info)):
        return HttpResponseForbidden(loader.get_template("403.html").render())


def server_error(request):
    if database_unreachable(sys.exc_info()[1]):
        return service_unavailable(request)
    return render_server_error(request, discarded=changes_were_discarded(request))

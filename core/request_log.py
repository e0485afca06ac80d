"""One log line per request, and a request id on every log line written while it runs.

The id is the proxy's X-Request-ID when it sent a sane one (so a line in the proxy's log and ours can be
matched), otherwise a new one; it goes back to the client in the X-Request-ID header, so a person who
reports a problem can quote it. The line names the route, not the path, where the path holds a secret
(the applicant's correction link), and never the query string (search words, typed by residents).
"""

import contextvars
import logging
import re
import time
import uuid

from django.utils.functional import empty

logger = logging.getLogger("kochi_kyosei.request")

request_id_var = contextvars.ContextVar("request_id", default="-")
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
# URL parameters whose values are secrets: the route pattern is logged instead of the path.
SECRET_KWARGS = {"token"}
QUIET_PATHS = {"/health/"}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


def incoming_or_new_id(request):
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if SANE_ID.match(incoming) else uuid.uuid4().hex


def logged_path(request):
    match = getattr(request, "resolver_match", None)
    if match is not None and SECRET_KWARGS & set(match.kwargs):
        return "/" + match.route
    return request.path


def user_id(request):
    """The signed-in user's id, only when the request already looked the user up: looking it up here
    would cost every public page a session and user query."""
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return user.pk if user.is_authenticated else "-"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = incoming_or_new_id(request)
        token = request_id_var.set(request.id)
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request.id
            return response
        finally:
            level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
            logger.log(
                level,
                "%s %s %s %dms user=%s",
                request.method,
                logged_path(request),
                status,
                (time.monotonic() - started) * 1000,
                user_id(request),
            )
            request_id_var.reset(token)

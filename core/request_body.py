"""A request's body is received whole, within a deadline, before Django sees the request.

gunicorn gives a connection a thread once its headers have arrived, and Django reads the body from the
socket when a view asks for it. A client that announced a body and then stopped sending held that thread
(on the old sync workers, the whole process) until gunicorn's timeout killed the worker and answered 500:
two such clients stopped the site (issue 26). Here the body is read first into a spooled temporary file,
with the socket's timeout set: a client that stalls or trickles (core/limits.py) gets the site's
408 page and its connection closed, and a Content-Length over the limit is answered 413 before any of the
body is read. Django then reads the body from memory or disk, so the AtomicRequestMiddleware's
transaction and everything after it never wait for a client.

Behind the production proxy (deploy/varnish/default.vcl buffers bodies) a body arrives at once and this
costs one copy; served directly (make run, a single container) it is what frees the threads.
"""

import contextlib
import logging
import socket
import tempfile
import threading

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.utils import translation

from core import limits
from core.locale import language_from_path
from core.sizes import format_file_size

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024


class BodyNotReceived(Exception):
    pass


def declared_length(environ):
    try:
        return max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:  # gunicorn refuses such a request before it gets here
        return 0


def stop_reading(sock):
    try:
        sock.shutdown(socket.SHUT_RD)
    except OSError:  # already closed
        pass


def receive(stream, sock, length):
    """The body, in a file at its start; BodyNotReceived when the client does not send it in time."""
    body = tempfile.SpooledTemporaryFile(
        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    # The socket's timeout bounds each wait for more bytes; the timer bounds the whole body, which a client
    # sending a byte just inside that timeout would otherwise stretch without end. Ending the read side
    # wakes the read at once, and the response can still be written.
    sock.settimeout(limits.REQUEST_BODY_IDLE_TIMEOUT)
    deadline = threading.Timer(limits.request_body_deadline(length), stop_reading, (sock,))
    deadline.daemon = True
    deadline.start()
    received = 0
    try:
        while received < length:
            chunk = stream.read(min(CHUNK_SIZE, length - received))
            if not chunk:
                raise BodyNotReceived(received)
            body.write(chunk)
            received += len(chunk)
    except Exception as error:  # the socket's timeout, a reset, or gunicorn's own "no more data"
        body.close()
        if isinstance(error, BodyNotReceived):
            raise
        raise BodyNotReceived(received) from error
    finally:
        deadline.cancel()
    # Writing the response blocks as before; a stalled body leaves the timeout set, so its 408 cannot hang.
    sock.settimeout(None)
    body.seek(0)
    return body


def refusal(status, template, context, path="/"):
    # Rendered without a request, like the 500 page: nothing here touches the database or the session. In
    # the language of the address it was sent to (/en/…: English).
    with translation.override(language_from_path(path)):
        response = HttpResponse(loader.get_template(template).render(context), status=status)
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(response.content))
    return response


def start(response, start_response):
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]


# Where a GET or HEAD finds the slot it must take to go past the page cache (django_slot()).
SLOT_KEY = "kochi_kyosei.django_slot"


def django_slot(request):
    """One of the worker's DJANGO_THREADS slots, for a GET or HEAD that the page cache did not answer (a context
    manager); nothing to wait for outside gunicorn (tests, management commands) or for a request that holds one."""
    return request.META.pop(SLOT_KEY, None) or contextlib.nullcontext()


class ReceiveBodyFirst:
    """WSGI middleware around Django's handler (kochi_kyosei/wsgi.py).

    Only DJANGO_THREADS requests at a time run Django. A GET or HEAD takes its slot only if the page cache does
    not answer it (core/page_cache.py asks django_slot()): a stored page is read, not rendered, and writes
    nothing, so visitors reading the site do not queue behind a render or an application's commit."""

    def __init__(self, application):
        self.application = application
        self.in_django = threading.BoundedSemaphore(limits.DJANGO_THREADS)

    def __call__(self, environ, start_response):
        length = declared_length(environ)
        path = environ.get("PATH_INFO", "/")
        where = f"{environ.get('REQUEST_METHOD')} {path}"
        if length > limits.REQUEST_BODY_MAX_SIZE:
            logger.warning("%s: refused a body of %d bytes (413)", where, length)
            limit = format_file_size(limits.REQUEST_BODY_MAX_SIZE)
            return start(refusal(413, "413.html", {"limit": limit}, path), start_response)
        sock = environ.get("gunicorn.socket")
        if length and sock is not None:
            try:
                environ["wsgi.input"] = receive(environ["wsgi.input"], sock, length)
            except BodyNotReceived as stalled:
                logger.warning("%s: received %s of %d bytes in time (408)", where, stalled.args[0], length)
                return start(refusal(408, "408.html", {}, path), start_response)
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            environ[SLOT_KEY] = self.in_django
            return self.application(environ, start_response)
        # Django has built the whole response by the time it returns (a file is sent after, outside).
        with self.in_django:
            return self.application(environ, start_response)

"""How much a request may send and how long it may take to send it: the one place these are set.

Django's and Wagtail's upload settings, the body reader in front of Django (core/request_body.py),
gunicorn's configuration (deploy/gunicorn.conf.py) and the production proxy (deploy/varnish/default.vcl,
which cannot import Python: tests/test_slow_clients.py checks that it states the same numbers) all read
these. Plain constants, importable without Django, because gunicorn reads its configuration first.
"""

MIB = 1024 * 1024

# What staff may upload in the admin (the largest request the site expects).
DOCUMENT_MAX_SIZE = 30 * MIB
IMAGE_MAX_SIZE = 10 * MIB
# A whole request body: the largest document with the form around it. A larger Content-Length is
# answered 413 before any of the body is read, so nobody can fill the disk with one request.
REQUEST_BODY_MAX_SIZE = DOCUMENT_MAX_SIZE + 2 * MIB
# Up to this a body, a form's fields and each uploaded file stay in memory; beyond it they are spooled
# to temporary files. Django's defaults, stated so that memory per request is bounded in one place.
IN_MEMORY_MAX_SIZE = 2_621_440

# A client that has announced a body must keep sending it: nothing for REQUEST_BODY_IDLE_TIMEOUT
# seconds, or a whole body slower than REQUEST_BODY_MIN_RATE (bytes a second, with the idle timeout as
# grace), and it is answered 408 and its connection closed. 16 KiB/s is a poor mobile uplink; a 30 MB
# document then has half an hour, a form a few seconds.
REQUEST_BODY_IDLE_TIMEOUT = 10
REQUEST_BODY_MIN_RATE = 16 * 1024

# How many of a gunicorn worker's threads run Django at once; the rest wait for clients' bodies. As few
# as the sync workers had, near enough: SQLite takes one writer at a time and fails one that waits longer
# than SQLITE_BUSY_TIMEOUT with a 503, so more threads in Django would only move the queue from gunicorn's
# backlog, where waiting costs nothing, into the database's lock. A page-cache hit takes no slot: it writes
# nothing and renders nothing (core/request_body.py).
DJANGO_THREADS = 2

# gunicorn's limits on the request line and headers (its own defaults, stated): a search address of
# about 400 Japanese characters fits the line; a browser's cookies fit a field.
REQUEST_LINE_MAX = 4094
REQUEST_HEADER_FIELDS_MAX = 100
REQUEST_HEADER_FIELD_MAX_SIZE = 8190
# A worker whose main loop has not reported for this long is killed and restarted. With threaded
# workers a request waiting on a client never stops that loop, so this only catches a stuck process.
WORKER_TIMEOUT = 30


def request_body_deadline(length):
    """Seconds a client has to send a body of `length` bytes."""
    return REQUEST_BODY_IDLE_TIMEOUT + length / REQUEST_BODY_MIN_RATE

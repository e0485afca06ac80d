"""gunicorn's configuration, the same for `make run` (deploy/supervise.py), the image
(docker-entrypoint.sh), the CI drills and the suite's served site (tests/tools/site_server.py):

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8000

Threaded workers, because the site is often served with no buffering proxy in front (make run, a single
container), and gunicorn's documentation is plain that its sync worker needs one: each sync worker serves
one connection at a time, so two clients that send their headers and then dawdle over the body held both
of make run's workers until gunicorn killed them (issue 26). A gthread worker waits for a connection's
first bytes without a thread, and the body is received whole within a deadline before Django runs
(core/request_body.py), so a slow client holds one of WEB_THREADS threads for at most that
deadline, and the worker's main loop, which gunicorn's timeout watches, never waits for any client.
Only limits.DJANGO_THREADS of those threads run Django past the page cache at once: the others are there
to wait, or answer a stored page (core/request_body.py).
An async worker (gevent) would hold no thread at all, but it is one more dependency and monkey-patches
the database drivers; behind the production proxy, which buffers bodies, threads are enough.

Each thread keeps its own database connection (DB_CONN_MAX_AGE): PostgreSQL's max_connections must allow
app servers x WEB_CONCURRENCY x WEB_THREADS, plus the background worker.
"""

import os
import sys
from pathlib import Path

# gunicorn reads this file before it imports the application.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import limits  # noqa: E402

wsgi_app = "kochi_kyosei.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Enough for 20 clients stalled on their bodies at once, in one worker, with threads left for pages.
threads = int(os.environ.get("WEB_THREADS", "32"))
timeout = limits.WORKER_TIMEOUT
# Every answer closes its connection, as the sync workers' did: a client that reuses a kept-alive
# connection just as the worker closes it loses its POST (Remote end closed connection), which the load
# test (tests/load/) met when 200 visitors sent at once after a pause.
keepalive = 0
limit_request_line = limits.REQUEST_LINE_MAX
limit_request_fields = limits.REQUEST_HEADER_FIELDS_MAX
limit_request_field_size = limits.REQUEST_HEADER_FIELD_MAX_SIZE
# Our own middleware writes one line per request (with its request id); gunicorn's access log would repeat it.
accesslog = None

"""A request that changes something is one transaction: all of it is saved, or none of it.

Django's ATOMIC_REQUESTS wraps only the view. Here the whole request is wrapped, from the session to the
view's last query, so that what Wagtail's admin does in several steps (the page, its revision, its log
entry, the search and cache jobs it queues), what a form's 確認 step stores and the session that remembers
the 受付番号 are kept together. A response of 500 or more rolls everything back, and a commit that fails
(SQLite could not take the write lock in time, the database went away) raises before anything is kept, so
an error page answering a POST can always say that nothing was saved (`changes_were_discarded`).

Safe methods (GET, HEAD, OPTIONS) stay in autocommit: on SQLite a transaction takes the write lock as it
starts (`transaction_mode` IMMEDIATE in the settings), and readers must never queue behind writers.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def changes_were_discarded(request):
    """Whether an error answering `request` means that none of its changes were kept."""
    return request is not None and request.method not in SAFE_METHODS


def read_body_first(request):
    # The body is read (and an upload spooled to disk) before the transaction starts, so a slow client
    # never holds the database's write lock. A body Django cannot parse is left for the view to answer.
    try:
        request.POST  # noqa: B018
    except Exception:  # the view and the CSRF check meet the same error and answer it as usual
        pass


class AtomicRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        read_body_first(request)
        committed = False

        def mark_committed():
            nonlocal committed
            committed = True

        response = None
        try:
            with transaction.atomic():
                # Runs first among the callbacks of the commit: what fails after it (a job not queued, a
                # purge not sent) no longer undoes the change, and must not answer as if it had.
                transaction.on_commit(mark_committed)
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
        except Exception:
            if not committed or response is None:
                raise
            # The change is stored; a follow-up job failed. The worker's sweeps send mail and index pages
            # that a lost job left behind, so the person is told the truth: it was saved.
            logger.exception(
                "after-commit work failed for %s %s; the change itself is saved", request.method, request.path
            )
        return response

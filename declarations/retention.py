"""Deleting what the register no longer needs to keep (APPI: personal data is kept no longer than needed).

`purge_expired()` is the daily retention purge the worker runs (declarations/tasks.py): once a
rejected or withdrawn application's decision is older than DECLARATIONS_RETENTION_DAYS, its contact
details (`PRIVATE_FIELDS`), its logo and its mails are erased. The declaration row itself stays, with
its 受付番号, status and dates, so the audit trail of who decided what and when stays whole.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .logos import LOGO_FOLDER, ORPHAN_GRACE, delete_after_commit, logo_storage
from .models import PRIVATE_FIELDS, Declaration, OutboundEmail, Status

logger = logging.getLogger(__name__)

ENDED = [Status.REJECTED, Status.WITHDRAWN]


def retention_period():
    return timedelta(days=settings.DECLARATIONS_RETENTION_DAYS)


def purge_expired(now=None, retention=None):
    """Erase the personal data of applications that ended more than `retention` ago (default: the
    setting); returns what was erased as {"declarations": [ids], "logos": n, "emails": n}.

    Also deletes every mail sent more than `retention` ago: a receipt names its contact person.
    Running it twice erases nothing more the second time.
    """
    now = now or timezone.now()
    retention = retention if retention is not None else retention_period()
    cutoff = now - retention
    ended = Declaration.objects.filter(status__in=ENDED, decided_at__lt=cutoff)
    holds_personal_data = Q()
    for field in PRIVATE_FIELDS:
        holds_personal_data |= ~Q(**{field: ""})
    with transaction.atomic():
        ids = sorted(ended.filter(holds_personal_data).values_list("pk", flat=True))
        Declaration.objects.filter(pk__in=ids).update(**dict.fromkeys(PRIVATE_FIELDS, ""))
        emails, _ = OutboundEmail.objects.filter(Q(declaration__in=ended) | Q(sent_at__lt=cutoff)).delete()
    logos = purge_unused_logos(older_than=retention)
    # Ids and counts only: the log must not hold what was just erased.
    logger.info(
        "retention purge (%s days): personal data erased from %s declarations %s, %s logos and %s mails deleted",
        retention.days,
        len(ids),
        ids,
        len(logos),
        emails,
    )
    return {"declarations": ids, "logos": len(logos), "emails": emails}


def purge_unused_logos(older_than):
    """Delete the logos nobody will see again; returns the names of the files deleted.

    - the logo of every rejected or withdrawn declaration decided more than `older_than` (a timedelta)
      ago; the declaration keeps its other data and shows no logo;
    - any file in the logo folder that no declaration names (left by an interrupted save), once it is
      older than both `older_than` and a day.
    """
    storage = logo_storage()
    now = timezone.now()
    deleted = []
    ended = Declaration.objects.filter(
        status__in=[Status.REJECTED, Status.WITHDRAWN], decided_at__lt=now - older_than
    ).exclude(logo="")
    for pk, name in ended.values_list("pk", "logo"):
        with transaction.atomic():
            if Declaration.objects.filter(pk=pk, logo=name).update(logo=""):
                delete_after_commit(name)
                deleted.append(name)

    orphan_before = now - max(older_than, ORPHAN_GRACE)
    try:
        _, files = storage.listdir(LOGO_FOLDER)
    except FileNotFoundError:
        files = []
    used = set(Declaration.objects.exclude(logo="").values_list("logo", flat=True))
    for filename in files:
        name = LOGO_FOLDER + filename
        if name not in used and storage.get_modified_time(name) < orphan_before:
            storage.delete(name)
            deleted.append(name)
    return deleted

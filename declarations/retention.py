"""Deleting what the register no longer needs to keep (APPI: personal data is kept no longer than needed)."""

from django.db import transaction
from django.utils import timezone

from .logos import LOGO_FOLDER, ORPHAN_GRACE, delete_after_commit, logo_storage
from .models import Declaration, Status


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

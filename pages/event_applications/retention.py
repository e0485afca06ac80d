"""Deleting applications once their event is long over (APPI: kept no longer than the purpose needs).

Applications hold names, contact details and 配慮の申出 (which may say something about a person's
health): once the event's last day is more than EVENT_APPLICATIONS_RETENTION_DAYS ago they are deleted
with their mails; nothing of them stays. Sent mail older than the period is deleted too.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ApplicationEmail, EventApplication, StaffReminder

logger = logging.getLogger(__name__)


def retention_period():
    return timedelta(days=settings.EVENT_APPLICATIONS_RETENTION_DAYS)


def purge_expired(now=None, retention=None):
    """Delete the applications to events that ended more than `retention` ago; returns
    {"applications": n, "emails": n}. Running it twice deletes nothing more the second time."""
    now = now or timezone.now()
    retention = retention if retention is not None else retention_period()
    last_day = timezone.localdate(now) - retention
    expired = EventApplication.objects.filter(
        Q(event__end_date__lt=last_day) | Q(event__end_date__isnull=True, event__start_date__lt=last_day)
    )
    with transaction.atomic():
        emails, _ = ApplicationEmail.objects.filter(
            Q(application__in=expired) | Q(sent_at__lt=now - retention)
        ).delete()
        applications = expired.count()
        expired.delete()
        StaffReminder.objects.filter(start_date__lt=last_day).delete()
    # Counts only: the log must not hold what was just deleted.
    logger.info("event applications purge (%s days): %s applications, %s mails", retention.days, applications, emails)
    return {"applications": applications, "emails": emails}

"""The event applications' part of /health/: their mail that should have gone out and has not."""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import ApplicationEmail


def check_outbox():
    grace = timezone.now() - datetime.timedelta(minutes=settings.HEALTH_MAIL_GRACE_MINUTES)
    waiting = ApplicationEmail.objects.filter(sent_at__isnull=True, created_at__lt=grace).count()
    return waiting == 0, f"{waiting} unsent"

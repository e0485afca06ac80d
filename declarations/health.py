"""The register's part of /health/: mail that should have gone out and has not, and the 宣言書's font."""

import datetime

from django.conf import settings
from django.utils import timezone

from . import certificate
from .models import OutboundEmail


def check_outbox():
    """Unsent mail older than a few minutes means the mail server (or the sender) is failing; the site
    itself still serves, so the check is reported without taking the site out of the load balancer."""
    grace = timezone.now() - datetime.timedelta(minutes=settings.HEALTH_MAIL_GRACE_MINUTES)
    waiting = OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lt=grace).count()
    return waiting == 0, f"{waiting} unsent"


def check_certificate_font():
    """Without the Japanese font no 宣言書 can be drawn: approvals still go through, but declarants get none until
    the font is back (the first download draws it); the public site still serves."""
    try:
        certificate.font_path()
    except certificate.CertificateFontMissing:
        return False, "missing: install fonts-ipaexfont-mincho or set CERTIFICATE_FONT_PATH"
    return True, "ok"

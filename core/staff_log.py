"""Log lines for staff logins, failures, lockouts and admin actions, without personal data.

A line names the account by its id (never the typed user name, which is sometimes a password typed in
the wrong box) and the client by a short keyed hash of its address, so lines from one address can be
grouped without the address itself being kept in the logs. Admin actions (moderation included) are
Wagtail's audit log entries for models other than pages (Wagtail logs page actions itself): the action
and the object's id, never its title.
"""

import hashlib
import hmac
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from .client_ip import client_address

logger = logging.getLogger("kochi_kyosei.staff")


def client_tag(request):
    """Eight hex digits standing for the client's address: the same address gives the same tag."""
    if request is None:
        return "-"
    digest = hmac.new(settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:8]


def account_id(username):
    if not username:
        return "-"
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    return str(user.pk) if user else "unknown"


def on_login(sender, request, user, **kwargs):
    logger.info("login user=%s client=%s", user.pk, client_tag(request))


def on_logout(sender, request, user, **kwargs):
    logger.info("logout user=%s client=%s", getattr(user, "pk", "-"), client_tag(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("login failed user=%s client=%s", account_id(credentials.get("username")), client_tag(request))


def on_locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning("login locked out user=%s client=%s", account_id(username), client_tag(request))


def on_log_entry(sender, instance, created, **kwargs):
    if created:
        logger.info(
            "admin action=%s model=%s object=%s user=%s",
            instance.action,
            instance.content_type.model if instance.content_type_id else "-",
            instance.object_id,
            instance.user_id or "-",
        )


def connect():
    from axes.signals import user_locked_out
    from wagtail.models import ModelLogEntry

    user_logged_in.connect(on_login, dispatch_uid="core.staff_log.login")
    user_logged_out.connect(on_logout, dispatch_uid="core.staff_log.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="core.staff_log.failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="core.staff_log.locked_out")
    # Wagtail logs page actions itself; actions on other models (the moderation queue) it does not.
    post_save.connect(on_log_entry, sender=ModelLogEntry, dispatch_uid="core.staff_log.ModelLogEntry")

"""Who a run of wrong staff passwords locks out, the lockout page, and the alert that an account is being guessed.

An account is locked only from the address the wrong passwords came from (AXES_FAILURE_LIMIT for that account
there): a stranger who knows a user name can no longer keep its owner out of the admin from their own desk. One
address that fails for any accounts STAFF_LOGIN_ADDRESS_FAILURE_LIMIT times is locked for every account, so that
it cannot try a few common passwords on each of many user names. That limit is higher than the per-account one
because colleagues behind the prefecture's shared address add up to it; a successful login from the address
clears its count (AXES_RESET_ON_SUCCESS).

Failures for one account from anywhere lock nothing, but each multiple of STAFF_LOGIN_FAILURE_ALERT within the
cool-off is a warning on `kochi_kyosei.staff` for administrators to act on.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .staff_log import account_id, client_tag, logger


def _failures(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def recent_attempts(request):
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def address_failures(request):
    return _failures(recent_attempts(request).filter(ip_address=request.axes_ip_address))


def account_failures(username, request):
    """Failures for the account from every address within the cool-off: what the alert counts."""
    return _failures(recent_attempts(request).filter(username=username)) if username else 0


def address_locked(request):
    return address_failures(request) >= settings.STAFF_LOGIN_ADDRESS_FAILURE_LIMIT


class StaffLoginHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        here = _failures(recent_attempts(request).filter(username=username, ip_address=request.axes_ip_address))
        if address_locked(request):
            return max(here, get_failure_limit(request, credentials))
        return here

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        username = get_client_username(request, credentials) if request is not None else None
        before = account_failures(username, request) if request is not None else 0
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        after = account_failures(username, request)
        every = settings.STAFF_LOGIN_FAILURE_ALERT
        if after // every > before // every:
            addresses = recent_attempts(request).filter(username=username).values("ip_address").distinct().count()
            logger.warning(
                "login failures alert user=%s failures=%d addresses=%d minutes=%d client=%s",
                account_id(username),
                after,
                addresses,
                get_cool_off(request).total_seconds() // 60,
                client_tag(request),
            )


def lockout_response(request, original_response=None, credentials=None):
    """The Japanese lockout page (429) with Retry-After: both from the one cool-off setting."""
    cool_off = get_cool_off(request)
    by_address = address_locked(request)
    context = {
        "failure_limit": (
            settings.STAFF_LOGIN_ADDRESS_FAILURE_LIMIT if by_address else get_failure_limit(request, credentials)
        ),
        "by_address": by_address,
        "minutes": int(cool_off.total_seconds() // 60),
    }
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response

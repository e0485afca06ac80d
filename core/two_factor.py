"""Two-factor authentication (TOTP) for the staff who see applicants' personal data.

django-otp keeps the devices and checks the codes; this module decides who must use it, sends them
to enrol (a QR code for an authenticator app) or to enter a code, and keeps them out of the rest of
/admin/ until they have. wagtail-2fa would do the same, but its releases declare Wagtail 2–4 and
require a second factor of every admin user; here editors who never see personal data are exempt.
"""

import logging

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin_paths import is_admin_path

logger = logging.getLogger("kochi_kyosei.staff")

# Admin URLs a person who has not yet given a second factor may still reach (the last two: the icons
# and translations the enrolment page itself loads).
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "staff_2fa_enrol",
    "staff_2fa_verify",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}


def requires_two_factor(user):
    if not settings.STAFF_2FA_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=settings.STAFF_2FA_GROUPS).exists()


def has_passed_two_factor(user):
    """Whether `user` may see what 2FA protects: either no second factor is asked of them, or they gave it
    this session. Views outside /admin/ that show applicants' data to staff ask this too."""
    return not requires_two_factor(user) or user.is_verified()


def next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def with_next(url_name, target):
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


class RequireTwoFactorMiddleware:
    """After django-otp's OTPMiddleware: reviewers and administrators who have not given a code this
    session are sent to enrol (no device yet) or to verify, whatever /admin/ address they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request.path) and not self.is_open(request):
            user = request.user
            if not has_passed_two_factor(user):
                name = "staff_2fa_verify" if django_otp.user_has_device(user) else "staff_2fa_enrol"
                return redirect(with_next(name, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def is_open(request):
        try:
            return resolve(request.path_info).url_name in OPEN_URL_NAMES
        except Resolver404:
            return False


class TokenForm(forms.Form):
    token = forms.CharField(
        label="確認コード（6桁）",
        min_length=6,
        max_length=6,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
        error_messages={"required": "確認コードを入力してください。", "min_length": "確認コードは6桁です。"},
    )


WRONG_CODE = "確認コードが正しくありません。認証アプリに表示されている最新の6桁を入力してください。"


def _require_staff(request):
    return request.user.is_authenticated and requires_two_factor(request.user)


def enrol(request):
    """Show a new authenticator key as a QR code; confirm it with the first code the app shows."""
    if not _require_staff(request):
        return redirect("wagtailadmin_home")
    if django_otp.user_has_device(request.user):
        return redirect(with_next("staff_2fa_verify", next_url(request)))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="認証アプリ", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            logger.info("2fa enrolled user=%s", request.user.pk)
            messages.success(request, "2段階認証を設定しました。次回からログインのたびに確認コードを入力します。")
            return redirect(next_url(request))
        logger.warning("2fa enrol wrong code user=%s", request.user.pk)
        form.add_error("token", WRONG_CODE)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url(request),
        "qr_svg": qr.svg_inline(scale=5, dark="#000", light="#fff", title="認証アプリ用のQRコード"),
        "secret": _grouped(device),
    }
    return render(request, "staff_security/two_factor_enrol.html", context)


def verify(request):
    """Ask for the current code from the person's authenticator app."""
    if not _require_staff(request):
        return redirect("wagtailadmin_home")
    if not django_otp.user_has_device(request.user):
        return redirect(with_next("staff_2fa_enrol", next_url(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            logger.info("2fa verified user=%s", request.user.pk)
            return redirect(next_url(request))
        logger.warning("2fa wrong code user=%s", request.user.pk)
        form.add_error("token", WRONG_CODE)
    return render(request, "staff_security/two_factor_verify.html", {"form": form, "next": next_url(request)})


def _grouped(device):
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

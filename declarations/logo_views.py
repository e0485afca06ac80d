"""Who may see a logo: the public while the declaration is published, reviewers always, and the
applicant on the private correction page.

The logo files are outside the public media folder (see logos.py); these views are the only way to
them. A status check on every request cannot go stale the way moving files on each state change
could (a failed move, a change made with `update()`), and withdrawing a declaration hides its logo
at once.

Caching: each upload gets a new random file name, so the public URL of a logo never shows another
picture. What can change is whether it may be shown at all, so shared caches keep it an hour
(LOGO_MAX_AGE) and then revalidate (ETag, Last-Modified). The other two views answer `no-store`.
"""

from functools import wraps
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from core.two_factor import has_passed_two_factor

from .correction_views import no_leak
from .logos import LOGO_CONTENT_TYPES, LOGO_FOLDER, logo_storage
from .models import Declaration

LOGO_MAX_AGE = 60 * 60


def file_response(request, name, **cache_control):
    storage = logo_storage()
    if not name or not storage.exists(name):
        raise Http404("ロゴ画像がありません。")
    extension = PurePosixPath(name).suffix.lstrip(".")
    etag = f'"{PurePosixPath(name).stem}"'
    last_modified = int(storage.get_modified_time(name).timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FileResponse(storage.open(name), content_type=LOGO_CONTENT_TYPES.get(extension, "image/png"))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, **cache_control)
    return response


def not_found_uncached(view):
    """A 404 that no cache keeps: the logo of an application approved a minute later must then show."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
            response["Cache-Control"] = "no-store"
            return response

    return wrapper


@not_found_uncached
def public_logo(request, filename):
    """A published declaration's logo, for anyone."""
    name = LOGO_FOLDER + filename
    if not Declaration.objects.public().filter(logo=name).exists():
        raise Http404("ロゴ画像がありません。")
    return file_response(request, name, public=True, max_age=LOGO_MAX_AGE)


@not_found_uncached
def review_logo(request, pk):
    """Any declaration's current logo, for staff who may view applications (the admin's 申請内容 page)."""
    user = request.user
    # Outside /admin/, so the admin's second-factor middleware does not see it: ask the same rule here.
    if (
        not user.is_authenticated
        or not user.has_perm("declarations.view_declaration")
        or not has_passed_two_factor(user)
    ):
        raise Http404("ロゴ画像がありません。")
    declaration = get_object_or_404(Declaration, pk=pk)
    return file_response(request, declaration.logo.name, private=True, no_store=True)


@not_found_uncached
def correction_logo(request, token):
    """The logo of the application that a valid correction link opens, for the applicant's correction page."""
    declaration = Declaration.objects.awaiting_correction(token)
    if declaration is None or declaration.correction_link_expired:
        raise Http404("ロゴ画像がありません。")
    return no_leak(file_response(request, declaration.logo.name, private=True, no_store=True))

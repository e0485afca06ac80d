"""Site-wide error pages that need a view: the CSRF failure page (setting CSRF_FAILURE_VIEW).

It lives in the project package because it names the flows of more than one app: where a flow keeps
what was typed (the application draft in the session), the page says so and links back to that step.
"""

from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from declarations.views import DRAFT_KEY


def back_to_form_url(request):
    """The address of the page that was sent (a GET there shows its form again), or the home page."""
    url = request.get_full_path()
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return "/"


def application_draft_kept(request):
    # A CSRF failure changes nothing in the session: a draft confirmed earlier is still there.
    return request.path.startswith(reverse("declarations:apply")) and bool(request.session.get(DRAFT_KEY))


@never_cache
def csrf_failure(request, reason=""):
    context = {
        "back_url": back_to_form_url(request),
        "cookie_missing": reason == REASON_NO_CSRF_COOKIE,
        "draft_kept": application_draft_kept(request),
    }
    return render(request, "403_csrf.html", context, status=403)

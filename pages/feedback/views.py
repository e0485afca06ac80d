"""The feedback box's endpoint: POST, then a redirect to a thank-you page (works without JavaScript).

Cache-safe by design: the box on every content page is a plain form with no CSRF token, so a page the
full-page cache keeps for anonymous visitors holds nothing per-visitor. The endpoint is therefore
`csrf_exempt`, and instead refuses a post whose Origin (or Referer) is not this site
(`core.origin`), and limits each client to RATE_LIMIT answers an hour. Nothing else is at stake:
the form changes no one's data and logs no one in; the worst a forged post could do is add an answer,
which the same two checks bound.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
from core.origin import is_same_origin_post

from .forms import FeedbackForm, target_from
from .models import Feedback

# (answers allowed, window in seconds) per client; settings may override it with FEEDBACK_RATE_LIMIT.
RATE_LIMIT = (10, 60 * 60)


def rate_limit():
    return getattr(settings, "FEEDBACK_RATE_LIMIT", RATE_LIMIT)


def trail(target, last_title):
    """Breadcrumbs for a page about `target`: the places above it, it, then `last_title`."""
    return [*target.trail, {"title": last_title, "url": ""}]


def _target_from_query(request):
    target = target_from(request.GET)
    if target is None:
        raise Http404
    return target


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def submit(request):
    """GET ?page=ID or ?path=/…/: the box on a page of its own. POST: store the answer and go to the thank-you
    page."""
    if request.method == "GET":
        target = _target_from_query(request)
        form = FeedbackForm(initial=_initial(target))
        return _form_page(request, target, form)

    breadcrumbs = [{"title": gettext("ご意見の送信"), "url": ""}]
    if not is_same_origin_post(request):
        return render(request, "feedback/refused.html", {"breadcrumbs": breadcrumbs}, status=403)
    allowed, window = rate_limit()
    if not ratelimit.hit(f"feedback:ratelimit:{ratelimit.hashed_address_key(request)}", allowed, window):
        response = render(request, "feedback/rate_limited.html", {"breadcrumbs": breadcrumbs}, status=429)
        response["Retry-After"] = str(window)
        return response

    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if form.target is None:
            raise Http404
        return _form_page(request, form.target, form, status=400)
    target = form.target
    Feedback.record(target=target, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    return redirect(f"{reverse('feedback:thanks')}?{urlencode(_initial(target))}")


def _initial(target):
    return {"page": target.page.pk} if target.page is not None else {"path": target.url}


def _form_page(request, target, form, status=200):
    context = {"form": form, "feedback_page": target, "breadcrumbs": trail(target, gettext("ご意見の送信"))}
    return render(request, "feedback/form_page.html", context, status=status)


@require_GET
def thanks(request):
    target = _target_from_query(request)
    context = {"feedback_page": target, "breadcrumbs": trail(target, gettext("ご意見ありがとうございました"))}
    return render(request, "feedback/thanks.html", context)

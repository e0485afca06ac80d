"""The feedback box's endpoint: POST, then a redirect to a thank-you page (works without JavaScript).

Cache-safe by design: the box on every content page is a plain form with no CSRF token, so a page the
full-page cache keeps for anonymous visitors holds nothing per-visitor. The endpoint is therefore
`csrf_exempt`, and instead refuses a post whose Origin (or Referer) is not this site
(`core.origin`), and limits each client to RATE_LIMIT answers an hour. Nothing else is at stake:
the form changes no one's data and logs no one in; the worst a forged post could do is add an answer,
which the same two checks bound.
"""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core import ratelimit
from core.origin import is_same_origin_post

from .forms import FeedbackForm, PageIdField
from .models import Feedback

# (answers allowed, window in seconds) per client; settings may override it with FEEDBACK_RATE_LIMIT.
RATE_LIMIT = (10, 60 * 60)


def rate_limit():
    return getattr(settings, "FEEDBACK_RATE_LIMIT", RATE_LIMIT)


def page_trail(page, last_title):
    """Breadcrumbs for a page about `page`: its ancestors below the home page, the page, then `last_title`."""
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gt=2).specific()
    trail = [{"title": getattr(ancestor, "short_title", ancestor.title), "url": ancestor.url} for ancestor in ancestors]
    return [*trail, {"title": last_title, "url": ""}]


def _page_from_query(request):
    try:
        page = PageIdField().clean(request.GET.get("page"))
    except forms.ValidationError:
        page = None
    if page is None:
        raise Http404
    return page


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def submit(request):
    """GET ?page=ID: the box on a page of its own. POST: store the answer and go to the thank-you page."""
    if request.method == "GET":
        page = _page_from_query(request)
        form = FeedbackForm(initial={"page": page.pk})
        return _form_page(request, page, form)

    if not is_same_origin_post(request):
        return render(
            request, "feedback/refused.html", {"breadcrumbs": [{"title": "ご意見の送信", "url": ""}]}, status=403
        )
    allowed, window = rate_limit()
    if not ratelimit.hit(f"feedback:ratelimit:{ratelimit.hashed_address_key(request)}", allowed, window):
        response = render(
            request, "feedback/rate_limited.html", {"breadcrumbs": [{"title": "ご意見の送信", "url": ""}]}, status=429
        )
        response["Retry-After"] = str(window)
        return response

    form = FeedbackForm(request.POST)
    if not form.is_valid():
        page = form.cleaned_data.get("page") if "page" not in form.errors else None
        if page is None:
            raise Http404
        return _form_page(request, page, form, status=400)
    Feedback.record(
        page=form.cleaned_data["page"], rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
    )
    return redirect(f"{reverse('feedback:thanks')}?page={form.cleaned_data['page'].pk}")


def _form_page(request, page, form, status=200):
    context = {"form": form, "feedback_page": page, "breadcrumbs": page_trail(page, "ご意見の送信")}
    return render(request, "feedback/form_page.html", context, status=status)


@require_GET
def thanks(request):
    page = _page_from_query(request)
    context = {"feedback_page": page, "breadcrumbs": page_trail(page, "ご意見ありがとうございました")}
    return render(request, "feedback/thanks.html", context)

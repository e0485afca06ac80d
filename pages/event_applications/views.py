"""The public side: /events/<slug>/apply/ (入力 → 確認 → 完了) and the private cancellation link.

As on the declaration form, what was typed waits in the session (per event) between 入力 and 確認,
the application is created only from 確認 with a one-time submission key (pressing twice makes one),
each step is never cached, and posts are counted per address. Whether the event still takes
applications is checked on every step and again, under the event's lock, when it is saved.
"""

import secrets
from dataclasses import asdict

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from core import ratelimit
from pages.models import ApplicationStatus, EventPage

from .forms import PRIVACY_POLICY_URL, EventApplicationForm
from .models import ApplicationsClosed, EventApplication, NotCancellable, Status, WaitingReason, availability

# scope → (requests allowed per address, window in seconds); EVENT_APPLICATIONS_RATE_LIMITS overrides.
DEFAULT_LIMITS = {"form": (30, 60 * 60), "submit": (10, 60 * 60), "cancel": (30, 60 * 60)}


def limit(scope):
    return {**DEFAULT_LIMITS, **getattr(settings, "EVENT_APPLICATIONS_RATE_LIMITS", {})}[scope]


def within_limit(request, scope):
    allowed, window = limit(scope)
    return ratelimit.hit(f"event_applications:ratelimit:{scope}:{ratelimit.address_key(request)}", allowed, window)


def draft_key(event):
    return f"event_application_draft:{event.pk}"


def completed_key(event):
    return f"event_application_completed:{event.pk}"


def event_for(slug):
    """The live event that takes (or took) applications on the site, or 404."""
    event = EventPage.objects.live().filter(slug=slug).exclude(application_status=ApplicationStatus.NONE).first()
    if event is None:
        raise Http404
    return event


def crumbs(event, last=None):
    index = event.get_parent()
    items = [{"title": index.title, "url": index.url}, {"title": event.title, "url": event.url}]
    items.append({"title": last or "参加申込み", "url": reverse("event_applications:apply", args=[event.slug])})
    return items


def base_context(event, **extra):
    return {
        "event": event,
        "availability": availability(event),
        "breadcrumbs": crumbs(event),
        "privacy_policy_url": PRIVACY_POLICY_URL,
        **extra,
    }


def closed(request, event):
    request.session.pop(draft_key(event), None)
    return render(request, "event_applications/apply_closed.html", base_context(event))


def rate_limited(request, event, scope):
    response = render(request, "event_applications/rate_limited.html", base_context(event), status=429)
    response["Retry-After"] = str(limit(scope)[1])
    return response


def draft_form(event, draft):
    return EventApplicationForm(event, data=MultiValueDict(draft["data"]))


@method_decorator(never_cache, name="dispatch")
class ApplyView(View):
    """入力: the form; a valid POST keeps the input in the session and goes on to 確認."""

    def get(self, request, slug):
        event = event_for(slug)
        if not availability(event).accepting:
            return closed(request, event)
        draft = request.session.get(draft_key(event))
        form = draft_form(event, draft) if draft else EventApplicationForm(event)
        return self.render(request, event, form)

    def post(self, request, slug):
        event = event_for(slug)
        if not availability(event).accepting:
            return closed(request, event)
        if not within_limit(request, "form"):
            return rate_limited(request, event, "form")
        form = EventApplicationForm(event, data=request.POST)
        if not form.is_valid():
            return self.render(request, event, form)
        data = {name: request.POST.getlist(name) for name in form.fields}
        # A fresh one-time key for each confirmed input: submitting twice with it makes one application.
        request.session[draft_key(event)] = {"data": data, "submission_key": secrets.token_urlsafe(32)}
        return redirect("event_applications:confirm", slug=event.slug)

    def render(self, request, event, form):
        return render(request, "event_applications/apply_form.html", base_context(event, form=form))


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """確認: what was typed, read-only, and whether it will be a confirmed place or the waiting list (and why)."""

    def get(self, request, slug):
        event = event_for(slug)
        if not availability(event).accepting:
            return closed(request, event)
        draft = request.session.get(draft_key(event))
        if not draft:
            return redirect("event_applications:apply", slug=event.slug)
        form = draft_form(event, draft)
        if not form.is_valid():
            # E.g. staff changed the questions meanwhile: the form says what to fill in.
            return redirect("event_applications:apply", slug=event.slug)
        context = base_context(event, form=form, rows=form.confirmation_rows())
        # From the same reading as the 受付状況 shown beside it; `submit` asks the same question again under the lock.
        context["waiting_reason"] = context["availability"].waiting_reason(form.cleaned_data["party_size"])
        return render(request, "event_applications/apply_confirm.html", context)

    def post(self, request, slug):
        event = event_for(slug)
        draft = request.session.get(draft_key(event))
        if not draft:
            if request.session.get(completed_key(event)):
                return redirect("event_applications:complete", slug=event.slug)
            return redirect("event_applications:apply", slug=event.slug)
        if request.POST.get("action") == "back":
            return redirect("event_applications:apply", slug=event.slug)
        if not within_limit(request, "submit"):
            return rate_limited(request, event, "submit")
        form = draft_form(event, draft)
        if not form.is_valid():
            return redirect("event_applications:apply", slug=event.slug)
        try:
            application, _ = EventApplication.objects.submit(form.save(), submission_key=draft["submission_key"])
        except ApplicationsClosed:
            return closed(request, event)
        request.session.pop(draft_key(event), None)
        request.session[completed_key(event)] = {
            "reference_number": application.reference_number,
            "waiting": application.status == Status.WAITING,
            "waiting_reason": asdict(application.waiting_reason) if application.waiting_reason else None,
            "email": application.email,
        }
        return redirect("event_applications:complete", slug=event.slug)


@method_decorator(never_cache, name="dispatch")
class CompleteView(View):
    """完了: the 受付番号 and whether the place is confirmed or on the waiting list; reloading creates nothing."""

    def get(self, request, slug):
        event = event_for(slug)
        completed = request.session.get(completed_key(event))
        if not completed:
            return redirect("event_applications:apply", slug=event.slug)
        reason = completed.get("waiting_reason")
        context = base_context(event, **{**completed, "waiting_reason": WaitingReason(**reason) if reason else None})
        return render(request, "event_applications/apply_complete.html", context)


@method_decorator(never_cache, name="dispatch")
class CancelView(View):
    """The private link from the receipt: GET asks to confirm, POST cancels. A wrong or used link gets a
    page that says so (never a 500, never whether some other application exists)."""

    def get(self, request, slug, token):
        application = EventApplication.objects.by_cancel_token(slug, token)
        return self.render(request, slug, application)

    def post(self, request, slug, token):
        if not within_limit(request, "cancel"):
            return rate_limited(request, event_for(slug), "cancel")
        application = EventApplication.objects.by_cancel_token(slug, token)
        if application is None:
            return self.render(request, slug, None)
        try:
            application.cancel()
        except NotCancellable:
            application.refresh_from_db()
            return self.render(request, slug, application)
        return redirect("event_applications:cancel", slug=slug, token=token)

    def render(self, request, slug, application):
        if application is None:
            return render(request, "event_applications/cancel_invalid.html", {"breadcrumbs": []}, status=404)
        event = application.event
        context = base_context(event, application=application, breadcrumbs=crumbs(event, "申込みのキャンセル"))
        return render(request, "event_applications/cancel.html", context)

"""Public views: the three-step application form, the register, each declaration's page, open data.

The application form keeps what was typed in the session between 入力 and 確認 (the logo as the
re-encoded image bytes, so no file exists in media storage for an application nobody submitted), and
creates the application only from the 確認 step through `Declaration.objects.submit`. From then on the
logo is a media file under a random 128-bit name, linked from nowhere until the declaration is published.
"""

import base64
import csv
import json
import secrets

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_noop
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from core import page_cache
from core.spreadsheet import safe_cell
from core.text import clean_query
from pages.languages import view_translations

from . import opendata, ratelimit
from .forms import ApplicationForm, RegisterFilterForm, logo_content_file
from .models import ActivityArea, Declaration, Municipality, Status

DRAFT_KEY = "declarations_draft"
LOGO_KEY = "declarations_draft_logo"
COMPLETED_KEY = "declarations_completed"

# The register's title as staff read it in feedback (pages/feedback), and as the breadcrumb shows it in the
# page's language (register_crumb).
REGISTER_CRUMB = {"title": gettext_noop("宣言企業・団体一覧"), "url": "/declarations/"}
APPLY_CRUMBS = [REGISTER_CRUMB, {"title": "推進宣言の申請", "url": "/declarations/apply/"}]


def register_crumb():
    """The register's breadcrumb in the active language, at its address in that language (/en/declarations/)."""
    return {"title": gettext(REGISTER_CRUMB["title"]), "url": reverse("declarations:register")}


# The application form


def rate_limited(request, scope):
    response = render(request, "declarations/rate_limited.html", {"breadcrumbs": APPLY_CRUMBS}, status=429)
    response["Retry-After"] = str(ratelimit.retry_after(scope))
    return response


def draft_form(draft):
    """The application form bound to what was typed earlier (the logo travels separately)."""
    return ApplicationForm(data=MultiValueDict(draft["data"]))


def pending_logo(request):
    """(data URI for the preview, ContentFile for saving) of the logo chosen earlier, or (None, None).

    The re-encoded image waits in the session, not in media storage, until the application is submitted.
    """
    logo = request.session.get(LOGO_KEY)
    if not logo:
        return None, None
    mime = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[logo["extension"]]
    data = base64.b64decode(logo["data"])
    return f"data:{mime};base64,{logo['data']}", logo_content_file(data, logo["extension"])


def forget_application(request):
    request.session.pop(DRAFT_KEY, None)
    request.session.pop(LOGO_KEY, None)


# The form's pages carry what the applicant typed, private fields included: never cached anywhere.
@method_decorator(never_cache, name="dispatch")
class ApplyView(View):
    """入力: the form. A valid POST keeps the input in the session and goes on to 確認."""

    template_name = "declarations/apply_form.html"

    def get(self, request):
        draft = request.session.get(DRAFT_KEY)
        form = draft_form(draft) if draft else ApplicationForm()
        return self.render(request, form)

    def post(self, request):
        if not ratelimit.hit(request, "form"):
            return rate_limited(request, "form")
        form = ApplicationForm(data=request.POST, files=request.FILES)
        valid = form.is_valid()
        if form.is_spam:
            # Answer a robot as blandly as a person: nothing is stored, nothing says why.
            forget_application(request)
            return render(request, "declarations/apply_not_accepted.html", {"breadcrumbs": APPLY_CRUMBS})

        # A logo that passed its checks is kept even when another field has an error.
        new_logo = form.cleaned_data.get("logo") if "logo" not in form.errors else None
        if new_logo:
            new_logo.seek(0)
            request.session[LOGO_KEY] = {
                "data": base64.b64encode(new_logo.read()).decode("ascii"),
                "extension": new_logo.name.rsplit(".", 1)[-1],
            }
        elif request.POST.get("remove_logo"):
            request.session.pop(LOGO_KEY, None)
        if not valid:
            return self.render(request, form)

        data = {
            name: request.POST.getlist(name)
            for name in form.fields
            if name not in ("logo", ApplicationForm.HONEYPOT_FIELD)
        }
        # A fresh one-time key for each confirmed input: submitting twice with it makes one application.
        request.session[DRAFT_KEY] = {"data": data, "submission_key": secrets.token_urlsafe(32)}
        return redirect("declarations:apply_confirm")

    def render(self, request, form):
        preview, _ = pending_logo(request)
        return render(
            request,
            self.template_name,
            {"form": form, "pending_logo": preview, "breadcrumbs": APPLY_CRUMBS},
        )


@method_decorator(never_cache, name="dispatch")
class ApplyConfirmView(View):
    """確認: everything typed, read-only, with 「入力内容を修正する」 and 「この内容で申請する」."""

    template_name = "declarations/apply_confirm.html"

    def get(self, request):
        draft = request.session.get(DRAFT_KEY)
        if not draft:
            return redirect("declarations:apply")
        form = draft_form(draft)
        if not form.is_valid():
            # E.g. staff removed an activity area meanwhile: the form shows the reason.
            return redirect("declarations:apply")
        preview, _ = pending_logo(request)
        return render(
            request,
            self.template_name,
            {"form": form, "pending_logo": preview, "rows": form.confirmation_rows(), "breadcrumbs": APPLY_CRUMBS},
        )

    def post(self, request):
        draft = request.session.get(DRAFT_KEY)
        if not draft:
            # Pressed twice: the first press already made the application.
            if request.session.get(COMPLETED_KEY):
                return redirect("declarations:apply_complete")
            return redirect("declarations:apply")
        if request.POST.get("action") == "back":
            return redirect("declarations:apply")
        if not ratelimit.hit(request, "submit"):
            return rate_limited(request, "submit")
        form = draft_form(draft)
        if not form.is_valid():
            return redirect("declarations:apply")
        declaration = form.save(commit=False)
        _, logo = pending_logo(request)
        if logo:
            declaration.logo = logo
        declaration, _ = Declaration.objects.submit(
            declaration, areas=form.cleaned_data["areas"], submission_key=draft["submission_key"]
        )
        forget_application(request)
        request.session[COMPLETED_KEY] = {"reference_number": declaration.reference_number}
        return redirect("declarations:apply_complete")


@method_decorator(never_cache, name="dispatch")
class ApplyCompleteView(View):
    """完了: the 受付番号; reloading shows it again and creates nothing."""

    def get(self, request):
        completed = request.session.get(COMPLETED_KEY)
        if not completed:
            return redirect("declarations:apply")
        return render(request, "declarations/apply_complete.html", {**completed, "breadcrumbs": APPLY_CRUMBS})


# The public register


def municipality_counts():
    """Each municipality (and 県外) with its number of published declarations, in the usual order."""
    rows = list(Municipality.objects.with_public_counts().order_by("sort_order"))
    largest = max((row.declarants for row in rows), default=0) or 1
    for row in rows:
        row.percent = round(row.declarants * 100 / largest, 1)
    return rows


class RegisterView(ListView):
    """The register: published declarations, searchable, filterable, 20 to a page."""

    template_name = "declarations/register.html"
    context_object_name = "declarations"
    paginate_by = 20

    def get_queryset(self):
        page_cache.shows_no_pages()  # a publish leaves the register's pages stored
        # The chart's municipalities are also the filter's options: one query for both.
        self.municipality_counts = municipality_counts()
        self.filter_form = RegisterFilterForm(
            clean_query(self.request.GET) or None,
            municipalities=self.municipality_counts,
            areas=ActivityArea.objects.all(),
        )
        filters = self.filter_form.cleaned_filters()
        return Declaration.objects.for_register(
            q=filters.get("q"),
            municipality=filters.get("municipality"),
            organisation_type=filters.get("type"),
            area=filters.get("area"),
            sort=filters.get("sort"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.municipality_counts
        context.update(
            filter_form=self.filter_form,
            is_filtered=any(self.filter_form.cleaned_filters().get(k) for k in ("q", "municipality", "type", "area")),
            municipality_counts=counts,
            total_declarants=sum(row.declarants for row in counts),
            columns=opendata.COLUMNS,
            licence=opendata.licence(self.request),
            breadcrumbs=[register_crumb()],
            view_translations=view_translations(self.request),
        )
        return context


class DeclarationDetailView(DetailView):
    """One published declaration: logo, representative, content, 宣言日."""

    template_name = "declarations/declaration_detail.html"
    context_object_name = "declaration"

    def get_queryset(self):
        # Only this entry, tagged as its own page: another entry's approval, or a publish, leaves it stored.
        page_cache.shows_no_pages()
        # Not public (yet): the 404 is stored too, until its tag says the entry changed (an approval).
        page_cache.store_not_found()
        return Declaration.objects.for_register(entry=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            if not Declaration.objects.filter(pk=kwargs["pk"], status=Status.WITHDRAWN).exists():
                raise
        # Once public, now withdrawn: say so (410 Gone), and name nothing of it.
        response = render(
            request, "declarations/declaration_gone.html", {"breadcrumbs": [register_crumb()]}, status=410
        )
        response["Cache-Control"] = "no-cache"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The entry's name stays as written: Japanese, also on the English page.
        context["breadcrumbs"] = [
            register_crumb(),
            {"title": self.object.name, "url": self.request.path, "lang": settings.LANGUAGE_CODE},
        ]
        context["view_translations"] = view_translations(self.request)
        return context


# Open data


def open_data_rows(request):
    queryset = Declaration.objects.for_register(sort="kana")
    base = request.build_absolute_uri("/").rstrip("/")
    for declaration in queryset.iterator(chunk_size=500):
        yield opendata.row(declaration, base + reverse("declarations:detail", args=[declaration.pk]))


def open_to_all(response):
    # Open data: other sites' pages may fetch it too. It holds nothing private and needs no cookie.
    response["Access-Control-Allow-Origin"] = "*"
    return response


class Echo:
    def write(self, value):
        return value


@require_safe
def register_csv(request):
    """The register's public fields as CSV, UTF-8 with a BOM so that Excel opens it as UTF-8."""
    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff" + writer.writerow([column.header for column in opendata.COLUMNS])
        for values in open_data_rows(request):
            yield writer.writerow([safe_cell(values[column.key]) for column in opendata.COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kochi-kyosei-declarations.csv"'
    return open_to_all(opendata.state_licence(response, opendata.licence(request)))


@require_safe
def register_json(request):
    """The register's public fields as JSON: {"license": {...}, "columns": [...], "declarations": [...]}."""
    licence = opendata.licence(request)
    document = {
        "title": "高知家地域共生社会推進宣言 宣言企業・団体一覧",
        "license": {"name": licence.name, "url": licence.url},
        "columns": [{"key": c.key, "name": c.header, "description": c.description} for c in opendata.COLUMNS],
        "declarations": list(open_data_rows(request)),
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    return open_to_all(opendata.state_licence(response, licence))

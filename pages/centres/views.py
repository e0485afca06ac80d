"""/centres/: the directory grouped by region and municipality, each centre's page, and the open data."""

import csv
import json

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from core import page_cache
from core.spreadsheet import safe_cell
from core.text import clean_query
from pages import opendata as site_opendata
from pages.languages import view_translations

from . import opendata
from .forms import CentreFilterForm
from .models import Centre, CentreService, grouped_by_region

# The directory's title as staff read it in feedback (pages/feedback), and as the breadcrumb shows it in the
# page's language (list_crumb).
LIST_CRUMB = {"title": gettext_noop("あったかふれあいセンター"), "url": "/centres/"}


def list_crumb():
    """The directory's breadcrumb in the active language, at its address in that language (/en/centres/)."""
    return {"title": gettext(LIST_CRUMB["title"]), "url": reverse("centres:list")}


def centre_list(request):
    page_cache.shows_no_pages()  # a publish leaves the directory's pages stored
    services = list(CentreService.objects.all())
    form = CentreFilterForm(clean_query(request.GET) or None, services=services)
    filters = form.cleaned_filters()
    centres = list(Centre.objects.filtered(**filters))
    return render(
        request,
        "centres/centre_list.html",
        {
            "filter_form": form,
            "is_filtered": bool(filters["municipality"] or filters["service"]),
            "filters": filters,
            "centres": centres,
            "regions": grouped_by_region(centres),
            "services": services,
            "has_samples": any(centre.is_sample for centre in centres),
            "columns": opendata.COLUMNS,
            "licence": site_opendata.licence(request),
            "breadcrumbs": [list_crumb()],
            "view_translations": view_translations(request),
        },
    )


class CentreDetailView(DetailView):
    """One centre: where, when, what it offers, how to get in, who runs it."""

    template_name = "centres/centre_detail.html"
    context_object_name = "centre"
    slug_field = "key"
    slug_url_kwarg = "key"
    queryset = Centre.objects.prefetch_related("services")

    def get_object(self, queryset=None):
        page_cache.shows_no_pages()  # a publish leaves the centres' pages stored
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The centre's name stays as written: Japanese, also on the English page.
        context["breadcrumbs"] = [
            list_crumb(),
            {"title": self.object.display_name, "url": self.request.path, "lang": settings.LANGUAGE_CODE},
        ]
        context["view_translations"] = view_translations(self.request)
        return context


def _rows(request):
    base = request.build_absolute_uri("/").rstrip("/")
    for centre in Centre.objects.open_data():
        yield opendata.row(centre, base + reverse("centres:detail", args=[centre.key]))


class _Echo:
    def write(self, value):
        return value


def _published(response, request):
    return site_opendata.open_to_all(site_opendata.state_licence(response, site_opendata.licence(request)))


@require_safe
def centres_csv(request):
    """The directory's public fields as CSV, UTF-8 with a BOM so that Excel opens it as UTF-8."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([column.header for column in opendata.COLUMNS])
        for values in _rows(request):
            yield writer.writerow([safe_cell(values[column.key]) for column in opendata.COLUMNS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kochi-attaka-centres.csv"'
    return _published(response, request)


@require_safe
def centres_json(request):
    """The directory as JSON: {"title", "license": {...}, "columns": [...], "centres": [...]}."""
    licence = site_opendata.licence(request)
    document = {
        "title": "あったかふれあいセンター一覧",
        "license": {"name": licence.name, "url": licence.url},
        "columns": [{"key": c.key, "name": c.header, "description": c.description} for c in opendata.COLUMNS],
        "centres": list(_rows(request)),
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    return _published(response, request)

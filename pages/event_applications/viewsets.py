"""The applications in the Wagtail admin (/admin/event-applications/): a list per event with the counts
of each 配慮 type (staff book interpreters from these), the CSV export, each application's page, and
the one change staff make: 取り消す (POST, through `EventApplication.cancel`, which moves up whoever
waits). Only users with the model's permissions see any of it: it is personal data."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

import core.converters  # noqa: F401 (registers <id:…>)
from core.admin_export import ExcelCsvExportMixin
from core.spreadsheet import export_value
from core.text import parse_id
from pages.models import ApplicationStatus, EventPage

from .models import CancelledBy, EventApplication, NotCancellable, Status

EXPORT_FIELDS = [
    "reference_number",
    "status",
    "event",
    "name",
    "name_kana",
    "organisation",
    "email",
    "phone",
    "party_size",
    "attendance",
    "accommodations",
    "accommodation_details",
    "answers",
    "submitted_at",
    "confirmed_at",
    "cancelled_at",
]


def field_label(name):
    return str(EventApplication._meta.get_field(name).verbose_name)


def display_value(application, name):
    """A field as staff read it: choice labels, 配慮 labels joined, answers as 「質問：回答」, local times."""
    if name == "event":
        return application.event.title
    if name == "accommodations":
        return "、".join(application.accommodation_labels())
    if name == "answers":
        return " / ".join(f"{item.get('question', '')}：{item.get('answer', '')}" for item in application.answers)
    field = EventApplication._meta.get_field(name)
    if field.choices:
        return getattr(application, f"get_{name}_display")()
    value = getattr(application, name)
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


class EventChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        # An edited URL's 2**63 or text is "no event chosen", not an OverflowError on SQLite.
        if value in self.empty_values:
            return None
        return super().to_python(parse_id(value))


class EventFilter(django_filters.ModelChoiceFilter):
    field_class = EventChoiceField


def events_with_applications(request=None):
    return EventPage.objects.exclude(application_status=ApplicationStatus.NONE).order_by("-start_date")


class EventApplicationFilterSet(WagtailFilterSet):
    event = EventFilter(label="行事", queryset=events_with_applications, empty_label="すべて")
    status = django_filters.ChoiceFilter(label="状態", choices=Status.choices, empty_label="すべて")

    class Meta:
        model = EventApplication
        fields = ["event", "status"]


class EventApplicationIndexView(ExcelCsvExportMixin, generic.IndexView):
    page_title = "行事の参加申込み"
    results_template_name = "event_applications/admin/index_results.html"
    search_fields = ["name", "name_kana", "reference_number", "organisation", "email", "phone"]
    search_backend_name = None  # substring match in the database: Japanese has no spaces between words
    list_export = EXPORT_FIELDS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")

    @cached_property
    def columns(self):
        return [
            self._get_title_column("name"),
            Column("reference_number", label="受付番号", sort_key="reference_number"),
            Column("event", label="行事", accessor="event.title"),
            Column("party_size", label="参加人数", sort_key="party_size"),
            Column("attendance", label="参加方法", accessor="get_attendance_display"),
            Column("accommodations", label="配慮の申出", accessor=lambda a: "、".join(a.accommodation_labels())),
            StatusTagColumn(
                "status",
                label="状態",
                accessor="get_status_display",
                primary=lambda application: application.status == Status.CONFIRMED,
                sort_key="status",
            ),
            DateColumn("submitted_at", label="申込日時", sort_key="submitted_at"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = self.get_queryset()
        active = listed.exclude(status=Status.CANCELLED)
        context["summary"] = {
            "confirmed_people": sum(active.filter(status=Status.CONFIRMED).values_list("party_size", flat=True)),
            "waiting_people": sum(active.filter(status=Status.WAITING).values_list("party_size", flat=True)),
            "accommodations": active.order_by().accommodation_counts(),
        }
        return context

    # The export: every field, readable by Excel in Japan, formulas defused (the one cell rule).

    def get_heading(self, queryset, field):
        return field_label(field)

    def to_row_dict(self, item):
        return {field: export_value(display_value(item, field)) for field in self.list_export}


class EventApplicationInspectView(generic.InspectView):
    template_name = "event_applications/admin/inspect.html"
    page_title = "参加申込み"
    cancel_url_name = None

    def get_page_subtitle(self):
        return self.object.name

    def get_fields(self):
        return [name for name in EXPORT_FIELDS if name != "answers"] + ["cancelled_by", "promoted_at", "reminded_at"]

    def get_field_display_value(self, field_name, field):
        return display_value(self.object, field_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.object
        if self.object.status != Status.CANCELLED and self.user_has_permission("change"):
            context["cancel_url"] = reverse(self.cancel_url_name, args=[self.object.pk])
        return context


class CancelByStaffView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET: the confirmation page; POST: the application is cancelled and whoever waits may move up."""

    model = EventApplication
    permission_required = "change"
    template_name = "event_applications/admin/confirm_cancel.html"
    index_url_name = None
    inspect_url_name = None
    header_icon = "date"
    page_title = "申込みを取り消す"

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        self.object = get_object_or_404(EventApplication.objects.select_related("event"), pk=kwargs["pk"])
        return super(PermissionCheckedMixin, self).dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.object.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(application=self.object, inspect_url=reverse(self.inspect_url_name, args=[self.object.pk]))
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.object.cancel(by=CancelledBy.STAFF)
        except NotCancellable:
            messages.error(request, "この申込みは、すでに取り消されているか、行事が始まっているため取り消せません。")
            return redirect(self.inspect_url_name, self.object.pk)
        messages.success(request, f"{self.object.name}さん（{self.object.reference_number}）の申込みを取り消しました。")
        return redirect(self.index_url_name)


class EventApplicationViewSet(ModelViewSet):
    model = EventApplication
    # The viewset hands its own export_filename to the index view (the model label by default).
    export_filename = "event-applications"
    name = "event_applications_admin"
    url_prefix = "event-applications"
    icon = "date"
    menu_label = "行事の参加申込み"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = EventApplicationIndexView
    inspect_view_class = EventApplicationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["submitted_at", "pk"]
    filterset_class = EventApplicationFilterSet
    list_per_page = 100

    def get_common_view_kwargs(self, **kwargs):
        # Applications come only from the public form; staff change them only by 取り消す.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(cancel_url_name=self.get_url_name("cancel"), **kwargs)

    def get_urlpatterns(self):
        cancel = CancelByStaffView.as_view(
            index_url_name=self.get_url_name("index"), inspect_url_name=self.get_url_name("inspect")
        )
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<id:pk>/", self.inspect_view, name="inspect"),
            path("<id:pk>/cancel/", cancel, name="cancel"),
        ]

"""Staff's view of the feedback box's answers (/admin/feedback/): the list with filters and a CSV export,
and the count per page. Answers are only read (and deleted when they are spam); nobody edits them."""

from urllib.parse import urlencode

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from core.admin_export import ExcelCsvExportMixin
from core.spreadsheet import export_value

from .models import Feedback, Rating

EXPORT_FIELDS = ["created_at", "page_title", "page_url", "rating", "comment"]


def export_cell(feedback, name):
    if name == "rating":
        return feedback.get_rating_display()
    if name == "created_at":
        return timezone.localtime(feedback.created_at).strftime("%Y-%m-%d %H:%M")
    return getattr(feedback, name)


def page_choices():
    rows = Feedback.objects.values_list("page_url", "page_title").order_by("page_url").distinct()
    seen = {}
    for url, title in rows:
        seen.setdefault(url, f"{title}（{url}）")
    return list(seen.items())


class FeedbackFilterSet(WagtailFilterSet):
    page_url = django_filters.ChoiceFilter(label="ページ", choices=page_choices, empty_label="すべて")
    rating = django_filters.ChoiceFilter(label="評価", choices=Rating.choices, empty_label="すべて")
    created_at = django_filters.DateFromToRangeFilter(label="受付日", widget=DateRangePickerWidget)

    class Meta:
        model = Feedback
        fields = ["page_url", "rating", "created_at"]


class FeedbackIndexView(ExcelCsvExportMixin, generic.IndexView):
    page_title = "ページへのご意見"
    search_fields = ["comment", "page_title", "page_url"]
    search_backend_name = None  # substring match: Japanese has no spaces between words
    list_export = EXPORT_FIELDS
    default_ordering = "-created_at"

    @cached_property
    def columns(self):
        return [
            DateColumn("created_at", label="受付日時", sort_key="created_at"),
            Column("page_title", label="ページ", sort_key="page_title"),
            Column("rating", label="評価", accessor="get_rating_display", sort_key="rating"),
            Column("comment", label="ご意見"),
        ]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton("ページ別の集計", url=reverse("feedback_admin:counts"), icon_name="table"),
            *self.export_buttons,
        ]

    def get_heading(self, queryset, field):
        return str(Feedback._meta.get_field(field).verbose_name)

    def to_row_dict(self, item):
        return {field: export_value(export_cell(item, field)) for field in self.list_export}


class FeedbackCountsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """ページ別の集計: per page, how many answered and how many chose each rating."""

    page_title = "ページ別の集計"
    header_icon = "table"
    template_name = "feedback/admin/counts.html"
    permission_required = "view"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("feedback_admin:index"), "label": "ページへのご意見"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        rows = list(Feedback.objects.counts_by_page())
        index_url = reverse("feedback_admin:index")
        for row in rows:
            row["ratings"] = [(rating.label, row[rating.value]) for rating in Rating]
            row["list_url"] = f"{index_url}?{urlencode({'page_url': row['page_url']})}"
        return super().get_context_data(
            rows=rows, rating_labels=[rating.label for rating in Rating], index_url=index_url, **kwargs
        )


class FeedbackViewSet(ModelViewSet):
    model = Feedback
    name = "feedback_admin"
    url_prefix = "feedback"
    icon = "comment"
    menu_label = "ページへのご意見"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = FeedbackIndexView
    filterset_class = FeedbackFilterSet
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    export_filename = "page-feedback"
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_common_view_kwargs(self, **kwargs):
        # Answers come only from the public box; staff read and delete them, never add or edit.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    @property
    def counts_view(self):
        return FeedbackCountsView.as_view(permission_policy=self.permission_policy)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("counts/", self.counts_view, name="counts"),
            path("<id:pk>/", self.inspect_view, name="inspect"),
            path("<id:pk>/delete/", self.delete_view, name="delete"),
        ]

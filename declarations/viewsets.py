"""The moderation queue in the Wagtail admin (/admin/declarations/) and the 取組分野 list.

Only users with the declaration model's permissions (the 宣言審査担当 group, and superusers) reach
any of these views: they show private contact data. State changes happen on POST through the
model's methods (`Declaration.approve` etc.); every action has a confirmation page first.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import registry as log_registry

import core.converters  # noqa: F401 (registers <id:…>)
from core.admin_export import ExcelCsvExportMixin
from core.spreadsheet import export_value

from . import admin_forms
from .certificate import content_disposition
from .forms import IdModelChoiceField
from .models import (
    CORRECTION_LINK_VALID_FOR,
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    ActivityArea,
    ChangeRequest,
    ChangeRequestStatus,
    Declaration,
    InvalidTransition,
    Municipality,
    OrganisationType,
    Status,
)

ALL_STATUSES = "all"
# What staff must act on or watch: 審査待ち (new applications and 変更申請) and 修正待ち.
NEEDS_ATTENTION = "attention"
# The queue opens on everything staff must act on or watch, so nothing sent back for correction drops out of view.
DEFAULT_STATUS = NEEDS_ATTENTION

# The public fields as text; the logo is shown as the image itself (and is not a spreadsheet cell).
PUBLIC_TEXT_FIELDS = [name for name in PUBLIC_FIELDS if name != "logo"]
RECORD_FIELDS = ["reference_number", "status", "is_founding", "submitted_at", "consented_at", "decided_at"]

# Columns of the staff CSV/XLSX export: every field, private ones included.
EXPORT_FIELDS = RECORD_FIELDS + PUBLIC_TEXT_FIELDS + PRIVATE_FIELDS + ["staff_message"]


def field_label(name):
    return str(Declaration._meta.get_field(name).verbose_name)


def display_value(declaration, name):
    """A field's value as staff read it: choice labels, the municipality's name, areas joined."""
    if name == "areas":
        return "、".join(area.name for area in declaration.areas.all())
    if name == "municipality":
        return declaration.municipality.name
    field = Declaration._meta.get_field(name)
    if field.choices:
        return getattr(declaration, f"get_{name}_display")()
    value = getattr(declaration, name)
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if hasattr(value, "tzinfo") and value is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return value


def needs_decision(declaration):
    """Whether the row is for staff to decide now (a strong status tag) rather than to watch."""
    return declaration.status == Status.PENDING or declaration.has_pending_change


class StatusFilter(django_filters.ChoiceFilter):
    """状態: 「すべて」 lifts the filter. The default (DEFAULT_STATUS) is put in the data by the index view."""

    def filter(self, qs, value):
        if value == ALL_STATUSES:
            return qs
        if value == NEEDS_ATTENTION:
            return qs.filter(pk__in=Declaration.objects.needs_attention().values("pk"))
        if value == Status.PENDING:
            # 審査待ち is the queue: new applications and published entries with a 変更申請 waiting.
            return qs.filter(pk__in=Declaration.objects.waiting().values("pk"))
        return super().filter(qs, value)


class IdFilterField(IdModelChoiceField, django_filters.fields.ModelChoiceField):
    """A filter's choice by id that ignores an edited URL's 2**63 instead of failing on SQLite."""


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdFilterField


class DeclarationFilterSet(WagtailFilterSet):
    status = StatusFilter(
        label="状態",
        choices=[(NEEDS_ATTENTION, "審査待ち・修正待ち"), *Status.choices, (ALL_STATUSES, "すべて")],
        empty_label=None,
        initial=DEFAULT_STATUS,  # only so that Wagtail shows the default as "not filtering"
    )
    municipality = IdModelChoiceFilter(label="所在市町村", queryset=Municipality.objects.all(), empty_label="すべて")
    organisation_type = django_filters.ChoiceFilter(
        label="種別", choices=OrganisationType.choices, empty_label="すべて"
    )

    class Meta:
        model = Declaration
        fields = ["status", "municipality", "organisation_type"]


class DeclarationIndexView(ExcelCsvExportMixin, generic.IndexView):
    page_title = "推進宣言の審査"
    results_template_name = "declarations/admin/index_results.html"
    search_fields = ["name", "name_kana", "reference_number", "contact_name", "email", "content"]
    search_backend_name = None  # substring match in the database: Japanese has no spaces between words
    list_export = EXPORT_FIELDS

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        data = self.request.GET.copy()
        if not data.get("status"):
            data["status"] = DEFAULT_STATUS
        kwargs["data"] = data
        return kwargs

    def get_base_queryset(self):
        pending_change = ChangeRequest.objects.filter(declaration=OuterRef("pk"), status=ChangeRequestStatus.PENDING)
        return (
            super()
            .get_base_queryset()
            .select_related("municipality")
            .prefetch_related("areas")
            .annotate(has_pending_change=Exists(pending_change))
        )

    @cached_property
    def columns(self):
        return [
            self._get_title_column("name"),
            Column("reference_number", label="受付番号", sort_key="reference_number"),
            Column("municipality", label="所在市町村", accessor="municipality.name"),
            Column("organisation_type", label="種別", accessor="get_organisation_type_display"),
            StatusTagColumn(
                "status",
                label="状態",
                accessor="staff_status_label",
                primary=needs_decision,
                sort_key="status",
            ),
            DateColumn("submitted_at", label="申請日時", sort_key="submitted_at"),
        ]

    @cached_property
    def header_buttons(self):
        url = reverse(self.index_url_name) + f"?status={Status.PUBLISHED}&export=csv"
        return [*self.export_buttons, HeaderButton("掲載中の名簿をCSVで書き出す", url=url, icon_name="download")]

    # The staff export: every column, private ones included, readable by Excel in Japan.

    def get_heading(self, queryset, field):
        return field_label(field)

    def to_row_dict(self, item):
        return {field: export_value(display_value(item, field)) for field in self.list_export}


class DeclarationInspectView(generic.InspectView):
    """An application's page: every field, the logo, the history, and the actions open to it."""

    template_name = "declarations/admin/inspect.html"
    page_title = "申請内容"
    history_url_name = None
    url_namespace = None  # the viewset's, for the action URLs

    def get_object(self, queryset=None):
        return get_object_or_404(Declaration.objects.select_related("municipality"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.name

    def section(self, names):
        return [{"label": field_label(name), "value": display_value(self.object, name)} for name in names]

    def get_actions(self):
        if not self.user_has_permission("change"):
            return []
        return [
            {
                "label": action.action_label,
                "url": reverse(f"{self.url_namespace}:{action.url_suffix}", args=[self.object.pk]),
                "tone": action.tone,
            }
            for action in MODERATION_ACTIONS
            if self.object.can(action.url_suffix)
        ]

    def get_history(self):
        return log_registry.get_logs_for_instance(self.object).select_related("user").order_by("-timestamp", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            declaration=self.object,
            record_fields=self.section(RECORD_FIELDS),
            public_fields=self.section(PUBLIC_TEXT_FIELDS),
            private_fields=self.section(PRIVATE_FIELDS),
            actions=self.get_actions(),
            history=self.get_history(),
            history_url=reverse(self.history_url_name, args=[self.object.pk]) if self.history_url_name else "",
            correction_link_expired=self.object.correction_link_expired,
            pending_change=self.object.pending_change,
            certificate_url=(
                reverse(f"{self.url_namespace}:certificate", args=[self.object.pk])
                if self.object.status == Status.PUBLISHED
                else ""
            ),
        )
        return context


class DeclarationActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """GET: the confirmation page with its form; POST: the state change through the model's method."""

    model = Declaration
    permission_required = "change"
    template_name = "declarations/admin/confirm_action.html"
    index_url_name = None
    inspect_url_name = None
    header_icon = "doc-full"
    action_label = ""
    # The confirmation page's heading; {subject} is the application's name and 受付番号. Each action
    # words it with its own particle (を承認する, に修正を依頼する, の掲載を取り下げる).
    heading = ""
    url_suffix = ""
    tone = ""
    explanation = ""
    success_message = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Declaration.objects.select_related("municipality"), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        if not self.object.can(self.url_suffix):
            messages.error(
                request,
                f"この申請は現在「{self.object.get_status_display()}」のため、{self.action_label}ことはできません。",
            )
            return redirect(self.inspect_url)
        # Skip PermissionCheckedMixin.dispatch: the check is above, before the status check.
        return super(PermissionCheckedMixin, self).dispatch(request, *args, **kwargs)

    @property
    def inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_page_title(self):
        return self.action_label

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "推進宣言の審査"},
            {"url": self.inspect_url, "label": self.object.name},
            {"url": "", "label": self.action_label},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            declaration=self.object,
            action_label=self.action_label,
            heading=self.heading.format(subject=f"{self.object.name}（受付番号 {self.object.reference_number}）"),
            explanation=self.explanation,
            tone=self.tone,
            inspect_url=self.inspect_url,
        )
        return context

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except InvalidTransition as error:
            messages.error(self.request, str(error))
            return redirect(self.inspect_url)
        messages.success(self.request, self.success_message.format(name=self.object.name))
        return redirect(reverse(self.index_url_name))

    def perform(self, data):
        raise NotImplementedError


class ApproveView(DeclarationActionView):
    action_label = "承認する"
    heading = "{subject}を承認する"
    url_suffix = "approve"
    tone = "primary"
    form_class = admin_forms.ApproveForm
    explanation = "承認すると、公開項目が県のウェブサイトの宣言企業・団体一覧に掲載され、申請者に通知メールが届きます。"
    success_message = "「{name}」を承認し、一覧に掲載しました。"

    def get_initial(self):
        return {"declared_on": timezone.localdate()}

    def perform(self, data):
        self.object.approve(by=self.request.user, declared_on=data["declared_on"])


class RequestChangesView(DeclarationActionView):
    action_label = "修正を依頼する"
    heading = "{subject}に修正を依頼する"
    url_suffix = "request_changes"
    form_class = admin_forms.RequestChangesForm
    explanation = (
        "申請者に、修正してほしい点と、申請内容を修正するための専用リンクをメールで送ります。"
        f"リンクの有効期限は{CORRECTION_LINK_VALID_FOR.days}日間です。申請者が修正して送信すると、審査待ちに戻ります。"
        "修正待ちの申請にもう一度依頼すると、前のリンクは使えなくなります。"
    )
    success_message = "「{name}」の申請者に修正を依頼しました。"

    def perform(self, data):
        token = self.object.request_changes(by=self.request.user, message=data["message"])
        if not self.object.email:
            # No address to mail the link to: show it once to the moderator, who passes it on.
            url = self.request.build_absolute_uri(reverse("declarations:correction", kwargs={"token": token}))
            messages.warning(
                self.request,
                f"メールアドレスがないため、修正用リンクは送られていません。申請者に直接お伝えください：{url}",
            )


class RejectView(DeclarationActionView):
    action_label = "却下する"
    heading = "{subject}を却下する"
    url_suffix = "reject"
    tone = "serious"
    form_class = admin_forms.ReasonForm
    explanation = "却下の理由は申請者にメールで送られます。却下した申請は元に戻せません。"
    success_message = "「{name}」の申請を却下しました。"

    def perform(self, data):
        self.object.reject(by=self.request.user, reason=data["reason"])


class WithdrawView(DeclarationActionView):
    action_label = "掲載を取り下げる"
    heading = "{subject}の掲載を取り下げる"
    url_suffix = "withdraw"
    tone = "serious"
    form_class = admin_forms.ReasonForm
    explanation = "取り下げると、宣言企業・団体一覧とオープンデータから外れます。理由は申請者にメールで送られます。"
    success_message = "「{name}」の掲載を取り下げました。"

    def perform(self, data):
        self.object.withdraw(by=self.request.user, reason=data["reason"])


class ApproveChangeView(DeclarationActionView):
    action_label = "変更を承認する"
    heading = "{subject}の変更申請を承認する"
    url_suffix = "approve_change"
    tone = "primary"
    form_class = forms.Form
    explanation = (
        "承認すると、変更申請の内容がすぐに一覧の掲載内容になります。企業・団体名、代表者または宣言内容が"
        "変わるときは、宣言書も新しい内容で作り直します。申請者に通知メールが届きます。"
    )
    success_message = "「{name}」の変更申請を承認し、掲載内容を変更しました。"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.object.pending_change
        context["differences"] = change.differences() if change else []
        return context

    def perform(self, data):
        self.object.approve_change(by=self.request.user)


class RejectChangeView(DeclarationActionView):
    action_label = "変更申請を却下する"
    heading = "{subject}の変更申請を却下する"
    url_suffix = "reject_change"
    tone = "serious"
    form_class = admin_forms.ReasonForm
    explanation = "却下しても、一覧の掲載内容は今のままです。理由は申請者にメールで送られます。"
    success_message = "「{name}」の変更申請を却下しました。"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.object.pending_change
        context["differences"] = change.differences() if change else []
        return context

    def perform(self, data):
        self.object.reject_change(by=self.request.user, reason=data["reason"])


class SendOwnerLinkView(DeclarationActionView):
    action_label = "専用リンクを再送する"
    heading = "{subject}に宣言書・変更用の専用リンクを再送する"
    url_suffix = "send_owner_link"
    form_class = forms.Form
    explanation = (
        "宣言書のダウンロードと、掲載内容の変更・取り下げのための新しい専用リンクを、申請者のメールアドレスに送ります。"
        "前に送ったリンクは使えなくなります。"
    )
    success_message = "「{name}」に専用リンクを再送しました。"

    def perform(self, data):
        token = self.object.send_owner_link(by=self.request.user)
        if not self.object.email:
            url = self.request.build_absolute_uri(reverse("declarations:owner", kwargs={"token": token}))
            messages.warning(
                self.request,
                f"メールアドレスがないため、専用リンクは送られていません。申請者に直接お伝えください：{url}",
            )


class IssueCertificateView(DeclarationActionView):
    action_label = "宣言書を作り直す"
    heading = "{subject}の宣言書を作り直す"
    url_suffix = "issue_certificate"
    form_class = forms.Form
    explanation = (
        "今の掲載内容と、設定「宣言書」の発行者で宣言書（PDF）を作り直します。発行日は今日になります。"
        "申請者の専用リンクからも、新しい宣言書がダウンロードされるようになります。"
    )
    success_message = "「{name}」の宣言書を作り直しました。"

    def perform(self, data):
        self.object.issue_certificate(by=self.request.user)


MODERATION_ACTIONS = [
    ApproveView,
    RequestChangesView,
    RejectView,
    ApproveChangeView,
    RejectChangeView,
    WithdrawView,
    SendOwnerLinkView,
    IssueCertificateView,
]


class CertificateDownloadView(PermissionCheckedMixin, View):
    """The stored 宣言書 of a published declaration, for staff who may view applications."""

    model = Declaration
    permission_required = "view"

    def get(self, request, pk):
        declaration = get_object_or_404(Declaration, pk=pk, status=Status.PUBLISHED)
        response = HttpResponse(declaration.certificate_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(declaration.certificate_filename)
        response["Cache-Control"] = "private, no-store"
        return response


class DeclarationViewSet(ModelViewSet):
    model = Declaration
    # The viewset hands its own export_filename to the index view (the model label by default).
    export_filename = "declarations"
    name = "declaration_admin"
    # /admin/declarations/; the namespace differs from the public register's "declarations".
    url_prefix = "declarations"
    icon = "doc-full"
    menu_label = "推進宣言の審査"
    menu_order = 250
    add_to_admin_menu = False
    index_view_class = DeclarationIndexView
    inspect_view_class = DeclarationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["submitted_at", "pk"]
    filterset_class = DeclarationFilterSet
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        # Applications come from the public form or import_declarations, and staff change them only
        # through the moderation actions: the generic add/edit/delete views are not offered.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add_url_name", "edit_url_name", "delete_url_name", "usage_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    @property
    def url_finder_class(self):
        # Wagtail links log entries (サイト履歴, the dashboard) to an object's edit view, which this viewset
        # does not have: link them to the application's page instead.
        return type(
            "DeclarationAdminURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")}
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            history_url_name=self.get_url_name("history"), url_namespace=self.url_namespace, **kwargs
        )

    def action_view(self, view_class):
        return view_class.as_view(
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<id:pk>/", self.inspect_view, name="inspect"),
            path("<id:pk>/history/", self.history_view, name="history"),
            path("<id:pk>/history/results/", self.history_results_view, name="history_results"),
            path("<id:pk>/certificate/", CertificateDownloadView.as_view(), name="certificate"),
        ]
        for view_class in MODERATION_ACTIONS:
            urlpatterns.append(
                path(
                    f"<id:pk>/{view_class.url_suffix.replace('_', '-')}/",
                    self.action_view(view_class),
                    name=view_class.url_suffix,
                )
            )
        return urlpatterns


class ActivityAreaViewSet(ModelViewSet):
    model = ActivityArea
    name = "declaration-areas"
    icon = "tag"
    menu_label = "取組分野"
    add_to_admin_menu = False
    form_fields = ["name", "sort_order"]
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]
    copy_view_enabled = False


class DeclarationViewSetGroup(ModelViewSetGroup):
    menu_label = "推進宣言"
    menu_icon = "doc-full"
    menu_order = 250
    items = (DeclarationViewSet(), ActivityAreaViewSet())

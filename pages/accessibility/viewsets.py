"""アクセシビリティの確認 in the Wagtail admin: the checklist that walks staff through every manual check
(checklist.py; the menu opens it), and the records of 達成基準の確認結果 behind it (list, add, edit).

Who and when are never typed: the person who saves a record and the day they save it are stored
(CriterionCheck.record), so the public page can show the 確認日 and that 県職員 checked it.
"""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from core.text import TypedTextFormMixin

from .checklist import ChecklistIndexView, ChecklistStepView
from .models import CriterionCheck


class CriterionCheckForm(TypedTextFormMixin, WagtailAdminModelForm):
    class Meta:
        model = CriterionCheck
        fields = ["criterion", "result", "pages", "notes"]


class RecordByUserMixin:
    def save_instance(self):
        self.form.instance.record(by=self.request.user)
        return self.form.instance


class CriterionCheckCreateView(RecordByUserMixin, generic.CreateView):
    submit_button_label = "記録する"


class CriterionCheckEditView(RecordByUserMixin, generic.EditView):
    pass


class CriterionCheckIndexView(generic.IndexView):
    page_title = "達成基準の確認結果"

    @cached_property
    def header_buttons(self):
        checklist_url = reverse("criterion_checks:checklist")
        return [HeaderButton("チェックリストで確認する", url=checklist_url, icon_name="tasks"), *super().header_buttons]


class CriterionCheckViewSet(ModelViewSet):
    model = CriterionCheck
    index_view_class = CriterionCheckIndexView
    add_view_class = CriterionCheckCreateView
    edit_view_class = CriterionCheckEditView
    icon = "tasks"
    menu_label = "アクセシビリティの確認"
    menu_order = 900
    add_to_admin_menu = True
    name = "criterion_checks"
    url_prefix = "accessibility-checks"
    list_filter = ["criterion", "result"]
    list_display = [
        Column("criterion", label="達成基準", accessor="get_criterion_display"),
        Column("result", label="結果", accessor="get_result_display"),
        DateColumn("checked_on", label="確認日"),
        Column("checked_by", label="確認者"),
    ]
    ordering = ["-checked_on", "-pk"]

    def get_form_class(self, for_update=False):
        return CriterionCheckForm

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("checklist"))

    def get_urlpatterns(self):
        checklist = ChecklistIndexView.as_view(permission_policy=self.permission_policy)
        step = ChecklistStepView.as_view(permission_policy=self.permission_policy)
        return [
            *super().get_urlpatterns(),
            path("checklist/", checklist, name="checklist"),
            path("checklist/<str:number>/", step, name="checklist_step"),
        ]

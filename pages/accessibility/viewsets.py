"""達成基準の確認結果 in the Wagtail admin: staff record the manual check of a success criterion.

Who and when are never typed: the person who saves a record and the day they save it are stored
(CriterionCheck.record), so the public page can show the 確認日 and that 県職員 checked it.
"""

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core.text import TypedTextFormMixin

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


class CriterionCheckViewSet(ModelViewSet):
    model = CriterionCheck
    add_view_class = CriterionCheckCreateView
    edit_view_class = CriterionCheckEditView
    icon = "tasks"
    menu_label = "達成基準の確認結果"
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

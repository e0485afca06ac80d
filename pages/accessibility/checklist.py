"""The checklist (アクセシビリティの確認 → チェックリスト): walks a member of staff through every success
criterion a person must check, one screen each: what to do (criteria.toml's `manual`), on which pages of the
test sample (its `sample`), the result last recorded, and a form for the result. Saving records a
CriterionCheck (who and today, never typed) and moves on to the next criterion; the public
ウェブアクセシビリティ方針 page reads the latest check of each. The automated results are not touched here.
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from core.text import TypedTextFormMixin

from .conformance import Result, manual_criteria, sample_pages
from .models import AccessibilityPolicyPage, CriterionCheck
from .results import load_results

INDEX_URL_NAME = "criterion_checks:checklist"
STEP_URL_NAME = "criterion_checks:checklist_step"


def target_level():
    page = AccessibilityPolicyPage.objects.live().only("target_level").first()
    return page.target_level if page else "AA"


def is_done(check):
    """A criterion is done once its latest check concludes something (未確認 is not a conclusion)."""
    return check is not None and check.result != Result.UNVERIFIED


class CriterionResultForm(TypedTextFormMixin, forms.ModelForm):
    result = forms.ChoiceField(label="結果", choices=CriterionCheck.CONCLUSIONS, widget=forms.RadioSelect)

    class Meta:
        model = CriterionCheck
        fields = ["result", "pages", "notes"]
        widgets = {"pages": forms.Textarea(attrs={"rows": 4}), "notes": forms.Textarea(attrs={"rows": 4})}


class ChecklistMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    permission_required = "add"
    header_icon = "tasks"

    def criteria(self):
        return manual_criteria(target_level())

    def index_breadcrumb(self):
        return {"url": reverse(INDEX_URL_NAME), "label": "チェックリスト"}


class ChecklistIndexView(ChecklistMixin, TemplateView):
    """Every criterion a person checks, its latest result, and where to start."""

    page_title = "アクセシビリティの確認（チェックリスト）"
    template_name = "accessibility/admin/checklist.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        latest = CriterionCheck.objects.latest_by_criterion()
        rows = [
            {
                "criterion": criterion,
                "check": latest.get(criterion.number),
                "done": is_done(latest.get(criterion.number)),
                "url": reverse(STEP_URL_NAME, args=[criterion.number]),
            }
            for criterion in self.criteria()
        ]
        todo = [row for row in rows if not row["done"]]
        start = (todo or rows)[0]["url"] if rows else ""
        results = load_results()
        return super().get_context_data(
            rows=rows,
            done_count=len(rows) - len(todo),
            start_url=start,
            all_done=not todo,
            automated_checked_at=datetime.fromisoformat(results["checked_at"]) if results else None,
            records_url=reverse("criterion_checks:index"),
            policy_page=AccessibilityPolicyPage.objects.live().first(),
            **kwargs,
        )


class ChecklistStepView(ChecklistMixin, FormView):
    """One criterion: what to do, on which pages, and the result to record."""

    template_name = "accessibility/admin/checklist_step.html"
    form_class = CriterionResultForm

    def dispatch(self, request, *args, **kwargs):
        criteria = self.criteria()
        numbers = [criterion.number for criterion in criteria]
        if kwargs["number"] not in numbers:
            raise Http404("この達成基準は、人による確認の対象ではありません。")
        self.position = numbers.index(kwargs["number"])
        self.criterion = criteria[self.position]
        self.total = len(criteria)
        self.next_criterion = criteria[self.position + 1] if self.position + 1 < self.total else None
        self.sample = sample_pages(self.criterion, load_results())
        return super().dispatch(request, *args, **kwargs)

    @property
    def page_title(self):
        return f"{self.criterion.number} {self.criterion.name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [self.index_breadcrumb(), {"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": CriterionCheck(criterion=self.criterion.number)}

    def get_initial(self):
        return {"pages": "\n".join(page.path for page in self.sample if page.is_address)}

    def next_url(self):
        if self.next_criterion:
            return reverse(STEP_URL_NAME, args=[self.next_criterion.number])
        return reverse(INDEX_URL_NAME)

    def form_valid(self, form):
        form.instance.record(by=self.request.user)
        recorded = f"{self.criterion.number} {self.criterion.name}の結果「{form.instance.get_result_display()}」"
        last = "" if self.next_criterion else "チェックリストの最後の項目です。"
        messages.success(self.request, f"{recorded}を記録しました。{last}")
        return redirect(self.next_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            criterion=self.criterion,
            position=self.position + 1,
            total=self.total,
            sample=self.sample,
            latest=CriterionCheck.objects.filter(criterion=self.criterion.number)
            .latest_by_criterion()
            .get(self.criterion.number),
            is_last=self.next_criterion is None,
            next_url=self.next_url(),
            index_url=reverse(INDEX_URL_NAME),
            **kwargs,
        )

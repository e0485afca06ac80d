from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from core.era import era_year
from core.text import normalise_line_breaks
from pages.blocks import BodyStreamBlock
from pages.models import KyoseiPage

from .conformance import LEVELS, Result, build_statement, criterion_choices
from .results import load_results

# Who checked, as the public page names them: staff names are not published.
PUBLIC_CHECKER = "県職員"


class AccessibilityPolicyPage(KyoseiPage):
    """ウェブアクセシビリティ方針: the target, its scope, the 達成基準チェックリスト and the 対応度 it supports."""

    target_level = models.CharField(
        "目標とする適合レベル",
        max_length=2,
        choices=[(level, f"適合レベル{level}") for level in LEVELS],
        default="AA",
        help_text=(
            "JIS X 8341-3:2016 の適合レベルです。「準拠」「一部準拠」「配慮」の表記は、試験の結果から自動で決まります。"
        ),
    )
    scope = models.TextField("対象範囲", help_text="方針の対象となるウェブページの範囲を書きます。")
    policy_date = models.DateField("方針の策定日")
    next_review_date = models.DateField(
        "次回の見直し予定日",
        null=True,
        help_text="方針と取組確認・評価表を見直す予定の日です（少なくとも年に1回）。過ぎると管理画面のダッシュボードに表示されます。",
    )
    assessment_year = models.PositiveSmallIntegerField(
        "取組確認・評価表の年度",
        null=True,
        help_text="西暦で入力します（例：2026）。ページには「令和8年度」のように表示されます。",
    )
    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)

    content_panels = KyoseiPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("target_level"),
                FieldPanel("scope"),
                FieldPanel("policy_date"),
                FieldPanel("next_review_date"),
            ],
            heading="方針",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("assessment_year"), InlinePanel("initiatives", label="取組")],
            heading="取組確認・評価表",
        ),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count = 1
    template = "accessibility/accessibility_policy_page.html"

    class Meta:
        verbose_name = "ウェブアクセシビリティ方針"
        verbose_name_plural = "ウェブアクセシビリティ方針"

    @property
    def review_overdue(self):
        return self.next_review_date is not None and self.next_review_date < timezone.localdate()

    @property
    def assessment_year_label(self):
        """The fiscal year as 令和8年度 (a Japanese fiscal year starts on 1 April)."""
        if not self.assessment_year:
            return ""
        name, year = era_year(date(self.assessment_year, 4, 1))
        return f"{name}{year}年度"

    def statement(self, results=None):
        """The 達成基準チェックリスト for the target level, from the latest test run and manual checks."""
        return build_statement(self.target_level, results, CriterionCheck.objects.latest_by_criterion())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        results = load_results()
        context["statement"] = self.statement(results)
        if results:
            results = {**results, "checked_at": datetime.fromisoformat(results["checked_at"])}
        context["results"] = results
        context["public_checker"] = PUBLIC_CHECKER
        return context


class Initiative(Orderable):
    """One line of the 取組確認・評価表: an action the guideline expects of a public body, done or not."""

    class Status(models.TextChoices):
        DONE = "done", "実施"
        NOT_DONE = "not_done", "未実施"

    page = ParentalKey(AccessibilityPolicyPage, related_name="initiatives", on_delete=models.CASCADE)
    item = models.CharField("取組", max_length=200, help_text="例：ウェブアクセシビリティ方針を策定し、公開する")
    status = models.CharField("実施状況", max_length=10, choices=Status.choices, default=Status.NOT_DONE)
    note = models.CharField(
        "備考", max_length=300, blank=True, help_text="公開されます。実施した内容や、未実施の理由と予定を書きます。"
    )

    panels = [FieldPanel("item"), FieldPanel("status"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "取組"
        verbose_name_plural = "取組確認・評価表"


class CriterionCheckQuerySet(models.QuerySet):
    def latest_by_criterion(self):
        """Criterion number → its most recent check (the later day wins; on the same day, the later record)."""
        latest = {}
        for check in self.select_related("checked_by").order_by("checked_on", "pk"):
            latest[check.criterion] = check
        return latest


class CriterionCheck(models.Model):
    """A success criterion checked by a person, following the steps in criteria.toml; the latest one counts."""

    # What a person can conclude (the checklist offers these), and 未確認 kept for records that said so.
    CONCLUSIONS = [
        (Result.PASS, Result.PASS.label),
        (Result.FAIL, Result.FAIL.label),
        (Result.NOT_APPLICABLE, "該当なし（対象のコンテンツがない）"),
    ]
    RESULTS = [*CONCLUSIONS, (Result.UNVERIFIED, "未確認（確認できなかった）")]

    criterion = models.CharField("達成基準", max_length=8, choices=criterion_choices)
    result = models.CharField("結果", max_length=10, choices=RESULTS)
    pages = models.TextField(
        "確認したページ",
        help_text="確認したページのアドレスを1行に1つずつ書きます（例：/declarations/apply/）。公開されます。",
    )
    notes = models.TextField("備考", blank=True, help_text="確認の内容、見つかった問題と直す予定など。公開されます。")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確認者",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=f"保存した人が記録されます。公開されません（公開ページには「{PUBLIC_CHECKER}」と表示します）。",
    )
    checked_on = models.DateField("確認日", editable=False, help_text="保存した日が記録されます。")

    objects = CriterionCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "達成基準の確認結果"
        verbose_name_plural = "達成基準の確認結果"
        ordering = ["-checked_on", "-pk"]

    def __str__(self):
        return f"{self.criterion} {self.get_result_display()}（{self.checked_on}）"

    @property
    def checker_label(self):
        """Who checked, as staff see it in the admin (the public page says 県職員)."""
        user = self.checked_by
        if user is None:
            return "（削除されたユーザー）"
        return " ".join(part for part in (user.last_name, user.first_name) if part) or user.get_username()

    @property
    def page_list(self):
        return [line.strip() for line in self.pages.splitlines() if line.strip()]

    def clean(self):
        self.pages = normalise_line_breaks(self.pages or "")
        wrong = [line for line in self.page_list if not line.startswith("/")]
        if wrong:
            raise ValidationError(
                {"pages": f"ページのアドレスは「/」で始めて書きます（例：/declarations/apply/）。直す行：{wrong[0]}"}
            )

    def record(self, *, by):
        """Saves the check as done today by `by` (the person who saves it stands behind the result)."""
        self.checked_by = by
        self.checked_on = timezone.localdate()
        self.save()

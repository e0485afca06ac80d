from datetime import datetime

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from pages.blocks import BodyStreamBlock
from pages.models import KyoseiPage

from .results import load_results


class AccessibilityPolicyPage(KyoseiPage):
    """ウェブアクセシビリティ方針: the conformance target, its scope, and the latest test results."""

    conformance_target = models.CharField(
        "目標とする適合レベル",
        max_length=120,
        default="JIS X 8341-3:2016 適合レベルAA 準拠",
        help_text="「準拠」は、試験を行い結果を公開している場合の表記です（ウェブアクセシビリティ基盤委員会の指針）。",
    )
    scope = models.TextField("対象範囲", help_text="方針の対象となるウェブページの範囲を書きます。")
    policy_date = models.DateField("方針の策定日")
    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)

    content_panels = KyoseiPage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("conformance_target"), FieldPanel("scope"), FieldPanel("policy_date")],
            heading="方針",
        ),
        FieldPanel("body"),
        InlinePanel("manual_checks", heading="人による確認", label="確認項目"),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count = 1
    template = "accessibility/accessibility_policy_page.html"

    class Meta:
        verbose_name = "ウェブアクセシビリティ方針"
        verbose_name_plural = "ウェブアクセシビリティ方針"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        results = load_results()
        if results:
            results["checked_at"] = datetime.fromisoformat(results["checked_at"])
        context["results"] = results
        return context


class ManualCheck(Orderable):
    """A check people did by hand, for what automated tests cannot judge (meaning, order, wording)."""

    class Outcome(models.TextChoices):
        PASS = "pass", "問題なし"
        PARTIAL = "partial", "一部に課題あり"
        FAIL = "fail", "課題あり"

    page = ParentalKey(AccessibilityPolicyPage, related_name="manual_checks", on_delete=models.CASCADE)
    item = models.CharField("確認項目", max_length=200, help_text="例：キーボードだけで申請フォームを送信できる")
    criteria = models.CharField("関連する達成基準", max_length=120, blank=True, help_text="例：2.1.1, 2.4.3")
    method = models.CharField("確認方法", max_length=200, blank=True)
    outcome = models.CharField("結果", max_length=10, choices=Outcome.choices, default=Outcome.PASS)
    note = models.CharField("備考", max_length=300, blank=True)
    checked_on = models.DateField("確認日")

    panels = [
        FieldPanel("item"),
        FieldPanel("criteria"),
        FieldPanel("method"),
        FieldPanel("outcome"),
        FieldPanel("note"),
        FieldPanel("checked_on"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "人による確認"
        verbose_name_plural = "人による確認"

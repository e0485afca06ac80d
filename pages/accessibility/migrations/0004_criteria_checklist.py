"""The 達成基準チェックリスト: the target level replaces the typed 「準拠」 text (the 対応度 is now derived),
the manual checks become per-criterion records with who and when, and the 取組確認・評価表 and review date
are added. Existing manual checks are kept: each becomes one record per JIS X 8341-3:2016 criterion it
named, saying where it came from and that who checked it was not recorded."""

import datetime

import django.db.models.deletion
import modelcluster.fields
import pages.accessibility.conformance
from django.conf import settings
from django.db import migrations, models

OUTCOMES = {"pass": "pass", "partial": "fail", "fail": "fail"}


def manual_checks_to_criterion_checks(apps, schema_editor):
    from pages.accessibility.conformance import load_criteria

    known = {criterion.number for criterion in load_criteria()}
    ManualCheck = apps.get_model("accessibility", "ManualCheck")
    CriterionCheck = apps.get_model("accessibility", "CriterionCheck")
    for check in ManualCheck.objects.order_by("sort_order", "pk"):
        numbers = [number.strip() for number in check.criteria.replace("、", ",").split(",")]
        note = f"移行前の「人による確認」の記録です（確認項目：{check.item}。確認方法：{check.method}）。確認者の記録はありません。"
        if check.note:
            note += f"\n{check.note}"
        for number in numbers:
            if number in known:
                CriterionCheck.objects.create(
                    criterion=number,
                    result=OUTCOMES.get(check.outcome, "unverified"),
                    pages="",
                    notes=note,
                    checked_on=check.checked_on,
                )


def review_a_year_after_the_policy(apps, schema_editor):
    Page = apps.get_model("accessibility", "AccessibilityPolicyPage")
    for page in Page.objects.filter(next_review_date__isnull=True):
        page.next_review_date = page.policy_date + datetime.timedelta(days=365)
        page.save(update_fields=["next_review_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("accessibility", "0003_link_block_in_page_places"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accessibilitypolicypage",
            name="assessment_year",
            field=models.PositiveSmallIntegerField(
                help_text="西暦で入力します（例：2026）。ページには「令和8年度」のように表示されます。",
                null=True,
                verbose_name="取組確認・評価表の年度",
            ),
        ),
        migrations.AddField(
            model_name="accessibilitypolicypage",
            name="next_review_date",
            field=models.DateField(
                help_text="方針と取組確認・評価表を見直す予定の日です（少なくとも年に1回）。過ぎると管理画面のダッシュボードに表示されます。",
                null=True,
                verbose_name="次回の見直し予定日",
            ),
        ),
        migrations.AddField(
            model_name="accessibilitypolicypage",
            name="target_level",
            field=models.CharField(
                choices=[("A", "適合レベルA"), ("AA", "適合レベルAA")],
                default="AA",
                help_text="JIS X 8341-3:2016 の適合レベルです。「準拠」「一部準拠」「配慮」の表記は、試験の結果から自動で決まります。",
                max_length=2,
                verbose_name="目標とする適合レベル",
            ),
        ),
        migrations.CreateModel(
            name="CriterionCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "criterion",
                    models.CharField(
                        choices=pages.accessibility.conformance.criterion_choices, max_length=8, verbose_name="達成基準"
                    ),
                ),
                (
                    "result",
                    models.CharField(
                        choices=[("pass", "適合"), ("fail", "不適合"), ("unverified", "未確認（確認できなかった）")],
                        max_length=10,
                        verbose_name="結果",
                    ),
                ),
                (
                    "pages",
                    models.TextField(
                        help_text="確認したページのアドレスを1行に1つずつ書きます（例：/declarations/apply/）。公開されます。",
                        verbose_name="確認したページ",
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        help_text="確認の内容、見つかった問題と直す予定など。公開されます。",
                        verbose_name="備考",
                    ),
                ),
                (
                    "checked_on",
                    models.DateField(editable=False, help_text="保存した日が記録されます。", verbose_name="確認日"),
                ),
                (
                    "checked_by",
                    models.ForeignKey(
                        editable=False,
                        help_text="保存した人が記録されます。公開されません（公開ページには「県職員」と表示します）。",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="確認者",
                    ),
                ),
            ],
            options={
                "verbose_name": "達成基準の確認結果",
                "verbose_name_plural": "達成基準の確認結果",
                "ordering": ["-checked_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Initiative",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "item",
                    models.CharField(
                        help_text="例：ウェブアクセシビリティ方針を策定し、公開する",
                        max_length=200,
                        verbose_name="取組",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("done", "実施"), ("not_done", "未実施")],
                        default="not_done",
                        max_length=10,
                        verbose_name="実施状況",
                    ),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="公開されます。実施した内容や、未実施の理由と予定を書きます。",
                        max_length=300,
                        verbose_name="備考",
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="initiatives",
                        to="accessibility.accessibilitypolicypage",
                    ),
                ),
            ],
            options={
                "verbose_name": "取組",
                "verbose_name_plural": "取組確認・評価表",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.RunPython(manual_checks_to_criterion_checks, migrations.RunPython.noop),
        migrations.RunPython(review_a_year_after_the_policy, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="ManualCheck",
        ),
        migrations.RemoveField(
            model_name="accessibilitypolicypage",
            name="conformance_target",
        ),
    ]

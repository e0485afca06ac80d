"""Import the lists of declarants staff already keep (Excel → CSV) as published declarations.

Every row is checked first; if any row is bad, each bad row is reported with its line number and
reason and nothing is written. Otherwise all rows are written in one transaction.
"""

import argparse
import datetime
import re
import unicodedata
from pathlib import Path

from django import forms
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from core import era, spreadsheet
from core.files import unreadable_reason
from declarations import normalise
from declarations.forms import DeclarationForm
from declarations.models import (
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    ActivityArea,
    Declaration,
    Industry,
    Municipality,
    OrganisationType,
    Status,
)

# The columns: every public field but the logo (an image), then the contact details.
FIELDS = [name for name in PUBLIC_FIELDS if name != "logo"] + PRIVATE_FIELDS
# Staff's old lists often lack these; the web form asks for them.
OPTIONAL_IN_STAFF_LISTS = ["industry", "areas", *PRIVATE_FIELDS]

ERA_DATE = re.compile(rf"({'|'.join(name for name, _ in era.ERAS)})(元|\d{{1,2}})年(\d{{1,2}})月(\d{{1,2}})日")
AREA_SEPARATORS = re.compile(r"[、,，;；\n]")


def parse_date(text):
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日", text
    )
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = ERA_DATE.fullmatch(text)
        if not match:
            return None
        name, year_label, month, day = match.groups()
        year = era.western_year(name, 1 if year_label == "元" else int(year_label))
        month, day = int(month), int(day)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class DeclaredOnField(forms.CharField):
    """宣言日 as staff write it: 2024-04-01, 2024/4/1 or 令和6年4月1日."""

    def to_python(self, value):
        text = normalise.single_line(super().to_python(value))
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise forms.ValidationError(
                f"「{text}」を日付として読めません（例: 2024-04-01、令和6年4月1日）。", code="date"
            )
        return day


class ImportRowForm(DeclarationForm):
    """One row of a staff list, checked by the web form's own fields and rules (normalisation, lengths,
    ふりがな, web address, postal code, phone, email) plus the 宣言日 staff give; no logo, no agreements."""

    declared_on = DeclaredOnField(label=Declaration._meta.get_field("declared_on").verbose_name)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["logo"]
        del self.fields["email_confirm"]
        for name in OPTIONAL_IN_STAFF_LISTS:
            self.fields[name].required = False


def columns():
    """(field, heading, required) for each column; the headings are the labels of the application form."""
    form = ImportRowForm()
    return [(name, str(form.fields[name].label), form.fields[name].required) for name in FIELDS]


def heading_key(heading):
    # Full-width and half-width brackets and spaces count as the same heading: （ふりがな） = (ふりがな).
    return re.sub(r"\s+", "", normalise.single_line(heading))


def build_help():
    return f"""職員が管理している宣言企業・団体の名簿（CSV）を、掲載中の推進宣言として登録します。
各行は申請フォームと同じ規則で検査します。

文字コード: UTF-8（BOM付き・なし）または Shift_JIS（Excelの「CSV（コンマ区切り）」）。自動で判別します。
1行目は見出し行で、列の順番は自由です。列（*は必須）:
  {" / ".join(("*" if required else "") + heading for _, heading, required in columns())}
種別: {"、".join(str(label) for value, label in OrganisationType.choices if value != OrganisationType.PREFECTURE)}
業種: 日本標準産業分類の大分類の名前（例: 製造業）またはその記号（例: E）
所在市町村: 県内34市町村の名前、または「県外」
取組分野: 管理画面の取組分野の名前。複数は「、」または「;」で区切ります。
宣言日: 2024-04-01、2024/4/1、令和6年4月1日 のいずれかの形。
ふりがなはカタカナでもかまいません（ひらがなで保存します）。見出しが上の一覧にない列は読み飛ばします。

誤りのある行が1行でもあれば、行番号と理由をすべて表示し、何も登録しません。
同じ企業・団体名と所在市町村の宣言がすでにある行も誤りになります（二重登録の防止）。
"""


class RowChecker:
    """Turns one CSV row into a valid ImportRowForm, or a list of reasons it cannot.

    It only translates what staff write (type and industry names, municipality and area names) into
    what the form posts; the form decides what is acceptable.
    """

    def __init__(self):
        self.labels = {name: heading for name, heading, _ in columns()}
        self.types = {}
        for value, label in OrganisationType.choices:
            if value == OrganisationType.PREFECTURE:
                continue  # only the founding declaration has it
            self.types[normalise.single_line(str(label))] = value
            self.types[value] = value
        self.industries = {}
        for value, label in Industry.choices:
            # NFKC, as the cell is read: "農業，林業" is looked up as "農業,林業".
            self.industries[normalise.single_line(str(label))] = value
            self.industries[value] = value
        self.municipalities = {normalise.single_line(m.name): m for m in Municipality.objects.all()}
        self.areas = {normalise.single_line(area.name): area for area in ActivityArea.objects.all()}
        self.existing = {
            (name, municipality_id): reference
            for name, municipality_id, reference in Declaration.objects.exclude(
                status__in=[Status.REJECTED, Status.WITHDRAWN]
            ).values_list("name", "municipality_id", "reference_number")
        }
        self.seen_in_file = {}

    def form_data(self, values):
        """(data for ImportRowForm, errors about names that are not in our lists, keyed by field)."""
        data = {name: values.get(name, "") for name in FIELDS if name != "areas"}
        errors = {}

        type_text = normalise.single_line(values.get("organisation_type", ""))
        if type_text:
            data["organisation_type"] = self.types.get(type_text, "")
            if type_text not in self.types:
                errors["organisation_type"] = f"「種別」の「{type_text}」は選択肢にありません。"

        industry_text = normalise.single_line(values.get("industry", ""))
        if industry_text:
            data["industry"] = self.industries.get(industry_text) or self.industries.get(industry_text.upper(), "")
            if not data["industry"]:
                errors["industry"] = f"「業種」の「{industry_text}」は日本標準産業分類の大分類にありません。"

        municipality_text = normalise.single_line(values.get("municipality", ""))
        if municipality_text:
            municipality = self.municipalities.get(municipality_text)
            data["municipality"] = municipality.pk if municipality else ""
            if municipality is None:
                errors["municipality"] = (
                    f"「所在市町村」の「{municipality_text}」は県内の市町村名（または「県外」）ではありません。"
                )

        area_pks, unknown = [], []
        for name in AREA_SEPARATORS.split(values.get("areas", "")):
            name = normalise.single_line(name)
            if name in self.areas:
                area_pks.append(self.areas[name].pk)
            elif name:
                unknown.append(f"「取組分野」の「{name}」は取組分野の一覧にありません。")
        data["areas"] = area_pks
        if unknown:
            errors["areas"] = unknown
        return data, errors

    def check(self, line, values):
        data, lookup_errors = self.form_data(values)
        form = ImportRowForm(data=MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}))
        form.is_valid()
        errors = []
        for name in FIELDS:
            if name in lookup_errors:
                found = lookup_errors[name]
                errors.extend(found if isinstance(found, list) else [found])
                continue
            for error in form.errors.as_data().get(name, []):
                heading = self.labels[name]
                if error.code == "required":
                    errors.append(f"「{heading}」が空です。")
                else:
                    errors.extend(f"「{heading}」: {message}" for message in error.messages)
        if errors:
            return None, errors

        declaration = form.save(commit=False)
        key = (declaration.name, declaration.municipality.pk)
        if key in self.existing:
            errors.append(
                f"「{declaration.name}」（{declaration.municipality.name}）はすでに登録されています"
                f"（受付番号 {self.existing[key]}）。"
            )
        elif key in self.seen_in_file:
            errors.append(
                f"「{declaration.name}」（{declaration.municipality.name}）は{self.seen_in_file[key]}行目と重複しています。"
            )
        else:
            self.seen_in_file[key] = line
        if errors:
            return None, errors
        return form, []


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = build_help()
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSVファイルのパス")
        parser.add_argument("--dry-run", action="store_true", help="検査だけ行い、何も登録しません。")
        parser.add_argument(
            "--progress-every", type=int, default=200, help="この行数ごとに進み具合を表示します（標準エラー出力）。"
        )

    def progress(self, verb, done, total, every):
        if every > 0 and (done % every == 0 or done == total) and total >= every:
            self.stderr.write(f"{verb}… {done}/{total}行", ending="\n")
            self.stderr.flush()

    def handle(self, *args, file, dry_run, progress_every, **options):
        with translation.override("ja"):
            return self.run(Path(file), dry_run, progress_every)

    def run(self, path, dry_run, every):
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイルを読めません: {path}（{unreadable_reason(error)}）") from None
        try:
            table = spreadsheet.read_table(raw, heading_key=heading_key)
        except spreadsheet.UnreadableFile as error:
            raise CommandError(str(error)) from None
        header = [heading_key(heading) for heading in table.header]
        headings = {heading_key(heading): name for name, heading, _ in columns()}
        missing = [heading for _, heading, required in columns() if required and heading_key(heading) not in header]
        if missing:
            raise CommandError(
                f"1行目の見出しに必須の列がありません: {'、'.join(missing)}（列の一覧は --help で確認できます）"
            )
        ignored = [heading for heading in header if heading and heading not in headings]
        if ignored:
            self.stderr.write(f"次の列は読み飛ばします: {'、'.join(ignored)}")

        rows = []
        for start, values in table.rows:
            if len(values) > len(header):
                rows.append((start, None))
                continue
            rows.append((start, {headings[h]: v for h, v in zip(header, values, strict=False) if h in headings}))
        if not rows:
            raise CommandError("見出し行のほかに、登録する行がありません。")

        self.stdout.write(f"{path.name}: 文字コード {table.encoding}、{len(rows)}行を検査します。")
        checker = RowChecker()
        good, bad = [], []
        for done, (start, values) in enumerate(rows, start=1):
            if values is None:
                bad.append((start, ['列の数が見出し行より多くなっています（「,」を含む値は "" で囲んでください）。']))
            else:
                form, errors = checker.check(start, values)
                if errors:
                    bad.append((start, errors))
                else:
                    good.append((start, form))
            self.progress("検査中", done, len(rows), every)

        if bad:
            for start, errors in bad:
                for error in errors:
                    self.stderr.write(f"{start}行目: {error}")
            raise CommandError(
                f"{len(bad)}行に誤りがあるため、何も登録していません。直してからもう一度実行してください。"
            )

        if dry_run:
            self.stdout.write(f"検査のみ（--dry-run）: {len(good)}件すべて登録できます。何も書き込んでいません。")
            return

        with transaction.atomic():
            now = timezone.now()
            for done, (start, form) in enumerate(good, start=1):
                form.instance.publish_imported(
                    declared_on=form.cleaned_data["declared_on"],
                    areas=form.cleaned_data["areas"],
                    at=now,
                    source={"file": path.name, "line": start},
                )
                self.progress("登録中", done, len(good), every)
        self.stdout.write(self.style.SUCCESS(f"{len(good)}件を掲載中の推進宣言として登録しました。"))

"""Import the lists of declarants staff already keep (Excel → CSV) as published declarations.

Every row is checked first; if any row is bad, each bad row is reported with its line number and
reason and nothing is written. Otherwise all rows are written in one transaction.
"""

import argparse
import csv
import datetime
import io
import re
import unicodedata
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.log_actions import log

from declarations import normalise
from declarations.models import (
    ActivityArea,
    Declaration,
    Industry,
    Municipality,
    OrganisationType,
    Status,
    generate_reference_number,
)
from pages.templatetags.kyosei_tags import ERAS

# (field, column heading, required). The headings are the labels of the application form.
COLUMNS = [
    ("name", "企業・団体名", True),
    ("name_kana", "企業・団体名（ふりがな）", True),
    ("organisation_type", "種別", True),
    ("industry", "業種", False),
    ("municipality", "所在市町村", True),
    ("representative_title", "代表者役職", True),
    ("representative_name", "代表者氏名", True),
    ("website", "ホームページ", False),
    ("areas", "取組分野", False),
    ("content", "宣言内容", True),
    ("declared_on", "宣言日", True),
    ("postal_code", "郵便番号", False),
    ("address", "所在地", False),
    ("contact_department", "担当者部署", False),
    ("contact_name", "担当者氏名", False),
    ("phone", "電話番号", False),
    ("email", "メールアドレス", False),
]


def heading_key(heading):
    # Full-width and half-width brackets and spaces count as the same heading: （ふりがな） = (ふりがな).
    return re.sub(r"\s+", "", normalise.single_line(heading))


HEADINGS = {heading_key(heading): field for field, heading, _ in COLUMNS}

HELP = f"""職員が管理している宣言企業・団体の名簿（CSV）を、掲載中の推進宣言として登録します。

文字コード: UTF-8（BOM付き・なし）または Shift_JIS（Excelの「CSV（コンマ区切り）」）。自動で判別します。
1行目は見出し行で、列の順番は自由です。列（*は必須）:
  {" / ".join(("*" if required else "") + heading for _, heading, required in COLUMNS)}
種別: {"、".join(label for value, label in OrganisationType.choices if value != OrganisationType.PREFECTURE)}
業種: 日本標準産業分類の大分類の名前（例: 製造業）またはその記号（例: E）
所在市町村: 県内34市町村の名前、または「県外」
取組分野: 管理画面の取組分野の名前。複数は「、」または「;」で区切ります。
宣言日: 2024-04-01、2024/4/1、令和6年4月1日 のいずれかの形。
ふりがなはカタカナでもかまいません（ひらがなで保存します）。見出しが上の一覧にない列は読み飛ばします。

誤りのある行が1行でもあれば、行番号と理由をすべて表示し、何も登録しません。
同じ企業・団体名と所在市町村の宣言がすでにある行も誤りになります（二重登録の防止）。
"""

# The Western year before each era's first year (令和元年 = 2019), from the site's one era table.
YEAR_BEFORE_ERA = {name: start.year - 1 for name, start in ERAS}
ERA_DATE = re.compile(rf"({'|'.join(YEAR_BEFORE_ERA)})(元|\d{{1,2}})年(\d{{1,2}})月(\d{{1,2}})日")
AREA_SEPARATORS = re.compile(r"[、,，;；\n]")
URL_VALIDATOR = URLValidator(schemes=["http", "https"])


def decode(raw):
    """(text, encoding name) for a CSV file saved as UTF-8 (with or without BOM) or Shift_JIS (cp932)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8（BOM付き）"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # cp932 is Windows' Shift_JIS: it has the ① and 髙 that Excel files contain.
        return raw.decode("cp932"), "Shift_JIS"
    except UnicodeDecodeError:
        raise CommandError(
            "ファイルの文字コードを判別できません。UTF-8 または Shift_JIS で保存したCSVを指定してください。"
        ) from None


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
        era, era_year, month, day = match.groups()
        year = YEAR_BEFORE_ERA[era] + (1 if era_year == "元" else int(era_year))
        month, day = int(month), int(day)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class RowChecker:
    """Turns one CSV row into an unsaved Declaration and its areas, or a list of reasons it cannot."""

    def __init__(self):
        self.types = {}
        for value, label in OrganisationType.choices:
            if value == OrganisationType.PREFECTURE:
                continue  # only the founding declaration has it
            self.types[normalise.single_line(label)] = value
            self.types[value] = value
        self.industries = {}
        for value, label in Industry.choices:
            # NFKC, as the cell is read: "農業，林業" is looked up as "農業,林業".
            self.industries[normalise.single_line(label)] = value
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

    def check(self, line, values):
        errors = []
        get = values.get

        def text(field):
            return normalise.single_line(get(field, ""))

        for field, heading, required in COLUMNS:
            if required and not normalise.strip_spaces(get(field, "")):
                errors.append(f"「{heading}」が空です。")

        fields = {
            "name": text("name"),
            "representative_title": text("representative_title"),
            "representative_name": text("representative_name"),
            "content": normalise.strip_spaces(get("content", "")),
            "address": text("address"),
            "contact_department": text("contact_department"),
            "contact_name": text("contact_name"),
        }

        kana = normalise.to_hiragana(get("name_kana", ""))
        if kana and not normalise.is_kana_reading(kana):
            errors.append(f"「企業・団体名（ふりがな）」はひらがなかカタカナで書いてください（{kana}）。")
        fields["name_kana"] = kana

        type_text = text("organisation_type")
        if type_text:
            if type_text not in self.types:
                errors.append(f"「種別」の「{type_text}」は選択肢にありません。")
            fields["organisation_type"] = self.types.get(type_text, "")

        industry_text = text("industry")
        if industry_text and industry_text.upper() not in self.industries and industry_text not in self.industries:
            errors.append(f"「業種」の「{industry_text}」は日本標準産業分類の大分類にありません。")
        fields["industry"] = self.industries.get(industry_text) or self.industries.get(industry_text.upper(), "")

        municipality_text = text("municipality")
        municipality = self.municipalities.get(municipality_text)
        if municipality_text and municipality is None:
            errors.append(f"「所在市町村」の「{municipality_text}」は県内の市町村名（または「県外」）ではありません。")
        fields["municipality"] = municipality

        website = text("website")
        if website:
            try:
                URL_VALIDATOR(website)
            except ValidationError:
                errors.append(f"「ホームページ」は http:// か https:// で始まるアドレスにしてください（{website}）。")
        fields["website"] = website

        areas = []
        for name in AREA_SEPARATORS.split(get("areas", "")):
            name = normalise.single_line(name)
            if not name:
                continue
            if name in self.areas:
                areas.append(self.areas[name])
            else:
                errors.append(f"「取組分野」の「{name}」は取組分野の一覧にありません。")

        declared_text = text("declared_on")
        declared_on = parse_date(declared_text) if declared_text else None
        if declared_text and declared_on is None:
            errors.append(f"「宣言日」の「{declared_text}」を日付として読めません（例: 2024-04-01、令和6年4月1日）。")
        fields["declared_on"] = declared_on

        postal_text = get("postal_code", "")
        fields["postal_code"] = normalise.postal_code(postal_text) if postal_text.strip() else ""
        if fields["postal_code"] is None:
            errors.append(f"「郵便番号」は7桁の数字にしてください（{postal_text.strip()}）。")

        phone_text = get("phone", "")
        fields["phone"] = normalise.phone_number(phone_text) if phone_text.strip() else ""
        if fields["phone"] is None:
            errors.append(f"「電話番号」は0から始まる10桁か11桁の番号にしてください（{phone_text.strip()}）。")

        email = text("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"「メールアドレス」の形式が正しくありません（{email}）。")
        fields["email"] = email

        if errors:
            return None, None, errors

        declaration = Declaration(status=Status.PUBLISHED, **fields)
        try:
            declaration.full_clean(exclude=["reference_number", "submission_key"], validate_unique=False)
        except ValidationError as error:
            labels = {field: heading for field, heading, _ in COLUMNS}
            for field, messages in error.message_dict.items():
                errors.extend(f"「{labels.get(field, field)}」: {message}" for message in messages)
            return None, None, errors

        key = (declaration.name, declaration.municipality.pk)
        if key in self.existing:
            reference = self.existing[key]
            errors.append(
                f"「{declaration.name}」（{municipality.name}）はすでに登録されています（受付番号 {reference}）。"
            )
        elif key in self.seen_in_file:
            errors.append(
                f"「{declaration.name}」（{municipality.name}）は{self.seen_in_file[key]}行目と重複しています。"
            )
        else:
            self.seen_in_file[key] = line
        if errors:
            return None, None, errors
        return declaration, areas, []


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
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
            raise CommandError(f"ファイルを読めません: {path}（{error.strerror}）") from None
        text, encoding = decode(raw)
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [heading_key(heading) for heading in next(reader)]
        except StopIteration:
            raise CommandError("ファイルが空です。1行目に見出し行が必要です。") from None
        missing = [heading for _, heading, required in COLUMNS if required and heading_key(heading) not in header]
        if missing:
            raise CommandError(
                f"1行目の見出しに必須の列がありません: {'、'.join(missing)}（列の一覧は --help で確認できます）"
            )
        ignored = [heading for heading in header if heading and heading not in HEADINGS]
        if ignored:
            self.stderr.write(f"次の列は読み飛ばします: {'、'.join(ignored)}")

        rows = []
        read_up_to = reader.line_num
        for values in reader:
            # A quoted value may span lines: a row's number is the line it starts on, as Excel shows it.
            start, read_up_to = read_up_to + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                rows.append((start, None))
                continue
            rows.append((start, {HEADINGS[h]: v for h, v in zip(header, values, strict=False) if h in HEADINGS}))
        if not rows:
            raise CommandError("見出し行のほかに、登録する行がありません。")

        self.stdout.write(f"{path.name}: 文字コード {encoding}、{len(rows)}行を検査します。")
        checker = RowChecker()
        good, bad = [], []
        for done, (start, values) in enumerate(rows, start=1):
            if values is None:
                bad.append((start, ['列の数が見出し行より多くなっています（「,」を含む値は "" で囲んでください）。']))
            else:
                declaration, areas, errors = checker.check(start, values)
                if errors:
                    bad.append((start, errors))
                else:
                    good.append((start, declaration, areas))
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
            for done, (start, declaration, areas) in enumerate(good, start=1):
                declaration.submitted_at = now
                declaration.decided_at = now
                self.save_with_reference_number(declaration)
                declaration.areas.set(areas)
                log(declaration, "declarations.import", data={"file": path.name, "line": start})
                self.progress("登録中", done, len(good), every)
        self.stdout.write(self.style.SUCCESS(f"{len(good)}件を掲載中の推進宣言として登録しました。"))

    def save_with_reference_number(self, declaration):
        for attempt in range(5):
            declaration.reference_number = generate_reference_number()
            try:
                with transaction.atomic():
                    declaration.save(force_insert=True)
                return
            except IntegrityError:
                declaration.pk = None
                if attempt == 4:
                    raise

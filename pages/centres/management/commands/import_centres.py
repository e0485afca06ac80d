"""Load the prefecture's list of あったかふれあいセンター (CSV) into the directory, or update it.

Every row is checked first; if any row is bad, each bad row is reported with its line number and
reason and nothing is written. Otherwise all rows are written in one transaction. A row whose
センターID is already in the directory updates that centre, so the command can run again.
"""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, IntegrityError
from django.utils import translation

from core.files import unreadable_reason
from pages.centres import importing
from pages.centres.models import CentreService


def service_names():
    try:
        return "・".join(CentreService.objects.values_list("name", flat=True)) or "未登録"
    except DatabaseError:  # --help before `migrate`
        return "データベースの準備後に表示します"


def build_help():
    return f"""あったかふれあいセンターの一覧（CSV）を取り込みます。センターIDが同じセンターは更新し、ほかは追加します。

文字コード: UTF-8（BOM付き・なし）または Shift_JIS（Excelの「CSV（コンマ区切り）」）。自動で判別します。
1行目は見出し行で、列の順番は自由です。列（*は必須）:
  {importing.columns_help()}
センターID: 半角の英字・数字・「-」「_」（例: aki-01）。ページのアドレスになるので、一度決めたら変えません。
市町村: 県内34市町村の名前。
サービス: 管理画面の「サービスの種類」の名前（{service_names()}）。
  複数は「、」「・」「;」のいずれかで区切ります。
緯度・経度: 地図のリンクに使います（任意。入れるときは両方）。
見出しが上の一覧にない列（オープンデータの「地域」「詳細ページ」など）は読み飛ばします。
ファイルにないセンターは変更も削除もしません（削除は管理画面で行います）。
すでにあるセンターの行では、ファイルにない列の項目はそのまま残ります（空欄のセルは空にします）。

誤りのある行が1行でもあれば、行番号と理由をすべて表示し、何も書き込みません。
--dry-run では検査だけを行い、追加・更新されるセンターを表示します。
"""


class Command(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = build_help()
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSVファイルのパス")
        parser.add_argument("--dry-run", action="store_true", help="検査だけ行い、何も書き込みません。")
        parser.add_argument(
            "--progress-every", type=int, default=20, help="この行数ごとに進み具合を表示します（標準エラー出力）。"
        )

    def handle(self, *args, file, dry_run, progress_every, **options):
        with translation.override("ja"):
            return self.run(Path(file), dry_run, progress_every)

    def progress(self, verb, every):
        def report(done, total):
            if every > 0 and (done % every == 0 or done == total):
                self.stderr.write(f"{verb}… {done}/{total}行")
                self.stderr.flush()

        return report

    def run(self, path, dry_run, every):
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイルを読めません: {path}（{unreadable_reason(error)}）") from None
        try:
            reading = importing.read(raw)
        except importing.FileProblem as problem:
            raise CommandError(str(problem)) from None
        if reading.ignored_headings:
            self.stderr.write(f"次の列は読み飛ばします: {'、'.join(reading.ignored_headings)}")

        self.stdout.write(f"{path.name}: 文字コード {reading.encoding}、{len(reading.rows)}行を検査します。")
        good, bad = importing.check(reading, progress=self.progress("検査中", every))
        if bad:
            for row in bad:
                for error in row.errors:
                    self.stderr.write(f"{row.line}行目: {error}")
            raise CommandError(
                f"{len(bad)}行に誤りがあるため、何も書き込んでいません。直してからもう一度実行してください。"
            )

        added = [row for row in good if row.action == "add"]
        updated = [row for row in good if row.action == "update"]
        same = len(good) - len(added) - len(updated)
        for row in good:
            centre = row.form.instance
            if row.action == "add":
                self.stdout.write(f"{row.line}行目: 追加 {centre.key}（{centre.name}）")
            elif row.action == "update":
                what = "、".join(row.changed) if row.changed else "見本の印を外す"
                self.stdout.write(f"{row.line}行目: 更新 {centre.key}（{centre.name}）: {what}")
        summary = f"追加 {len(added)}件、更新 {len(updated)}件、変更なし {same}件"

        if dry_run:
            self.stdout.write(f"検査のみ（--dry-run）: {summary}になります。何も書き込んでいません。")
            return
        try:
            importing.write(good, progress=self.progress("書き込み中", every))
        except IntegrityError:
            # Someone added the same センターID in the admin between the check and the write.
            raise CommandError(
                "取り込みの途中でほかの変更と重なったため、何も書き込んでいません。もう一度実行してください。"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"取り込みました: {summary}。"))

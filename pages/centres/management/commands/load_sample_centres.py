"""The （見本） centres the site starts with (`data/sample-centres.csv`, in import_centres's format).

Loaded only while the directory is empty, so a second run changes nothing, and once staff have
imported the real list (and deleted the samples) nothing comes back. `load_initial_content` runs it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.centres import importing
from pages.centres.models import Centre

SAMPLE_FILE = Path(__file__).resolve().parents[2] / "data" / "sample-centres.csv"


class Command(BaseCommand):
    help = "見本のあったかふれあいセンターを登録します（センターが1件もないときだけ）。"

    def handle(self, *args, **options):
        if Centre.objects.exists():
            self.stdout.write("あったかふれあいセンター: 登録済みのため、見本は追加しません。")
            return
        reading = importing.read(SAMPLE_FILE.read_bytes())
        good, bad = importing.check(reading)
        if bad:
            reasons = "; ".join(f"{row.line}行目: {error}" for row in bad for error in row.errors)
            raise CommandError(f"{SAMPLE_FILE.name} に誤りがあります: {reasons}")
        count = importing.write(good, is_sample=True)
        self.stdout.write(f"あったかふれあいセンター: 見本 {count} 件を登録しました。")

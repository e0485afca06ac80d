"""Kochi's 34 municipalities (plus 県外) and the starting list of 取組分野.

These are reference data the application form cannot work without, so they arrive with the schema.
"""

import csv
from pathlib import Path

from django.db import migrations

# The shared reference list (core/data/, also read by the centres directory); it was in declarations/data/.
CSV_PATH = Path(__file__).resolve().parents[2] / "core" / "data" / "kochi-municipalities.csv"

AREAS = [
    "見守り・声かけ",
    "居場所づくり",
    "就労・社会参加の支援",
    "子育て支援",
    "高齢者・障害のある人の支援",
    "地域活動・ボランティア",
    "従業員の仕事と介護・育児の両立",
    "学び・啓発",
]


def load(apps, schema_editor):
    Municipality = apps.get_model("declarations", "Municipality")
    ActivityArea = apps.get_model("declarations", "ActivityArea")
    with CSV_PATH.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for order, row in enumerate(rows, start=1):
        Municipality.objects.update_or_create(
            name=row["name"],
            defaults={"kana": row["kana"], "kind": row["kind"], "region": row["region"], "sort_order": order},
        )
    Municipality.objects.update_or_create(
        name="県外", defaults={"kana": "けんがい", "kind": "県外", "region": "", "sort_order": 99}
    )
    for order, name in enumerate(AREAS, start=1):
        ActivityArea.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("declarations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

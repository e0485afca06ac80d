"""Put the founding declarants of 30 Oct 2022 on the register.

The prefecture, its 34 municipalities, the prefectural social welfare council and the 34 municipal
councils made the 高知家地域共生社会推進宣言 together at the forum of 令和4年10月30日. Each gets a fixed
受付番号 (F-001 …), which is what makes the command safe to run twice: an entry that already exists
is left exactly as staff may have edited it.
"""

import datetime
import zoneinfo

from django.core.management.base import BaseCommand
from django.db import transaction

from declarations.models import Declaration, Municipality, OrganisationType

FOUNDING_DATE = datetime.date(2022, 10, 30)
FOUNDING_TIME = datetime.datetime(2022, 10, 30, 13, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
PREFECTURE_SEAT = "高知市"
COUNCIL = "社会福祉協議会"
COUNCIL_KANA = "しゃかいふくしきょうぎかい"

GOVERNMENT_CONTENT = (
    "高知家地域共生社会推進宣言に基づき、分野を超えた「つながり」を意識した行政の仕組みづくりと、"
    "「つながり」を実感できる地域づくりに取り組みます。"
)
COUNCIL_CONTENT = (
    "高知家地域共生社会推進宣言に基づき、行政と手を取り合い、住民の皆さんとともに"
    "「つながり」を実感できる地域づくりに取り組みます。"
)
HEAD_TITLE = {"市": "市長", "町": "町長", "村": "村長"}


def founding_entries():
    """(reference number, fields) for each founding declarant, in the order they are numbered."""
    municipalities = list(Municipality.objects.exclude(kind="県外").order_by("sort_order"))
    seat = next(m for m in municipalities if m.name == PREFECTURE_SEAT)
    entries = [
        {
            "name": "高知県",
            "name_kana": "こうちけん",
            "organisation_type": OrganisationType.PREFECTURE,
            "municipality": seat,
            "representative_title": "知事",
            "content": GOVERNMENT_CONTENT,
        }
    ]
    entries += [
        {
            "name": m.name,
            "name_kana": m.kana,
            "organisation_type": OrganisationType.MUNICIPALITY,
            "municipality": m,
            "representative_title": HEAD_TITLE[m.kind],
            "content": GOVERNMENT_CONTENT,
        }
        for m in municipalities
    ]
    entries.append(
        {
            "name": f"高知県{COUNCIL}",
            "name_kana": f"こうちけん{COUNCIL_KANA}",
            "organisation_type": OrganisationType.SOCIAL_WELFARE_COUNCIL,
            "municipality": seat,
            "representative_title": "会長",
            "content": COUNCIL_CONTENT,
        }
    )
    entries += [
        {
            "name": f"{m.name}{COUNCIL}",
            "name_kana": f"{m.kana}{COUNCIL_KANA}",
            "organisation_type": OrganisationType.SOCIAL_WELFARE_COUNCIL,
            "municipality": m,
            "representative_title": "会長",
            "content": COUNCIL_CONTENT,
        }
        for m in municipalities
    ]
    return [(f"F-{number:03d}", fields) for number, fields in enumerate(entries, start=1)]


class Command(BaseCommand):
    help = (
        "令和4年10月30日の創設時の宣言（県・34市町村・県社協・34市町村社協）を登録簿に載せます。"
        "何度実行しても同じ結果です。"
    )

    @transaction.atomic
    def handle(self, *args, **options):
        entries = founding_entries()
        existing = set(
            Declaration.objects.filter(reference_number__in=[number for number, _ in entries]).values_list(
                "reference_number", flat=True
            )
        )
        created = 0
        for reference_number, fields in entries:
            if reference_number in existing:
                continue
            # The heads of these bodies change with elections; the title is what the register shows.
            declaration = Declaration(
                reference_number=reference_number, representative_name="", is_founding=True, **fields
            )
            declaration.publish_imported(
                declared_on=FOUNDING_DATE, at=FOUNDING_TIME, source={"founding": FOUNDING_DATE.isoformat()}
            )
            created += 1
        self.stdout.write(f"創設時の宣言: {created}件を追加しました（全{len(entries)}件）。")

"""The public fields of the register as open data (CSV and JSON), and their documentation.

Only what the public register shows goes out here; the columns are listed once so the files and the
explanation on the register page cannot drift apart.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from core.text import clean
from pages.opendata import licence, state_licence  # noqa: F401 (the register's views use them from here)

from .models import PUBLIC_FIELDS


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    header: str  # CSV header (Japanese)
    description: str
    value: Callable


def _areas(declaration):
    return [area.name for area in declaration.areas.all()]


# Each public field as open data: (CSV header, description, value). The logo is an image, not a cell.
FIELD_COLUMNS = {
    "name": ("企業・団体名", _("宣言した企業・団体の名称"), lambda d: d.name),
    "name_kana": ("ふりがな", _("企業・団体名のよみ（ひらがな）"), lambda d: d.name_kana),
    "organisation_type": (
        "種別",
        _("企業、社会福祉法人、NPO法人、医療法人など"),
        lambda d: d.get_organisation_type_display(),
    ),
    "industry": ("業種", _("日本標準産業分類の大分類（未設定のときは空欄）"), lambda d: d.get_industry_display()),
    "municipality": ("所在市町村", _("高知県内の市町村名、または「県外」"), lambda d: d.municipality.name),
    "representative_title": ("代表者役職", _("代表者の役職"), lambda d: d.representative_title),
    "representative_name": ("代表者氏名", _("代表者の氏名（創設時の宣言では空欄）"), lambda d: d.representative_name),
    "website": ("ホームページ", _("ホームページのアドレス（ない場合は空欄）"), lambda d: d.website),
    "areas": ("取組分野", _("CSVでは「、」区切り、JSONでは文字列の配列"), _areas),
    "content": ("宣言内容", _("宣言した取組の内容"), lambda d: d.content),
    "declared_on": (
        "宣言日",
        _("西暦の年-月-日（例：2022-10-30）"),
        lambda d: d.declared_on.isoformat() if d.declared_on else "",
    ),
}
NOT_OPEN_DATA = {"logo"}

COLUMNS = [
    Column("id", "番号", _("登録簿の番号。詳細ページのアドレス /declarations/番号/ にも使われます。"), lambda d: d.pk),
    # A public field without an entry above fails here, at import time: open data cannot silently miss it.
    *(Column(name, *FIELD_COLUMNS[name]) for name in PUBLIC_FIELDS if name not in NOT_OPEN_DATA),
    Column("url", "詳細ページ", _("登録簿の詳細ページのアドレス"), None),
]


def _without_control_characters(value):
    # Rows imported from the staff's old lists may hold characters JSON readers and XML tools choke on.
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def row(declaration, detail_url):
    """One declaration as {key: value}, with areas as a list."""
    values = {}
    for column in COLUMNS:
        value = detail_url if column.key == "url" else column.value(declaration)
        values[column.key] = _without_control_characters(value)
    return values

"""The directory as open data (CSV and JSON): the columns once, so the files and their explanation on
/centres/ cannot drift apart. The licence is the site's one open-data setting, as for the register."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

from core.text import clean


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    header: str  # CSV header (Japanese); also the import's heading for the same field
    description: str
    value: Callable


def _services(centre):
    return [service.name for service in centre.services.all()]


def _coordinate(value):
    return f"{value:f}" if value is not None else ""


COLUMNS = [
    Column(
        "key",
        "センターID",
        _("センターを見分ける記号。詳細ページのアドレス /centres/センターID/ にも使われます。"),
        lambda c: c.key,
    ),
    Column("name", "センター名", _("あったかふれあいセンターの名称"), lambda c: c.name),
    Column("kana", "よみ", _("センター名のよみ（ひらがな）"), lambda c: c.kana),
    Column("region", "地域", _("安芸・中央・高幡・幡多のいずれか"), lambda c: c.region),
    Column("municipality", "市町村", _("所在する県内の市町村名"), lambda c: c.municipality),
    Column("address", "所在地", _("所在地の住所"), lambda c: c.address),
    Column("phone", "電話番号", _("電話番号（ない場合は空欄）"), lambda c: c.phone),
    Column("opening_days", "開所日", _("開いている曜日など"), lambda c: c.opening_days),
    Column("opening_hours", "開所時間", _("開いている時間"), lambda c: c.opening_hours),
    Column(
        "services", "サービス", _("CSVでは「、」区切り、JSONでは文字列の配列（集う・訪ねる・泊まるなど）"), _services
    ),
    Column("step_free", "段差", _("段差についての情報"), lambda c: c.step_free),
    Column("wheelchair", "車椅子", _("車椅子での利用についての情報"), lambda c: c.wheelchair),
    Column("parking", "駐車場", _("駐車場についての情報"), lambda c: c.parking),
    Column("operator", "運営", _("運営する団体"), lambda c: c.operator),
    Column("latitude", "緯度", _("世界測地系の緯度（ない場合は空欄）"), lambda c: _coordinate(c.latitude)),
    Column("longitude", "経度", _("世界測地系の経度（ない場合は空欄）"), lambda c: _coordinate(c.longitude)),
    Column("url", "詳細ページ", _("このサイトの詳細ページのアドレス"), None),
]


def _without_control_characters(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def row(centre, detail_url):
    """One centre as {key: value}, with services as a list."""
    return {
        column.key: _without_control_characters(detail_url if column.key == "url" else column.value(centre))
        for column in COLUMNS
    }

"""あったかふれあいセンター: the programme's local bases, as a directory residents search by town and service.

Centres are plain models: staff load the prefecture's list with `manage.py import_centres` (matched on
the センターID, so a second run updates) and correct single entries in the admin. Which centres are
open data, how they are grouped and filtered, and where the map link goes are decided here.
"""

import re
import unicodedata
from urllib.parse import quote, urlencode

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from core import municipalities

# What a センターID may be: it is the centre's address (/centres/<key>/), so ASCII letters, digits,
# "-" and "_" only, and it never changes once published.
KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}"
KEY_MAX_LENGTH = 32

SAMPLE_LABEL = "（見本）"

# Where the map link goes: OpenStreetMap's own pages (a plain link; the centre page loads nothing from
# there). By coordinates when staff gave them, else a search for the address.
MAP_BY_COORDINATES = "https://www.openstreetmap.org/?{query}#map=17/{lat}/{lon}"
MAP_BY_ADDRESS = "https://www.openstreetmap.org/search?query={query}"

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def single_line(value):
    """NFKC (full-width letters and digits half-width, half-width katakana full-width), trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip(" \t\u3000")


def to_hiragana(value):
    """よみ as stored: NFKC, katakana made hiragana, runs of spaces made one."""
    return re.sub(r"\s+", " ", single_line(value).translate(_KATAKANA_TO_HIRAGANA))


def validate_municipality(value):
    if value not in municipalities.BY_NAME:
        raise ValidationError(f"「{value}」は高知県内の市町村名ではありません。", code="municipality")


def validate_kana(value):
    # Digits and letters stay as read (だい2, えぬぴーおー or NPO): the reading orders the list.
    if not re.fullmatch(r"[\u3041-\u3096\u30fc・ 　0-9A-Za-z]+", value):
        raise ValidationError("よみはひらがな（またはカタカナ）で入力してください。", code="kana")


validate_key = RegexValidator(
    rf"\A{KEY_PATTERN}\Z",
    "センターIDは半角の英字・数字・「-」「_」で、32文字までにしてください（例: aki-01）。",
    code="key",
)
validate_phone = RegexValidator(
    r"\A0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}\Z",
    "電話番号は市外局番から「-」で区切って入力してください（例: 088-000-0000）。",
    code="phone",
)


class CentreService(models.Model):
    """What a centre offers (集う・訪ねる・泊まる…); staff edit the list in the admin."""

    name = models.CharField("サービス名", max_length=20, unique=True)
    description = models.CharField(
        "説明", max_length=100, blank=True, help_text="一覧の絞り込みの横に表示します（例: 地域の人が集まって過ごす）。"
    )
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "センターのサービス"
        verbose_name_plural = "センターのサービス"

    def __str__(self):
        return self.name


class CentreQuerySet(models.QuerySet):
    def filtered(self, municipality=None, service=None):
        """The centres in `municipality` (a name) offering `service` (a CentreService), in the list's order."""
        centres = self
        if municipality:
            centres = centres.filter(municipality=municipality)
        if service is not None:
            centres = centres.filter(services=service)
        return centres.prefetch_related("services").order_by("kana", "key")

    def open_data(self):
        """What the CSV and JSON publish: real centres only (a （見本） entry is nobody's data)."""
        return self.filter(is_sample=False).prefetch_related("services").order_by("key")


class Centre(models.Model):
    """One あったかふれあいセンター (or one of its satellite sites), with its own public page."""

    key = models.CharField(
        "センターID",
        max_length=KEY_MAX_LENGTH,
        unique=True,
        validators=[validate_key],
        help_text=(
            "ページのアドレス（/centres/センターID/）と、CSVの取り込みで同じセンターを見分けるのに使います。"
            "公開後は変えないでください。"
        ),
    )
    name = models.CharField("センター名", max_length=100)
    kana = models.CharField("よみ", max_length=100, validators=[validate_kana], help_text="ひらがなで入力します。")
    municipality = models.CharField(
        "市町村", max_length=20, choices=municipalities.choices, validators=[validate_municipality]
    )
    address = models.CharField("所在地", max_length=200, help_text="市町村名から入力します。")
    phone = models.CharField("電話番号", max_length=20, blank=True, validators=[validate_phone])
    opening_days = models.CharField("開所日", max_length=100, blank=True, help_text="例: 月曜日〜金曜日（祝日を除く）")
    opening_hours = models.CharField("開所時間", max_length=100, blank=True, help_text="例: 9時〜16時")
    services = models.ManyToManyField(CentreService, verbose_name="サービス", blank=True, related_name="centres")
    step_free = models.CharField("段差", max_length=200, blank=True, help_text="例: 入口にスロープあり")
    wheelchair = models.CharField("車椅子", max_length=200, blank=True, help_text="例: 車椅子で使えるトイレあり")
    parking = models.CharField("駐車場", max_length=200, blank=True, help_text="例: 5台（無料）")
    operator = models.CharField("運営", max_length=100, blank=True, help_text="例: ○○町社会福祉協議会")
    latitude = models.DecimalField(
        "緯度", max_digits=9, decimal_places=6, null=True, blank=True, help_text="地図のリンクに使います（任意）。"
    )
    longitude = models.DecimalField("経度", max_digits=9, decimal_places=6, null=True, blank=True)
    is_sample = models.BooleanField(
        "見本",
        default=False,
        help_text="見本のデータです。公開ページに「（見本）」と表示し、オープンデータには含めません。",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["kana", "key"]
        verbose_name = "あったかふれあいセンター"
        verbose_name_plural = "あったかふれあいセンター"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="centre_coordinates_both_or_neither",
            )
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("centres:detail", args=[self.key])

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("緯度と経度は両方入力するか、両方空欄にしてください。")

    @property
    def display_name(self):
        """The name as every public place shows it: with （見本） while it is sample data."""
        if self.is_sample and SAMPLE_LABEL not in self.name and single_line(SAMPLE_LABEL) not in self.name:
            return f"{SAMPLE_LABEL}{self.name}"
        return self.name

    @property
    def sample_label(self):
        return "見本" if self.is_sample else ""

    @property
    def region(self):
        return municipalities.BY_NAME[self.municipality].region if self.municipality in municipalities.BY_NAME else ""

    @property
    def map_url(self):
        """A link to the centre on a map service, or "" for sample data (its address is made up)."""
        if self.is_sample:
            return ""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = f"{self.latitude:f}", f"{self.longitude:f}"
            return MAP_BY_COORDINATES.format(query=urlencode({"mlat": lat, "mlon": lon}), lat=lat, lon=lon)
        address = self.address
        if not address.startswith(("高知県", self.municipality)):
            address = self.municipality + address
        if not address.startswith("高知県"):
            address = "高知県" + address
        return MAP_BY_ADDRESS.format(query=quote(address))


def grouped_by_region(centres):
    """[(region, [(municipality name, [centre, ...]), ...]), ...] in the prefecture's order, leaving out
    regions and municipalities without a centre."""
    by_municipality = {}
    for centre in centres:
        by_municipality.setdefault(centre.municipality, []).append(centre)
    groups = []
    for region in municipalities.REGIONS:
        towns = [
            (municipality.name, by_municipality[municipality.name])
            for municipality in municipalities.in_region(region)
            if municipality.name in by_municipality
        ]
        if towns:
            groups.append((region, towns))
    return groups

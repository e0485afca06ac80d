"""Small helpers for the register's tests: declarations, form data and real images made by Pillow."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType, Status

_counter = itertools.count(1)

PRIVATE_VALUES = {
    "postal_code": "781-0077",
    "address": "高知市秘密町9丁目8番7号",
    "contact_department": "総務秘匿課",
    "contact_name": "担当花子",
    "phone": "088-999-1234",
    "email": "private-contact@example.jp",
}


def make_declaration(status=Status.PUBLISHED, areas=(), **fields):
    n = next(_counter)
    values = {
        "reference_number": f"T-{n:06d}",
        "name": f"テスト株式会社{n}",
        "name_kana": f"てすとかぶしきがいしゃ{n}",
        "organisation_type": OrganisationType.COMPANY,
        "industry": "E",
        "municipality": Municipality.objects.get(name="高知市"),
        "representative_title": "代表取締役",
        "representative_name": "高知太郎",
        "content": "地域の見守り活動に参加します。",
        "declared_on": "2024-04-01" if status == Status.PUBLISHED else None,
        "status": status,
        **PRIVATE_VALUES,
    }
    values.update(fields)
    declaration = Declaration.objects.create(**values)
    if areas:
        declaration.areas.set(areas)
    return declaration


def form_data(**overrides):
    """What a person fills in on the public form, as the browser posts it (one value list per name)."""
    areas = [str(pk) for pk in ActivityArea.objects.order_by("sort_order").values_list("pk", flat=True)[:2]]
    data = {
        "name": "株式会社くろしお商店",
        "name_kana": "かぶしきがいしゃくろしおしょうてん",
        "organisation_type": OrganisationType.COMPANY,
        "industry": "I",
        "municipality": str(Municipality.objects.get(name="黒潮町").pk),
        "representative_title": "代表取締役",
        "representative_name": "黒潮一郎",
        "website": "https://kuroshio.example.jp/",
        "areas": areas,
        "content": "店頭での見守りと声かけを続け、地域の居場所づくりに協力します。",
        "postal_code": "789-1901",
        "address": "幡多郡黒潮町入野1番地",
        "contact_department": "総務部",
        "contact_name": "担当次郎",
        "phone": "0880-43-0000",
        "email": "jiro@kuroshio.example.jp",
        "email_confirm": "jiro@kuroshio.example.jp",
        "agree_privacy": "on",
        "agree_publication": "on",
        "pledge_not_antisocial": "on",
        "fax_number": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def image_bytes(fmt="PNG", size=(120, 80), color=(200, 30, 30), **save_args):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color).save(buffer, fmt, **save_args)
    return buffer.getvalue()


def upload(content, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)

"""The register's one set of test factories: declarations in any state, form data, users, real images."""

import datetime
import io

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType, Status

MODERATOR_GROUP = "宣言審査担当"

# The contact details every factory-made declaration has: private, so no public page may show them.
PRIVATE_VALUES = {
    "postal_code": "780-0850",
    "address": "高知市丸ノ内1-2-20",
    "contact_department": "総務部",
    "contact_name": "山田 花子",
    "phone": "088-823-9999",
    "email": "hanako@kuroshio.example.jp",
}


def make_declaration(status=Status.PENDING, *, areas=None, municipality_name="高知市", **fields):
    """An application as the form makes it, in `status` (a new application unless told otherwise).

    A published one gets a 宣言日; `areas` defaults to the first two 取組分野 (pass () for none).
    """
    values = {
        "name": "株式会社くろしお商会",
        "name_kana": "くろしおしょうかい",
        "organisation_type": OrganisationType.COMPANY,
        "industry": "I",
        "municipality": Municipality.objects.get(name=municipality_name),
        "representative_title": "代表取締役",
        "representative_name": "土佐 太郎",
        "content": "地域の見守り活動に従業員とともに参加します。",
        **PRIVATE_VALUES,
        "consented_at": timezone.now(),
        "status": status,
        "declared_on": datetime.date(2024, 4, 1) if status == Status.PUBLISHED else None,
    }
    values.update(fields)
    declaration = Declaration(**values)
    if declaration.reference_number:
        declaration.save(force_insert=True)
    else:
        declaration.insert_with_reference_number()
    declaration.areas.set(areas if areas is not None else ActivityArea.objects.all()[:2])
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


def png_file(name="logo.png", size=(40, 30)):
    return upload(image_bytes("PNG", size=size, color=(200, 60, 40)), name=name)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def make_moderator(username="shinsa"):
    """A reviewer: in 宣言審査担当, not a superuser."""
    user = User.objects.create_user(
        username, f"{username}@pref.example.jp", "pw-12345", first_name="審査", last_name="担当"
    )
    user.groups.add(Group.objects.get(name=MODERATOR_GROUP))
    return user


def make_editor(username="henshu"):
    """A page editor in Wagtail's own Editors group, outside 宣言審査担当."""
    user = User.objects.create_user(username, f"{username}@pref.example.jp", "pw-12345")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def make_superuser(username="kanri"):
    return User.objects.create_superuser(username, f"{username}@pref.example.jp", "pw-12345")

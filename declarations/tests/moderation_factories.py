"""Small factories for the moderation tests: applications in a given state, and the three kinds of user."""

import datetime
import io

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType, generate_reference_number

MODERATOR_GROUP = "宣言審査担当"


def make_declaration(**fields):
    areas = fields.pop("areas", None)
    defaults = {
        "reference_number": generate_reference_number(),
        "name": "株式会社くろしお商会",
        "name_kana": "くろしおしょうかい",
        "organisation_type": OrganisationType.COMPANY,
        "industry": "I",
        "municipality": Municipality.objects.get(name=fields.pop("municipality_name", "高知市")),
        "representative_title": "代表取締役",
        "representative_name": "土佐 太郎",
        "content": "地域の見守り活動に従業員とともに参加します。",
        "postal_code": "780-0850",
        "address": "高知市丸ノ内1-2-20",
        "contact_department": "総務部",
        "contact_name": "山田 花子",
        "phone": "088-823-9999",
        "email": "hanako@kuroshio.example.jp",
        "consented_at": timezone.now(),
    }
    defaults.update(fields)
    declaration = Declaration.objects.create(**defaults)
    declaration.areas.set(areas if areas is not None else ActivityArea.objects.all()[:2])
    return declaration


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def png_file(name="logo.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_moderator(username="shinsa"):
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

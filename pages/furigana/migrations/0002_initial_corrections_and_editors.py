"""The first corrections (data/corrections.toml), and the page editors and approvers (編集者, 承認者) may keep
the corrections: the staff who write the pages see a wrong reading first."""

import tomllib
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "corrections.toml"
GROUPS = ["Editors", "編集者", "Moderators", "承認者"]
CODENAMES = [f"{action}_readingcorrection" for action in ("add", "change", "delete", "view")]


def _permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="furigana", codename__in=CODENAMES
    )


def forwards(apps, schema_editor):
    correction = apps.get_model("furigana", "ReadingCorrection")
    for row in tomllib.loads(DATA.read_text(encoding="utf-8"))["corrections"]:
        correction.objects.get_or_create(word=row["word"], defaults={"reading": row["reading"]})
    # Model permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("furigana")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*_permissions(apps))


def backwards(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("furigana", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

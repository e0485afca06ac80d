"""Logos move out of the public media folder into the logo storage (PRIVATE_MEDIA_ROOT).

Every file of the old logo folder moves, whether a declaration names it or not: the ones nobody names
(replaced before this release) are then deleted by `purge_unused_logos`. Names stay the same, so the
rows need no change.
"""

import declarations.logos
import declarations.models
from django.core.files.storage import storages
from django.db import migrations, models

OLD_FOLDER = "declarations/logos"


def move_files(source, target):
    try:
        _, files = source.listdir(OLD_FOLDER)
    except FileNotFoundError:
        return
    for filename in files:
        name = f"{OLD_FOLDER}/{filename}"
        if not target.exists(name):
            with source.open(name) as content:
                saved = target.save(name, content)
            if saved != name:  # never: the target had no such file a moment ago
                raise RuntimeError(f"{name} was saved as {saved}")
        source.delete(name)


def to_private(apps, schema_editor):
    move_files(storages["default"], storages["logos"])


def to_public(apps, schema_editor):
    move_files(storages["logos"], storages["default"])


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0004_moderator_group"),
    ]

    operations = [
        migrations.AlterField(
            model_name="declaration",
            name="logo",
            field=models.ImageField(
                blank=True,
                storage=declarations.logos.logo_storage,
                upload_to=declarations.models.logo_upload_to,
                verbose_name="ロゴ画像",
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]

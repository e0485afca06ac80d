"""Give the page tree's root a Japanese title.

Wagtail's own migration creates the root page titled "Root", and the admin's page explorer and
breadcrumbs show that title to staff. Only the exact English default is renamed, so a title that
someone has chosen is never touched.
"""

from django.db import migrations

ENGLISH = "Root"
JAPANESE = "ルート"


def rename(apps, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def to_japanese(apps, schema_editor):
    rename(apps, ENGLISH, JAPANESE)


def to_english(apps, schema_editor):
    rename(apps, JAPANESE, ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_searchentry_kind_from_sources"),
    ]

    operations = [migrations.RunPython(to_japanese, to_english)]

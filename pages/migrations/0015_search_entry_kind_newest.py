# A kind's public search entries newest first, on PostgreSQL: the search reads each kind's matches in this
# order and stops at its cap (pages/search/results.py). SQLite cannot index NULLS LAST and reads the
# matches from its FTS5 index instead, so it gets no index here.

from django.db import migrations

INDEX = "search_entry_kind_newest"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{INDEX}" ON "pages_searchentry" ("is_public", "kind", "date" DESC NULLS LAST, "id" DESC)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0014_editors_tune_search'),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]

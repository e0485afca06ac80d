"""Centres saved before the import kept round brackets full-width show （見本）○○町 as (見本)○○町: give
the Japanese text fields of every stored centre full-width brackets, as the form now stores them."""

from django.db import migrations

FIELDS = ["name", "address", "opening_days", "opening_hours", "step_free", "wheelchair", "parking", "operator"]
BRACKETS = str.maketrans("()", "（）")


def fullwidth(apps, schema_editor):
    Centre = apps.get_model("centres", "Centre")
    for centre in Centre.objects.all():
        changed = [name for name in FIELDS if getattr(centre, name) != getattr(centre, name).translate(BRACKETS)]
        for name in changed:
            setattr(centre, name, getattr(centre, name).translate(BRACKETS))
        if changed:
            centre.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("centres", "0002_services")]

    operations = [migrations.RunPython(fullwidth, migrations.RunPython.noop)]

"""Match existing search entries by the folding rules (カタカナ → ひらがな, 異体字, readings).

The index stores normalised text and its bigrams, so entries written before the rules changed
would miss what the new queries look for until rebuilt. This rewrites each entry from its stored
title and body. It asks no content source; the readings (municipalities' names) are asked for
only when there is an entry, that is on a database whose register tables exist already.
"""

from django.db import migrations


def refold(apps, schema_editor):
    from pages.search.indexing import refresh_normalised

    SearchEntry = apps.get_model("pages", "SearchEntry")
    for entry in SearchEntry.objects.order_by("pk").iterator():
        refresh_normalised(entry)


class Migration(migrations.Migration):
    dependencies = [("pages", "0008_policy_pages_and_open_data_licence")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]

"""The site's languages besides Japanese (settings.WAGTAIL_CONTENT_LANGUAGES: English and やさしい日本語) as
Wagtail locales, and the right to start a translation for the page editors and approvers.

wagtail-localize grants "submit_translation" to the groups named Editors and Moderators; on a site where
`load_initial_content` already renamed them 編集者 and 承認者, this grants it under those names."""

from django.db import migrations

LANGUAGES = ["en", "ja-x-easy"]
GROUPS = ["Editors", "編集者", "Moderators", "承認者"]


def _permission(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )


def create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for language in LANGUAGES:
        Locale.objects.get_or_create(language_code=language)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*_permission(apps))


def remove(apps, schema_editor):
    # A locale that holds pages stays (deleting it would delete them); an empty one goes.
    Page = apps.get_model("wagtailcore", "Page")
    for locale in apps.get_model("wagtailcore", "Locale").objects.filter(language_code__in=LANGUAGES):
        if not Page.objects.filter(locale=locale).exists():
            locale.delete()
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0015_search_entry_kind_newest"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create, remove)]

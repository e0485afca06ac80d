"""The page editors and approvers (Wagtail's Editors and Moderators groups, renamed 編集者 and 承認者 by
`load_initial_content`) may keep the site search's 言い換え, 案内 and おすすめ: the staff who write the pages
know which words residents use for them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Editors", "編集者", "Moderators", "承認者"]
MODELS = ["searchsynonym", "searchguide", "bestbet"]
CODENAMES = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]


def _permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(content_type__app_label="pages", codename__in=CODENAMES)


def grant(apps, schema_editor):
    # Model permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0013_event_accommodation_notice_email"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""The 宣言審査担当 group: staff who review declaration applications and may see private contact data.

Wagtail's own Editors group gets nothing here, so an editor outside this group never sees the queue.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "宣言審査担当"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("declarations", "view_declaration"),
    ("declarations", "change_declaration"),
    ("declarations", "add_activityarea"),
    ("declarations", "change_activityarea"),
    ("declarations", "delete_activityarea"),
    ("declarations", "view_activityarea"),
]


def create_group(apps, schema_editor):
    # Model permissions are normally created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("declarations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0003_submission_key"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

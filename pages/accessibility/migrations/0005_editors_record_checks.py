"""The page editors and approvers (Wagtail's Editors and Moderators groups, renamed 編集者 and 承認者 by
`load_initial_content`) may record and correct 達成基準の確認結果: the staff who run the site check it.
No one but a superuser deletes a record: a check that was redone is recorded again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Editors", "編集者", "Moderators", "承認者"]
CODENAMES = ["add_criterioncheck", "change_criterioncheck", "view_criterioncheck"]


def grant(apps, schema_editor):
    # Model permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("accessibility")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="accessibility", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="accessibility", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("accessibility", "0004_criteria_checklist"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

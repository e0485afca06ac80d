"""The seven services the programme names for its centres; staff may rename them or add more."""

from django.db import migrations

SERVICES = [
    ("集う", "誰もが気軽に集い、過ごせる"),
    ("訪ねる", "家庭を訪ねて見守り、声をかける"),
    ("泊まる", "泊まることができる"),
    ("働く", "働く場や役割がある"),
    ("預かる", "子どもなどを一時的に預かる"),
    ("送る", "送り迎えをする"),
    ("相談", "困りごとの相談を受ける"),
]


def load(apps, schema_editor):
    CentreService = apps.get_model("centres", "CentreService")
    for order, (name, description) in enumerate(SERVICES, start=1):
        CentreService.objects.get_or_create(name=name, defaults={"description": description, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

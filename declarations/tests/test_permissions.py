"""Who may see the queue, an application's private data and the export: moderators, superusers, nobody else."""

import json
import re

import pytest
from django.contrib.auth.models import Group

from declarations.models import ActivityArea, Status

from .factories import MODERATOR_GROUP, make_declaration, make_editor, make_moderator, make_superuser

pytestmark = pytest.mark.django_db

PRIVATE_VALUES = ["山田 花子", "hanako@kuroshio.example.jp", "088-823-9999", "高知市丸ノ内1-2-20", "780-0850"]


def urls(declaration):
    base = f"/admin/declarations/{declaration.pk}/"
    return {
        "queue": "/admin/declarations/",
        "results": "/admin/declarations/results/",
        "detail": base,
        "history": base + "history/",
        "approve": base + "approve/",
        "export": "/admin/declarations/?status=all&export=csv",
    }


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def menu_labels(response):
    """Every label in the admin's sidebar menu (rendered from JSON props by JavaScript)."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', body(response), re.S
    )
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return labels


def test_the_migration_made_the_moderator_group_with_admin_access_and_the_model_permissions():
    group = Group.objects.get(name=MODERATOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_declaration", "change_declaration", "change_activityarea"} <= codenames
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert not editors & {"view_declaration", "change_declaration", "add_declaration", "delete_declaration"}


@pytest.mark.parametrize("make_user", [make_moderator, make_superuser])
def test_moderators_and_superusers_see_everything(client, make_user):
    declaration = make_declaration()
    client.force_login(make_user())
    for name, url in urls(declaration).items():
        response = client.get(url)
        assert response.status_code == 200, name
    detail = body(client.get(urls(declaration)["detail"]))
    export = body(client.get(urls(declaration)["export"]))
    for value in PRIVATE_VALUES:
        assert value in detail
        assert value in export
    assert "推進宣言の審査" in menu_labels(client.get("/admin/"))


def test_an_editor_outside_the_group_gets_no_menu_item_no_queue_and_no_private_data(client):
    declaration = make_declaration()
    client.force_login(make_editor())

    home = client.get("/admin/")
    assert home.status_code == 200  # an editor may use the admin ...
    assert "推進宣言" not in menu_labels(home)  # ... but has no way into the queue
    assert "推進宣言の審査" not in menu_labels(home)
    assert "審査待ちの推進宣言" not in home.content.decode()
    for name, url in urls(declaration).items():
        response = client.get(url, follow=True)
        content = body(response)
        assert response.redirect_chain == [("/admin/", 302)], name
        assert "アクセス権がありません" in content
        for value in PRIVATE_VALUES:
            assert value not in content, (name, value)


def test_an_editor_cannot_approve_by_posting(client):
    declaration = make_declaration()
    client.force_login(make_editor())
    client.post(urls(declaration)["approve"], {"declared_on": "2026-11-03"})
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_a_user_with_view_permission_only_cannot_act(client):
    """Someone given read access (e.g. an auditor) sees the application but no action buttons or actions."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("kansa", password="pw-12345")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_declaration")
    )
    declaration = make_declaration()
    client.force_login(user)
    assert "承認する" not in client.get(urls(declaration)["detail"]).content.decode()
    client.post(urls(declaration)["approve"], {"declared_on": "2026-11-03"})
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    declaration = make_declaration()
    for name, url in urls(declaration).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/admin/login/"), name
    client.post(urls(declaration)["approve"], {"declared_on": "2026-11-03"})
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_moderators_edit_the_list_of_activity_areas_and_editors_cannot(client):
    client.force_login(make_moderator())
    listing = client.get("/admin/declaration-areas/")
    assert listing.status_code == 200
    assert "見守り・声かけ" in listing.content.decode()
    client.post("/admin/declaration-areas/new/", {"name": "防災・減災", "sort_order": "9"})
    assert ActivityArea.objects.filter(name="防災・減災").exists()

    client.force_login(make_editor())
    assert client.get("/admin/declaration-areas/").status_code == 302
    client.post("/admin/declaration-areas/new/", {"name": "勝手な分野", "sort_order": "10"})
    assert not ActivityArea.objects.filter(name="勝手な分野").exists()

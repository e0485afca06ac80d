"""The directory in the Wagtail admin: staff list, filter, edit and add centres and services."""

import re

import pytest

from pages.centres.models import Centre, CentreService

from .factories import make_centre, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, home, django_user_model):
    user = django_user_model.objects.create_superuser("centre-staff", "staff@example.jp", "pw-not-used")
    client.force_login(user)
    return client


def form_data(centre, **changes):
    data = {
        "key": centre.key,
        "name": centre.name,
        "kana": centre.kana,
        "municipality": centre.municipality,
        "address": centre.address,
        "phone": centre.phone,
        "opening_days": "",
        "opening_hours": "",
        "services": [str(s.pk) for s in centre.services.all()],
        "step_free": "",
        "wheelchair": "",
        "parking": "",
        "operator": "",
        "latitude": "",
        "longitude": "",
    }
    data.update(changes)
    return data


def test_staff_see_the_centres_and_filter_them_by_municipality(staff):
    make_centre("高知のセンター", municipality="高知市")
    make_centre("室戸のセンター", municipality="室戸市", is_sample=True)

    html = staff.get("/admin/centres/", {"municipality": "室戸市"}).content.decode()

    assert "室戸のセンター" in html
    assert "高知のセンター" not in html
    assert re.search(r"<td[^>]*>\s*見本\s*</td>", html)
    assert not re.search(r"<td[^>]*>\s*(True|False)\s*</td>", html)


def test_staff_edit_a_centre_and_the_public_page_changes(staff, client):
    centre = make_centre("旧い名前", key="edit-1", services=["集う"])

    response = staff.post(
        f"/admin/centres/edit/{centre.pk}/",
        form_data(centre, name="新しい名前", kana="アタラシイナマエ", services=[str(service("相談").pk)]),
    )

    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.name, centre.kana) == ("新しい名前", "あたらしいなまえ")
    assert [s.name for s in centre.services.all()] == ["相談"]
    assert "<h1>新しい名前</h1>" in client.get("/centres/edit-1/").content.decode()


def test_the_edit_form_refuses_control_characters_and_bad_ids_in_japanese(staff):
    centre = make_centre("正しい名前", key="edit-2")

    response = staff.post(f"/admin/centres/edit/{centre.pk}/", form_data(centre, name="名\x07前", key="日本語のID"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "制御文字" in html
    assert "センターIDは半角の英字・数字" in html
    centre.refresh_from_db()
    assert centre.name == "正しい名前"


def test_staff_add_a_service(staff):
    response = staff.post("/admin/centre-services/new/", {"name": "食べる", "description": "", "sort_order": "8"})

    assert response.status_code == 302
    assert CentreService.objects.filter(name="食べる").exists()
    assert Centre.objects.count() == 0


def test_the_editor_guide_explains_the_directory_and_lists_the_import_columns(staff):
    html = staff.get("/admin/guide/").content.decode()

    assert "10. あったかふれあいセンターの一覧を更新する" in html
    assert "*センターID / *センター名 / *よみ / *市町村 / *所在地 / 電話番号" in html
    assert "import_centres ファイル.csv --dry-run" in html

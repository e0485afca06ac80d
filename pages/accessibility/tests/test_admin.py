"""達成基準の確認結果 in the Wagtail admin: staff record a manual check; who and when are never typed."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command

from declarations.tests.factories import make_editor
from pages.accessibility.models import AccessibilityPolicyPage, CriterionCheck
from pages.tests.factories import make_home

pytestmark = pytest.mark.django_db

CHECKS = "/admin/accessibility-checks/"


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("kakunin", "kakunin@pref.example.jp", "pw-12345")
    client.force_login(user)
    return user


def form(**overrides):
    return {"criterion": "2.4.7", "result": "pass", "pages": "/\r\n/declarations/apply/", "notes": "", **overrides}


def test_the_form_speaks_japanese_and_asks_only_what_staff_decide(client, staff):
    html = client.get(CHECKS + "new/").content.decode()

    for label in ("達成基準", "結果", "確認したページ", "備考"):
        assert label in html
    assert "2.4.7 フォーカスの可視化（AA）" in html
    assert 'name="checked_by"' not in html and 'name="checked_on"' not in html


def test_saving_records_who_and_today(client, staff):
    response = client.post(CHECKS + "new/", form(notes="Tab キーで全ページを確認。"))

    assert response.status_code == 302
    check = CriterionCheck.objects.get()
    assert (check.criterion, check.result) == ("2.4.7", "pass")
    assert check.checked_by == staff
    assert check.checked_on == datetime.date.today()
    assert check.page_list == ["/", "/declarations/apply/"]


def test_who_and_when_cannot_be_forged_through_the_form(client, staff):
    other = get_user_model().objects.create_user("other")

    client.post(CHECKS + "new/", form(checked_by=other.pk, checked_on="2020-01-01"))

    check = CriterionCheck.objects.get()
    assert check.checked_by == staff and check.checked_on == datetime.date.today()


def test_editing_a_check_makes_the_editor_its_checker(client, staff):
    first = get_user_model().objects.create_user("first")
    check = CriterionCheck(criterion="1.1.1", result="fail", pages="/")
    check.record(by=first)
    CriterionCheck.objects.filter(pk=check.pk).update(checked_on=datetime.date(2026, 11, 1))

    client.post(f"{CHECKS}edit/{check.pk}/", form(criterion="1.1.1", result="pass"))

    check.refresh_from_db()
    assert check.result == "pass" and check.checked_by == staff and check.checked_on == datetime.date.today()


def test_a_page_that_is_not_an_address_is_refused_in_japanese_keeping_what_was_typed(client, staff):
    response = client.post(CHECKS + "new/", form(pages="トップページ", notes="メモ"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "ページのアドレスは「/」で始めて書きます" in html and "直す行：トップページ" in html
    assert "メモ" in html
    assert not CriterionCheck.objects.exists()


def test_control_characters_are_refused(client, staff):
    response = client.post(CHECKS + "new/", form(notes="確認\x1b[31m済み"))

    assert response.status_code == 200
    assert not CriterionCheck.objects.exists()


def test_a_missing_result_is_a_japanese_error(client, staff):
    response = client.post(CHECKS + "new/", form(result=""))

    assert "この項目は必須です" in response.content.decode()
    assert not CriterionCheck.objects.exists()


def test_the_listing_shows_criterion_result_day_and_checker(client, staff):
    check = CriterionCheck(criterion="3.3.1", result="fail", pages="/declarations/apply/")
    check.record(by=staff)

    html = client.get(CHECKS).content.decode()

    assert "3.3.1 エラーの特定（A）" in html and "不適合" in html and "kakunin" in html


def test_someone_without_permission_cannot_record(client):
    user = get_user_model().objects.create_user("reader", password="pw-12345")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.post(CHECKS + "new/", form())

    assert response.status_code in (302, 403)
    assert not CriterionCheck.objects.exists()


@pytest.fixture
def policy_page(db):
    make_home()
    call_command("load_accessibility_policy", stdout=io.StringIO())
    return AccessibilityPolicyPage.objects.get()


def test_the_dashboard_says_when_the_review_date_has_passed(client, staff, policy_page):
    assert "見直し予定日" not in client.get("/admin/").content.decode()

    policy_page.next_review_date = datetime.date.today() - datetime.timedelta(days=1)
    policy_page.save_revision().publish()

    html = client.get("/admin/").content.decode()
    assert "ウェブアクセシビリティ方針の見直し" in html and "を過ぎています" in html


def test_the_editor_guide_explains_how_to_record_a_check(client, staff):
    html = client.get("/admin/guide/").content.decode()

    assert "9. アクセシビリティの確認結果を記録する" in html
    assert f'href="{CHECKS}checklist/"' in html
    for step in ("確認を始める", "記録して次へ", "記録せずに次へ", "記録して終える", "該当なし"):
        assert step in html


def test_a_page_editor_records_a_check_but_cannot_delete_one(client):
    editor = make_editor()
    client.force_login(editor)

    assert client.post(CHECKS + "new/", form()).status_code == 302
    assert CriterionCheck.objects.get().checked_by == editor
    assert client.post(f"{CHECKS}delete/{CriterionCheck.objects.get().pk}/").status_code in (302, 403)
    assert CriterionCheck.objects.exists()


def test_the_policy_editor_holds_the_review_date_and_the_initiatives(client, staff, policy_page):
    html = client.get(f"/admin/pages/{policy_page.pk}/edit/").content.decode()

    for label in ("目標とする適合レベル", "次回の見直し予定日", "取組確認・評価表の年度", "実施状況"):
        assert label in html
    assert "ウェブアクセシビリティ方針（目標とする適合レベルと対象範囲）を策定し、公開する" in html

"""The checklist in the admin (アクセシビリティの確認): one screen per criterion a person checks, with what to
do and on which pages of the sample, recording the result (who and today, never typed) and moving on."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from declarations.tests.factories import make_editor
from pages.accessibility.conformance import manual_criteria
from pages.accessibility.models import CriterionCheck

# Database: which record is the latest of a day, and who recorded it, come back through the queryset.
pytestmark = [pytest.mark.django_db, pytest.mark.database]

CHECKLIST = "/admin/accessibility-checks/checklist/"
CRITERIA = manual_criteria("AA")


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser(
        "tenken", "tenken@pref.example.jp", "pw-12345", first_name="花子", last_name="点検"
    )
    client.force_login(user)
    return user


def step(number):
    return f"{CHECKLIST}{number}/"


def record(number, by, result="pass"):
    check = CriterionCheck(criterion=number, result=result, pages="/")
    check.record(by=by)
    return check


def test_the_checklist_lists_every_manual_criterion_and_starts_at_the_first(client, staff):
    html = client.get(CHECKLIST).content.decode()

    assert f"記録済み：0項目／{len(CRITERIA)}項目" in html
    for criterion in CRITERIA:
        assert f'<a href="{step(criterion.number)}">{criterion.number} {criterion.name}</a>' in html
    assert f'<a class="button" href="{step(CRITERIA[0].number)}">確認を始める</a>' in html


def test_the_checklist_continues_at_the_first_criterion_without_a_conclusion(client, staff):
    record(CRITERIA[0].number, staff)
    record(CRITERIA[1].number, staff, result="unverified")

    html = client.get(CHECKLIST).content.decode()

    assert "記録済み：1項目" in html
    assert f'<a class="button" href="{step(CRITERIA[1].number)}">続きから確認する</a>' in html
    assert "点検 花子" in html


def test_a_step_says_what_to_do_and_on_which_sample_pages(client, staff):
    criterion = next(c for c in CRITERIA if c.number == "3.3.1")

    html = client.get(step("3.3.1")).content.decode()

    assert f"{len(CRITERIA)}項目中{CRITERIA.index(criterion) + 1}項目め" in html
    assert criterion.manual in html
    assert "宣言の申請（入力の誤り）" in html and "行事の参加申込み（入力の誤り）" in html
    assert 'href="/declarations/apply/"' in html
    for label in ("適合", "不適合", "該当なし（対象のコンテンツがない）"):
        assert f"{label}</label>" in html
    assert "未確認（確認できなかった）" not in html  # a walk concludes, or skips


def test_recording_stores_who_and_today_and_moves_to_the_next_criterion(client, staff):
    first, second = CRITERIA[0], CRITERIA[1]

    response = client.post(step(first.number), {"result": "na", "pages": "/\r\n/symbol-mark/", "notes": "画像なし"})

    assert response.status_code == 302 and response.url == step(second.number)
    check = CriterionCheck.objects.get()
    assert (check.criterion, check.result, check.checked_by) == (first.number, "na", staff)
    assert check.checked_on == datetime.date.today()
    assert check.page_list == ["/", "/symbol-mark/"]


def test_the_last_criterion_ends_on_the_checklist(client, staff):
    last = CRITERIA[-1]

    html = client.get(step(last.number)).content.decode()
    assert "記録して終える" in html and "記録して次へ" not in html

    response = client.post(step(last.number), {"result": "pass", "pages": "/", "notes": ""}, follow=True)

    assert response.redirect_chain[-1][0] == CHECKLIST
    assert "チェックリストの最後の項目です。" in response.content.decode()


def test_the_previous_record_is_shown_on_the_step(client, staff):
    record("2.4.7", staff, result="fail")

    html = client.get(step("2.4.7")).content.decode()

    assert "不適合（" in html and "点検 花子" in html


def test_a_wrong_page_address_is_refused_in_japanese_and_nothing_is_recorded(client, staff):
    response = client.post(step(CRITERIA[0].number), {"result": "pass", "pages": "トップページ", "notes": "メモ"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "ページのアドレスは「/」で始めて書きます" in html and "メモ" in html
    assert not CriterionCheck.objects.exists()


def test_a_result_outside_the_three_conclusions_is_refused(client, staff):
    response = client.post(step(CRITERIA[0].number), {"result": "unverified", "pages": "/", "notes": ""})

    assert response.status_code == 200
    assert not CriterionCheck.objects.exists()


def test_a_criterion_without_manual_steps_has_no_step(client, staff):
    assert client.get(step("3.1.1")).status_code == 404  # automated only
    assert client.get(step("1.2.1")).status_code == 404  # not applicable
    assert client.get(step("9.9.9")).status_code == 404


def test_page_editors_walk_the_checklist_too(client):
    editor = make_editor()
    client.force_login(editor)

    assert client.get(CHECKLIST).status_code == 200
    assert client.post(step(CRITERIA[0].number), {"result": "pass", "pages": "/", "notes": ""}).status_code == 302
    assert CriterionCheck.objects.get().checked_by == editor


def test_someone_without_permission_cannot_record_through_the_checklist(client):
    user = get_user_model().objects.create_user("reader", password="pw-12345")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    assert client.get(CHECKLIST).status_code in (302, 403)
    response = client.post(step(CRITERIA[0].number), {"result": "pass", "pages": "/", "notes": ""})
    assert response.status_code in (302, 403)
    assert not CriterionCheck.objects.exists()


def test_the_records_list_links_to_the_checklist(client, staff):
    html = client.get("/admin/accessibility-checks/").content.decode()

    assert "チェックリストで確認する" in html and f'href="{CHECKLIST}"' in html

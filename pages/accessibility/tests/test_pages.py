import datetime
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape

from pages.accessibility import conformance, results
from pages.accessibility.models import AccessibilityPolicyPage, CriterionCheck
from pages.tests.factories import make_home
from tests.accessibility.scenarios import SCENARIOS

ROW = {
    "key": "register",
    "name": "宣言企業・団体一覧",
    "path": "/declarations/",
    "axe_violations": 2,
    "axe_rules": ["color-contrast"],
    "reflow_320": True,
    "text_200": False,
    "passed": False,
}


@pytest.fixture
def policy_page(db):
    make_home()
    call_command("load_accessibility_policy", stdout=io.StringIO())
    return AccessibilityPolicyPage.objects.get()


@pytest.fixture
def results_file(tmp_path, monkeypatch):
    path = tmp_path / "accessibility-results.json"
    monkeypatch.setattr(results, "RESULTS_PATH", path)
    return path


def write_results(path, rows):
    data = {
        "checked_at": "2026-11-26T16:00:00+09:00",
        "tool": "axe-core 4.12.1",
        "browser": "Chromium 142.0",
        "rules": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
        "axe_rules_checked": sorted({rule for c in conformance.load_criteria() for rule in c.axe_rules}),
        "passed": sum(row["passed"] for row in rows),
        "pages": rows,
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_policy_page_states_target_scope_and_date(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert "<h1>ウェブアクセシビリティ方針</h1>" in html
    assert "<dd>JIS X 8341-3:2016 適合レベルAA</dd>" in html
    assert "対象範囲" in html and "宣言の申請フォーム" in html
    assert "令和8年11月26日" in html  # 方針の策定日, in the site's era style
    assert '<dt>次回の見直し予定日</dt><dd><time datetime="2027-11-26">令和9年11月26日</time>' in html


def test_policy_page_shows_each_page_checked_with_its_result(client, policy_page, results_file):
    passing = {**ROW, "key": "home", "name": "トップページ", "path": "/", "axe_violations": 0, "axe_rules": []}
    passing.update(text_200=True, passed=True)
    write_results(results_file, [passing, ROW])

    html = client.get("/accessibility/").content.decode()

    assert '試験日：<time datetime="2026-11-26">令和8年11月26日</time>' in html
    assert "2ページ中、すべての自動試験に合格したページは1ページです。" in html
    assert '<th scope="row">宣言企業・団体一覧</th>' in html
    assert "欠け・はみ出しあり" in html and "不合格" in html
    assert '<th scope="row">トップページ</th>' in html and "合格" in html


def test_policy_page_without_results_says_so(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert "自動試験の結果はまだありません。" in html


def passing_row(scenario):
    return {
        **ROW,
        "key": scenario.key,
        "name": scenario.name,
        "path": scenario.path,
        "axe_violations": 0,
        "axe_rules": [],
        "axe_incomplete": [],
        "text_200": True,
        "passed": True,
    }


def record(number, result, user=None, pages="/accessibility/", notes=""):
    check = CriterionCheck(criterion=number, result=result, pages=pages, notes=notes)
    check.record(by=user)
    return check


def label(html):
    return re.search(r"適合レベルAAに<strong>「(.+?)」</strong>", html).group(1)


def criterion_row(html, number):
    return re.search(rf'<tr id="criterion-{re.escape(number)}">(.*?)</tr>', html, re.S).group(1)


def test_the_checklist_lists_all_38_criteria_with_level_applicability_and_result(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert html.count('<tr id="criterion-') == 38
    assert "達成基準チェックリスト（38項目）" in html
    row = criterion_row(html, "1.2.2")
    assert "キャプション（収録済み）" in row and ">非適用</td>" in row and "映像" in row
    row = criterion_row(html, "1.4.3")
    assert "コントラスト（最低限レベル）" in row and ">AA</td>" in row and "color-contrast" in row


def test_with_no_manual_check_recorded_the_page_honestly_says_considered(client, policy_page, results_file):
    write_results(results_file, [passing_row(scenario) for scenario in SCENARIOS])

    html = client.get("/accessibility/").content.decode()

    assert label(html) == "配慮"
    assert "<dd>配慮（達成基準チェックリストの結果から決まります）</dd>" in html
    assert "<strong>未確認</strong>" in criterion_row(html, "2.4.7")
    # Automated evidence alone decides 3.1.1 (the page's language).
    assert "<strong>適合</strong>" in criterion_row(html, "3.1.1")


def test_flipping_one_manual_result_changes_the_label(client, policy_page, results_file):
    write_results(results_file, [passing_row(scenario) for scenario in SCENARIOS])
    for c in conformance.load_criteria():
        if c.applicable and c.manual:
            record(c.number, "pass")
    assert label(client.get("/accessibility/").content.decode()) == "準拠"

    record("2.4.7", "fail", notes="検索ボタンのフォーカスが見えにくい。")
    html = client.get("/accessibility/").content.decode()

    assert label(html) == "一部準拠"
    row = criterion_row(html, "2.4.7")
    assert "人による確認：不適合" in row and "<strong>不適合</strong>" in row and "検索ボタンのフォーカス" in row


def test_a_failing_automated_check_is_not_hidden_by_passing_manual_checks(client, policy_page, results_file):
    failing = {**passing_row(SCENARIOS[0]), "axe_rules": ["color-contrast"], "axe_violations": 1, "passed": False}
    write_results(results_file, [failing] + [passing_row(scenario) for scenario in SCENARIOS[1:]])
    for c in conformance.load_criteria():
        if c.applicable and c.manual:
            record(c.number, "pass")

    html = client.get("/accessibility/").content.decode()

    assert label(html) == "一部準拠"
    assert "自動試験（axe-core の規則：color-contrast）：不適合" in criterion_row(html, "1.4.3")


def test_a_manual_check_shows_the_day_and_staff_role_never_the_name(client, policy_page, results_file):
    user = get_user_model().objects.create_user(
        "yamada-taro", "taro@pref.example.jp", first_name="太郎", last_name="山田"
    )
    record("2.4.6", "pass", user=user, pages="/\n/declarations/apply/", notes="見出しとラベルを確認。")
    today = datetime.date.today()

    html = client.get("/accessibility/").content.decode()

    row = criterion_row(html, "2.4.6")
    assert f'人による確認：適合（<time datetime="{today:%Y-%m-%d}">' in row and "、県職員）" in row
    assert "確認したページ：/、/declarations/apply/" in row
    assert "山田" not in html and "yamada" not in html and "taro@" not in html


def test_the_latest_manual_check_of_a_criterion_counts(policy_page):
    record("2.4.7", "fail")
    record("2.4.7", "pass")

    assert CriterionCheck.objects.latest_by_criterion()["2.4.7"].result == "pass"


def test_the_sample_and_how_it_was_chosen_are_stated(client, policy_page, results_file):
    write_results(results_file, [passing_row(scenario) for scenario in SCENARIOS])

    html = client.get("/accessibility/").content.decode()

    assert "附属書JB の「ウェブページ一式を代表するウェブページを選択する」方法" in html
    assert f"合わせて{len(SCENARIOS)}ページとしました" in html
    for scenario in SCENARIOS:
        assert f"<td>{escape(scenario.path)}</td>" in html


def test_the_yearly_initiatives_table_is_shown(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert "取組確認・評価表（令和8年度）" in html
    assert "ウェブアクセシビリティ方針（目標とする適合レベルと対象範囲）を策定し、公開する" in html
    assert "<td>未実施</td>" in html and "<td>実施</td>" in html


def test_loading_the_policy_twice_changes_nothing(policy_page):
    call_command("load_accessibility_policy", stdout=io.StringIO())

    assert AccessibilityPolicyPage.objects.count() == 1
    assert AccessibilityPolicyPage.objects.get().initiatives.count() == policy_page.initiatives.count() > 0
    assert not CriterionCheck.objects.exists()  # no manual result is made up


def test_committed_results_cover_every_checked_page_and_all_pass():
    """docs/accessibility-results.json is what the live policy page shows: it must be current."""
    published = results.load_results()

    assert published is not None, "run `make accessibility-report` and commit docs/accessibility-results.json"
    assert [row["key"] for row in published["pages"]] == [scenario.key for scenario in SCENARIOS]
    assert all(row["passed"] for row in published["pages"])
    assert all("axe_incomplete" in row for row in published["pages"]) and published["axe_rules_checked"]

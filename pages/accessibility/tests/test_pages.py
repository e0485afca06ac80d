import io
import json

import pytest
from django.core.management import call_command

from pages.accessibility import results
from pages.accessibility.models import AccessibilityPolicyPage
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
        "passed": sum(row["passed"] for row in rows),
        "pages": rows,
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_policy_page_states_target_scope_and_date(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert "<h1>ウェブアクセシビリティ方針</h1>" in html
    assert "JIS X 8341-3:2016 適合レベルAA 準拠" in html
    assert "対象範囲" in html and "宣言の申請フォーム" in html
    assert "令和8年11月26日" in html  # 方針の策定日, in the site's era style


def test_policy_page_shows_each_page_checked_with_its_result(client, policy_page, results_file):
    passing = {**ROW, "key": "home", "name": "トップページ", "path": "/", "axe_violations": 0, "axe_rules": []}
    passing.update(text_200=True, passed=True)
    write_results(results_file, [passing, ROW])

    html = client.get("/accessibility/").content.decode()

    assert '試験日：<time datetime="2026-11-26">令和8年11月26日</time>' in html
    assert "2ページ中、すべての試験に合格したページは1ページです。" in html
    assert '<th scope="row">宣言企業・団体一覧</th>' in html
    assert "欠け・はみ出しあり" in html and "不合格" in html
    assert '<th scope="row">トップページ</th>' in html and "合格" in html


def test_policy_page_without_results_says_so(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert "自動試験の結果はまだありません。" in html


def test_policy_page_lists_manual_checks(client, policy_page, results_file):
    html = client.get("/accessibility/").content.decode()

    assert "人による確認の結果" in html
    assert "キーボードだけで" in html
    assert policy_page.manual_checks.count() == html.count("<td>問題なし")


def test_loading_the_policy_twice_changes_nothing(policy_page):
    call_command("load_accessibility_policy", stdout=io.StringIO())

    assert AccessibilityPolicyPage.objects.count() == 1
    assert AccessibilityPolicyPage.objects.get().manual_checks.count() == policy_page.manual_checks.count()


def test_committed_results_cover_every_checked_page_and_all_pass():
    """docs/accessibility-results.json is what the live policy page shows: it must be current."""
    published = results.load_results()

    assert published is not None, "run `make accessibility-report` and commit docs/accessibility-results.json"
    assert [row["key"] for row in published["pages"]] == [scenario.key for scenario in SCENARIOS]
    assert all(row["passed"] for row in published["pages"])

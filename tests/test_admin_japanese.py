"""Prefectural staff get a Japanese admin: the project catalogue fills what Wagtail's own ja lacks."""

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pages.tests.factories import make_document, make_home, make_image

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def visible_text(response):
    """What a sighted person reads: the page's text without scripts, styles and hidden templates."""
    soup = BeautifulSoup(page_text(response), "html.parser")
    for hidden in soup(["script", "style", "template", "svg"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.fixture
def staff_client(client, db):
    """A member of Wagtail's default editors group: staff who edit pages but are not superusers."""
    user = get_user_model().objects.create_user("henshu", "henshu@example.jp", "pass-for-tests-only")
    user.groups.add(Group.objects.get(name__in=["Editors", "編集者"]))
    client.force_login(user)
    return client


@pytest.fixture
def content(db):
    home = make_home()
    make_image()
    make_document()
    return home


def test_dashboard_summary_and_search_are_japanese(admin_client, content):
    html = page_text(admin_client.get("/admin/"))
    assert "ページ 1 件" in html
    assert "画像 1 件" in html
    assert "ドキュメント 1 件" in html
    assert "created in" not in html
    assert 'placeholder="すべてのページを検索…"' in html
    assert "Search all pages" not in html
    # The sidebar menu is rendered by JavaScript from JSON, so its labels arrive escaped.
    assert '"label": "\\u30d8\\u30eb\\u30d7"' in html  # ヘルプ
    assert '"label": "Help"' not in html


def test_page_explorer_is_japanese(admin_client, content):
    html = page_text(admin_client.get(f"/admin/pages/{content.id}/"))
    assert "フィルターを表示" in html
    assert "Show filters" not in html
    assert "選択したページを非公開に設定" in html
    assert "Unpublish selected pages" not in html


def test_image_listing_is_japanese(admin_client, content):
    html = page_text(admin_client.get("/admin/images/"))
    assert "グリッド表示" in html
    assert "Grid layout" not in html
    assert "選択した画像にタグを追加" in html
    assert "Add tags to the selected images" not in html


def test_document_listing_is_japanese(admin_client, content):
    html = page_text(admin_client.get("/admin/documents/"))
    assert "選択したドキュメントを削除" in html
    assert "Delete selected documents" not in html
    assert "行を選択" in html
    assert "Select row" not in html


def test_page_editor_side_panels_are_japanese(admin_client, content):
    html = page_text(admin_client.get(f"/admin/pages/{content.id}/edit/"))
    assert "サイドパネルの切り替え" in html
    assert "Toggle side panel" not in html
    assert "コンテンツ指標" in html
    assert "Content metrics" not in html
    assert "メタディスクリプション" in html
    assert "meta description" not in html.lower()


def test_admin_javascript_catalogue_carries_the_project_strings(admin_client, db):
    js = page_text(admin_client.get("/admin/jsi18n/"))
    # The block picker of StreamField fields, rendered by JavaScript.
    assert "Insert a block" in js
    assert "\\u30d6\\u30ed\\u30c3\\u30af\\u3092\\u633f\\u5165" in js or "ブロックを挿入" in js


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_committed_mo_matches_its_po(domain, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed, so the .mo cannot be rebuilt to compare")
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(
        [msgfmt, "--check", "-o", str(compiled), str(LOCALE_DIR / f"{domain}.po")],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == (LOCALE_DIR / f"{domain}.mo").read_bytes(), (
        f"locale/ja/LC_MESSAGES/{domain}.mo is stale: recompile it with msgfmt"
    )


def test_page_search_counts_results_in_japanese(admin_client, content):
    html = page_text(admin_client.get("/admin/pages/search/", {"q": content.title}))
    # Wagtail passes no model_name here, so a translation naming it would print "None".
    assert "1 件中 1～1 件" in html


# Issue 9, item 11: what staff still saw in English or odd Japanese.


def test_the_explorer_root_is_called_ルート(admin_client, content):
    text = visible_text(admin_client.get("/admin/pages/"))
    assert "閲覧中: ルート" in text
    assert "Root" not in text
    assert "ルート" in visible_text(admin_client.get(f"/admin/pages/{content.id}/"))


def test_the_sites_listing_names_its_columns_in_japanese(admin_client, content):
    response = admin_client.get("/admin/sites/")
    text = visible_text(response)
    for japanese in ("ポート番号", "サイト名", "ルートページ"):
        assert japanese in text
    for english in ("Port", "Site name", "Root page"):
        assert english not in text
    assert "「Port」" not in response.content.decode()  # the sort link's tooltip


def test_the_users_listing_reads_yes_instead_of_true(admin_client, content):
    text = visible_text(admin_client.get("/admin/users/"))
    assert "True" not in text
    assert "はい" in text  # the 有効 column, read out by screen readers


def test_aging_pages_names_no_publisher_as_the_system_not_none(admin_client, content):
    # make_home publishes without a user, as load_initial_content does.
    text = visible_text(admin_client.get("/admin/reports/aging-pages/"))
    assert "None" not in text
    assert "システム（自動処理）" in text


def test_header_actions_have_a_japanese_accessible_name(admin_client, content):
    html = page_text(admin_client.get("/admin/documents/"))
    assert 'aria-label="Actions"' not in html
    assert 'aria-label="操作"' in html


def test_usage_is_called_使用箇所(admin_client, content):
    document = make_document(title="使用箇所の確認")
    for url in (f"/admin/documents/edit/{document.pk}/", f"/admin/documents/usage/{document.pk}/"):
        text = visible_text(admin_client.get(url))
        assert "使用箇所" in text
        assert "使用法" not in text


def test_a_long_history_counts_its_entries_with_件(admin_client, content):
    for _ in range(21):  # more than one page of history (20 a page), so the count is shown
        content.save_revision(log_action=True)
    text = visible_text(admin_client.get(f"/admin/pages/{content.id}/history/"))
    assert "件の操作履歴" in text
    assert "ログエントリー" not in text and "モデルのログ" not in text


def test_a_change_made_just_now_says_たった今(admin_client, content):
    content.save_revision(log_action=True)
    text = visible_text(admin_client.get(f"/admin/pages/{content.get_parent().id}/"))
    assert "たった今" in text
    assert "0分前" not in text


# The editor guide (編集の手引き) at /admin/guide/.


def test_the_help_menu_and_dashboard_open_the_site_guide(staff_client, content):
    html = page_text(staff_client.get("/admin/"))
    assert "guide.wagtail.org" not in html
    assert '"url": "/admin/guide/"' in html  # the ヘルプ menu, rendered by JavaScript from JSON
    assert 'href="/admin/guide/"' in html  # the dashboard's account summary
    assert "Wagtail 8.0.1 編集者ガイド" not in visible_text(staff_client.get("/admin/"))


def test_the_guide_renders_for_staff(staff_client, content):
    text = visible_text(staff_client.get("/admin/guide/"))
    for heading in (
        "編集の手引き",
        "ページの種類と編集のしかた",
        "パンフレットを載せる",
        "行事を追加する",
        "公開日時を予約する",
        "自動保存について",
        "推進宣言の申請を審査する",
        "ダッシュボードで、待っていることを確かめる",
    ):
        assert heading in text
    for action in ("承認する", "修正を依頼する", "却下する", "掲載を取り下げる"):
        assert f"「{action}」" in text


def test_the_guide_is_not_shown_to_anonymous_visitors(client, content):
    response = client.get("/admin/guide/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

"""Prefectural staff get a Japanese admin: the project catalogue fills what Wagtail's own ja lacks."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from pages.tests.factories import make_document, make_home, make_image

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


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

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
    assert "検索結果に出す説明文" in html
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


# Issue 23, item 4: the login page in Japanese with the site's name and mark.


def test_the_login_page_names_the_site_in_japanese(client, db):
    response = client.get("/admin/login/")
    soup = BeautifulSoup(page_text(response), "html.parser")
    assert soup.title.get_text() == "ログイン - 高知家地域共生社会 管理画面"
    assert " ".join(soup.h1.get_text().split()) == "高知家地域共生社会 管理画面にログイン"
    labels = [" ".join(label.get_text().split()) for label in soup.select("form.login-form label.w-field__label")]
    assert labels == ["ユーザー名*", "パスワード*"]
    assert soup.select_one("form.login-form button[type=submit]").get_text(strip=True) == "ログイン"
    assert soup.select_one(".login-logo img")["src"].endswith("img/symbol-mark.svg")
    assert soup.select_one("link[rel=icon]")["href"].endswith("img/favicon.svg")
    text = visible_text(response)
    for english_or_odd in ("Wagtail", "Password", "サインイン"):
        assert english_or_odd not in text
    assert "管理者にパスワードの再設定を依頼してください" in text


def test_a_wrong_password_is_told_plainly_with_the_lockout_it_leads_to(client, db, settings):
    get_user_model().objects.create_user("henshu", "henshu@example.jp", "pass-for-tests-only")
    response = client.post("/admin/login/", {"username": "henshu", "password": "wrong"})
    text = visible_text(response)
    assert "ユーザー名かパスワードが違います。もう一度入力してください（大文字と小文字は区別されます）。" in text
    minutes = settings.AXES_COOLOFF_TIME * 60
    assert f"続けて{settings.AXES_FAILURE_LIMIT}回間違えると" in text and f"{minutes}分間" in text
    assert "ためしてください" not in text and "試してください" not in text


def test_every_admin_page_carries_the_sites_name_and_mark(admin_client, content):
    html = page_text(admin_client.get("/admin/"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text().endswith(" - 高知家地域共生社会 管理画面")
    # The sidebar is drawn by JavaScript from this template (Wagtail's branding_logo block).
    branding = soup.select_one("template[data-wagtail-sidebar-branding-logo]")
    assert "img/symbol-mark.svg" in str(branding)
    response = admin_client.get("/admin/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "img/symbol-mark.svg" in text and "Wagtail管理画面" not in text and "管理画面のトップへ" in text


def test_the_editor_bar_on_public_pages_shows_the_sites_mark_in_japanese(staff_client, content):
    html = page_text(staff_client.get(content.url))
    # The bar is a <template> whose inline icon sprite trips html.parser: read its button alone.
    start = html.index('id="wagtail-userbar-trigger"')
    trigger = BeautifulSoup("<button " + html[start : html.index("</button>", start)], "html.parser")
    assert trigger.select_one("img")["src"].endswith("img/symbol-mark.svg")
    assert " ".join(trigger.get_text().split()) == "編集メニューを開く"


def test_the_login_page_says_what_to_do_without_javascript_without_naming_wagtail(client, db):
    html = page_text(client.get("/admin/login/"))
    noscript = BeautifulSoup(html, "html.parser").find("noscript").get_text()
    assert "管理画面を使うには JavaScript が必要です" in noscript


# Issue 23, item 5: the words an editor uses.


def test_the_page_editor_speaks_plain_japanese(admin_client, content):
    text = visible_text(admin_client.get(f"/admin/pages/{content.id}/edit/"))
    jargon = ["一般公開のもとで表示したいページタイトル", "プロモート", "メタディスクリプション", "タイトルタグ"]
    for word in jargon:
        assert word not in text
    plain = [
        "ページの見出しになる題名です",
        "検索結果に出す題名",
        "検索結果に出す説明文",
        "空欄のときはリード文を使います",
    ]
    for words in plain:
        assert words in text
    html = page_text(admin_client.get(f"/admin/pages/{content.id}/edit/"))
    assert "検索・メニュー" in html  # the tab


def test_saving_a_schedule_says_it_saves_a_draft(admin_client, content):
    # The schedule dialog's HTML (shown when the editor opens it).
    html = page_text(admin_client.get(f"/admin/pages/{content.id}/edit/"))
    assert "スケジュールを保存" not in html
    assert "日時を下書きに保存" in html
    assert (
        "ここで保存するのは下書きです。予約を有効にするには、保存のあと画面下の「公開を予約」を押してください" in html
    )


def test_the_article_category_help_names_the_menu_editors_see(admin_client, content):
    from pages.news.models import ArticlePage

    help_text = ArticlePage._meta.get_field("category").help_text
    assert "スニペット" not in help_text
    assert "「記事の設定」→「記事の分類」" in help_text
    menu = page_text(admin_client.get("/admin/"))
    assert '"label": "\\u8a18\\u4e8b\\u306e\\u8a2d\\u5b9a"' in menu  # 記事の設定, as the menu's JSON carries it


def header_button_labels(response):
    """The labels of the buttons shown beside the list's title, not those inside its 「…」 menu."""
    soup = BeautifulSoup(page_text(response), "html.parser")
    header = soup.select_one("#w-slim-header-buttons")
    shown = [link for link in header.select("a.w-header-button")]
    return [" ".join(link.get_text().split()) for link in shown]


def test_the_application_lists_show_their_exports_with_one_wording(admin_client, content):
    declarations = header_button_labels(admin_client.get("/admin/declarations/"))
    assert declarations[:2] == ["Excel（XLSX）で書き出す", "CSVで書き出す"]
    assert "掲載中の名簿をCSVで書き出す" in declarations
    events = header_button_labels(admin_client.get("/admin/event-applications/"))
    assert events == ["Excel（XLSX）で書き出す", "CSVで書き出す"]
    for url in ("/admin/declarations/", "/admin/event-applications/", "/admin/feedback/"):
        text = visible_text(admin_client.get(url))
        assert "XLSXファイルをダウンロード" not in text and "CSVをダウンロードする" not in text
        assert text.count("CSVで書き出す") == 1 + (url == "/admin/declarations/")

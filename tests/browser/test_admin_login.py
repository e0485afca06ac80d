"""The admin's login page in Chromium (issue 23, item 4): Japanese, with the site's name and mark, a plain
message for a wrong password, and the way in for the right one; the lockout page stays the project's."""

import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .staff import PASSWORD

pytestmark = pytest.mark.browser

# For a person to look at; not compared with anything.
SCREENSHOTS = Path(tempfile.gettempdir()) / "kochi-kyosei-screenshots"
SCREENSHOTS.mkdir(exist_ok=True)


def test_the_login_page_is_the_sites_and_japanese(page, site_url, axe):
    editor = get_user_model().objects.create_user("henshu-login", "henshu-login@example.jp", PASSWORD)
    editor.groups.add(Group.objects.get(name="編集者"))  # editors sign in without the second factor
    page.goto(site_url + "/admin/login/")
    assert page.title() == "ログイン - 高知家地域共生社会 管理画面"
    assert page.get_by_role("heading", level=1).inner_text() == "高知家地域共生社会 管理画面にログイン"
    mark = page.locator(".login-logo img")
    assert mark.get_attribute("src").endswith("img/symbol-mark.svg")
    assert mark.evaluate("image => image.complete && image.naturalWidth > 0")  # the file is served
    assert "高知家地域共生社会" in page.locator(".login-logo").inner_text()
    assert "Wagtail" not in page.locator("body").inner_text()
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / "admin-login.png"), full_page=True)

    page.get_by_label("ユーザー名").fill("henshu-login")
    page.get_by_label("パスワード").fill("not-the-password")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    message = page.locator(".messages").inner_text()
    assert "ユーザー名かパスワードが違います。もう一度入力してください" in message
    assert "回間違えると" in message
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / "admin-login-wrong-password.png"), full_page=True)

    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(site_url + "/admin/")
    assert page.title().endswith(" - 高知家地域共生社会 管理画面")
    assert page.locator("#wagtail-sidebar img[src$='img/symbol-mark.svg']").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "admin-dashboard.png"))

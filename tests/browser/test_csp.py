"""The Content-Security-Policy in a real Chromium: public pages and the admin's editor, chooser and
preview work with the policy on, and the browser reports no violation anywhere."""

import pytest
from django.contrib.auth.models import User
from wagtail.models import Page

from tests.browser.staff import log_in_to_admin

pytestmark = pytest.mark.browser

# Every violation the page sees, collected in the page itself (the listener is injected by the test
# tool, which the page's policy does not govern).
COLLECT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + (event.sourceFile || ''));
});
"""


def watch(page):
    page.add_init_script(COLLECT)
    console = []
    page.on("console", lambda message: console.append(message.text))
    return console


def violations(page, console):
    found = [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__cspViolations || []")
        except Exception:  # a frame that went away while we looked
            pass
    return found


def test_public_pages_run_under_the_strict_policy_without_violations(page, site_url):
    console = watch(page)
    for path in ["/", "/declaration/", "/events/", "/declarations/", "/declarations/apply/", "/search/?q=共生"]:
        response = page.goto(site_url + path)
        assert "default-src 'none'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        assert violations(page, console) == [], path
    # The register's chart is drawn without inline styles: its bars still have their widths.
    page.goto(site_url + "/declarations/")
    widths = page.locator(".bar-chart__bar").evaluate_all("bars => bars.map(bar => bar.getBBox().width)")
    assert max(widths) == 100 and min(widths) >= 0


def test_the_admin_editor_chooser_and_preview_work_under_the_admin_policy(page, site_url):
    User.objects.filter(username="csp-admin").delete()
    user = User.objects.create_superuser("csp-admin", password="pw-12345")
    console = watch(page)
    log_in_to_admin(page, site_url, user)

    home = Page.objects.get(depth=2, url_path="/home/")
    page.goto(f"{site_url}/admin/pages/{home.pk}/edit/")
    # The rich-text editor (Draftail) is up and takes typing.
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.wait_for()
    editor.click()
    page.keyboard.type("確認")

    # A chooser: the editor's link shortcut opens the page chooser in its modal.
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    page.locator(".modal-content").wait_for()
    page.locator(".modal-content a, .modal-content button").first.wait_for()
    page.locator(".modal button.close").first.click()
    page.locator(".modal-dialog").wait_for(state="detached")

    # The live preview renders the page inside its frame.
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("iframe[title]").first
    frame.locator("main").wait_for()

    assert violations(page, console) == []

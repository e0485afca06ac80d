"""Every page type and state is valid HTML: the W3C Nu checker (vnu.jar from npm `vnu-jar`, run with
the system Java) reports no error on the HTML the server sent for it.

The pages are reached the way a browser reaches them (filters submitted, the form filled in and sent,
a correction link opened), and the HTML is the document response itself, not the browser's DOM.
`make test` installs vnu.jar (`npm ci`); all pages go to one java call, which takes a few seconds.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.accessibility import scenarios
from tests.accessibility.scenarios import SCENARIOS_BY_KEY, feedback_errors, feedback_thanks

pytestmark = pytest.mark.browser

VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# A fictional applicant (product rule: fictional companies only).
APPLICANT = {
    "name": "株式会社検証見本商店",
    "name_kana": "かぶしきがいしゃけんしょうみほんしょうてん",
    "representative_title": "代表取締役",
    "representative_name": "見本一郎",
    "content": "店先での声かけと見守りを続けます。",
    "postal_code": "780-8570",
    "address": "高知市丸ノ内1丁目2番20号",
    "contact_department": "総務部",
    "contact_name": "見本次郎",
    "phone": "088-823-0000",
    "email": "jiro@example.jp",
    "email_confirm": "jiro@example.jp",
}


def goto(path):
    def open_page(page, base_url):
        page.goto(base_url + path)

    return open_page


def first_event(page, base_url):
    page.goto(base_url + "/events/")
    page.locator("main .event-summary a").first.click()


def register_filtered(page, base_url):
    page.goto(base_url + "/declarations/")
    page.get_by_label("所在市町村").select_option(label="高知市")
    page.get_by_role("button", name="この条件で表示する").click()


def news_filtered(page, base_url):
    page.goto(base_url + "/news/")
    page.get_by_label("分類").select_option(label="取組紹介")
    page.get_by_role("button", name="この条件で表示する").click()


def series_article(page, base_url):
    page.goto(base_url + "/news/")
    page.get_by_role("link", name="（見本）見守りのネットワークづくり（前編）").click()


def first_declaration(page, base_url):
    page.goto(base_url + "/declarations/")
    page.locator("main table tbody a").first.click()


def apply_with_errors(page, base_url):
    page.goto(base_url + "/declarations/apply/")
    page.get_by_role("button", name="確認画面へ進む").click()


def apply_confirm(page, base_url):
    page.goto(base_url + "/declarations/apply/")
    form = page.locator("main form")
    for name, value in APPLICANT.items():
        form.locator(f"[name='{name}']").fill(value)
    for name in ["organisation_type", "industry", "municipality"]:
        form.locator(f"select[name='{name}']").select_option(index=1)
    form.locator("input[name='areas']").first.check()
    for name in ["agree_privacy", "agree_publication", "pledge_not_antisocial"]:
        form.locator(f"input[name='{name}']").check()
    page.get_by_role("button", name="確認画面へ進む").click()


def apply_complete(page, base_url):
    apply_confirm(page, base_url)
    page.get_by_role("button", name="この内容で申請する").click()


def correction(page, base_url):
    from declarations.models import Declaration

    apply_complete(page, base_url)
    number = re.search(r"：\s*(\S+)", page.locator("main .reference-number").inner_text()).group(1)
    declaration = Declaration.objects.get(reference_number=number)
    token = declaration.request_changes(by=None, message="宣言内容をもう少し具体的に書いてください。")
    page.goto(f"{base_url}/declarations/correction/{token}/")


OWNER_SCENARIOS = ["owner", "owner-change", "owner-change-errors", "owner-withdraw", "owner-withdraw-errors"]

# (file name, how to reach the page): every page type and state a visitor can see.
PAGES = [
    ("home", goto("/")),
    ("declaration", goto("/declaration/")),
    ("symbol-mark", goto("/symbol-mark/")),
    ("training", goto("/training/")),
    ("grants", goto("/grants/")),
    ("surveys", goto("/surveys/")),
    ("pamphlets", goto("/pamphlets/")),
    ("events", goto("/events/")),
    ("event", first_event),
    ("accessibility", goto("/accessibility/")),
    ("privacy", goto("/privacy/")),
    ("site-policy", goto("/site-policy/")),
    ("news", goto("/news/")),
    ("news-filtered", news_filtered),
    ("news-bad-filter", goto("/news/?year=abc&page=99&tag=存在しないタグ")),
    ("article", series_article),
    ("register", goto("/declarations/")),
    ("register-page-2", goto("/declarations/?page=2")),
    ("register-filtered", register_filtered),
    ("register-empty", goto("/declarations/?q=該当する団体のない検索語")),
    ("declaration-detail", first_declaration),
    ("centres", goto("/centres/")),
    ("centres-filtered", goto("/centres/?municipality=高知市&service=1")),
    ("centres-empty", goto("/centres/?municipality=大川村")),
    ("centre", goto("/centres/sample-02/")),
    ("apply", goto("/declarations/apply/")),
    ("apply-errors", apply_with_errors),
    ("apply-confirm", apply_confirm),
    ("apply-complete", apply_complete),
    ("correction", correction),
    # The published declarant's private pages (宣言書, 変更申請, withdrawal), as the axe scenarios open them.
    *[(key, SCENARIOS_BY_KEY[key].open) for key in OWNER_SCENARIOS],
    (
        "event-with-applications",
        lambda page, base_url: page.goto(base_url + scenarios.open_event_for_applications().url),
    ),
    ("event-apply", scenarios.event_application),
    ("event-apply-errors", scenarios.event_application_errors),
    ("event-apply-confirm", scenarios.event_application_confirmation),
    ("event-apply-complete", scenarios.event_application_complete),
    ("event-apply-closed", scenarios.event_application_closed),
    ("event-cancel", scenarios.event_cancellation),
    ("search", goto("/search/?q=共生")),
    ("search-empty", goto("/search/?q=該当するページのない検索語")),
    # The staff's おすすめ above the results, and a 案内 among them.
    ("search-best-bets", goto("/search/?q=申込み")),
    ("not-found", goto("/no-such-page/")),
    ("site-map", goto("/sitemap/")),
    ("feedback-errors", feedback_errors),
    ("feedback-thanks", feedback_thanks),
]

# What the server answers for a page shown on purpose with an error status.
STATUS = {"not-found": 404, "feedback-errors": 400}


def document_html(page, open_page, base_url):
    """The HTML the server sent for the page that open_page ends on (after any redirect)."""
    documents = []

    def keep(response):
        if response.request.resource_type == "document" and response.frame == page.main_frame:
            documents.append(response)

    page.on("response", keep)
    open_page(page, base_url)
    page.wait_for_load_state()
    page.remove_listener("response", keep)
    final = [response for response in documents if not 300 <= response.status < 400][-1]
    assert final.url == page.url.split("#")[0], f"expected the document of {page.url}, got {final.url}"
    return final.status, final.text()


def vnu_errors(files):
    """{file name: [readable error, …]} from one run of the Nu checker over all files."""
    result = subprocess.run(
        [shutil.which("java") or "/usr/bin/java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr, and exits 1 when it found errors.
    report = json.loads(result.stderr)
    errors = {}
    for message in report["messages"]:
        name = Path(message.get("url", "unknown")).name
        where = f"line {message['lastLine']}" if "lastLine" in message else "document"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"{where}: {message['message']}  [{extract[:120]}]")
    return errors


def test_every_page_type_and_state_is_valid_html(page, site_url, tmp_path):
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make test` (it runs `npm ci`) or `npm ci`"
    files = []
    for name, open_page in PAGES:
        status, html = document_html(page, open_page, site_url)
        # A page that failed to open would validate as its error page instead.
        assert status == STATUS.get(name, 200), f"{name}: {page.url} answered {status}"
        file = tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        files.append(file)

    errors = vnu_errors(files)

    report = [f"{name} ({len(messages)} error(s)):\n  " + "\n  ".join(messages) for name, messages in errors.items()]
    assert not errors, "The W3C Nu checker found errors:\n" + "\n".join(report)

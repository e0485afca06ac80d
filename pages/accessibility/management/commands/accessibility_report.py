"""Runs the browser checks of the test suite on a running site and writes the results that the
ウェブアクセシビリティ方針 page publishes.

    make accessibility-report     # serves a throw-away copy of the site and runs this against it

The site at --base-url must use the same database as this command: the correction-page scenario
asks for changes to an application through the model, as staff would in the admin.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pages.accessibility.checks import (
    WCAG_TAGS,
    axe_violations,
    clipped_elements,
    enlarge_text,
    horizontal_overflow,
    launch_chromium,
)
from pages.accessibility.results import RESULTS_PATH
from pages.accessibility.scenarios import SCENARIOS


def check_scenario(browser, base_url, scenario):
    """Open the scenario once and run every check on that same page (a form is submitted only once)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page = context.new_page()
    try:
        scenario.open(page, base_url)
        violations = axe_violations(page)
        page.set_viewport_size({"width": 320, "height": 640})
        reflow = horizontal_overflow(page) == 0 and not clipped_elements(page)
        page.set_viewport_size({"width": 1280, "height": 800})
        enlarge_text(page, 200)
        text = horizontal_overflow(page) == 0 and not clipped_elements(page)
        axe_version = page.evaluate("() => axe.version")
    finally:
        context.close()
    return {
        "key": scenario.key,
        "name": scenario.name,
        "path": scenario.path,
        "axe_violations": sum(len(violation["nodes"]) for violation in violations),
        "axe_rules": sorted(violation["id"] for violation in violations),
        "reflow_320": reflow,
        "text_200": text,
        "passed": not violations and reflow and text,
    }, axe_version


class Command(BaseCommand):
    help = "実際のブラウザーでアクセシビリティの自動試験を行い、結果をJSONに書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("--base-url", required=True, help="試験するサイトのURL（例: http://127.0.0.1:8000）")
        parser.add_argument("--output", default=str(RESULTS_PATH), help="結果を書き出すファイル")

    def handle(self, *args, base_url, output, **options):
        from playwright.sync_api import sync_playwright

        # Playwright's sync API runs an event loop in this thread; the scenarios still use the ORM.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        base_url = base_url.rstrip("/")
        rows = []
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for scenario in SCENARIOS:
                row, axe_version = check_scenario(browser, base_url, scenario)
                rows.append(row)
                self.stdout.write(f"{'合格' if row['passed'] else '不合格'}  {row['name']}  {row['axe_rules'] or ''}")
            browser_version = browser.version
            browser.close()
        results = {
            "checked_at": timezone.localtime().isoformat(timespec="seconds"),
            "tool": f"axe-core {axe_version}",
            "browser": f"Chromium {browser_version}",
            "rules": WCAG_TAGS,
            "passed": sum(row["passed"] for row in rows),
            "pages": rows,
        }
        Path(output).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(f"{output} に {results['passed']}/{len(rows)} ページ合格の結果を書き出しました。")
        if results["passed"] < len(rows):
            raise CommandError("自動試験に合格しないページがあります。")

"""`make screenshots`: full-page PNGs of the main pages at phone (375 px) and desktop (1280 px) widths,
written to screenshots/ (git-ignored) for review."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playwright.sync_api import sync_playwright  # noqa: E402

from accessibility.checks import launch_chromium  # noqa: E402
from tests.tools.site_server import ROOT, running_site  # noqa: E402

PAGES = {
    "home": "/",
    "declaration": "/declaration/",
    "symbol-mark": "/symbol-mark/",
    "training": "/training/",
    "pamphlets": "/pamphlets/",
    "events": "/events/",
    "grants": "/grants/",
    "surveys": "/surveys/",
    "register": "/declarations/",
    "apply": "/declarations/apply/",
    "search": "/search/?q=共生",
    "accessibility": "/accessibility/",
    "not-found": "/no-such-page/",
}
WIDTHS = {"375": 375, "1280": 1280}


def main():
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with running_site() as (base_url, _env), sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for label, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base_url + path)
                page.screenshot(path=out / f"{name}-{label}.png", full_page=True)
            # The application form after an empty submit: the error summary and messages.
            page.goto(base_url + "/declarations/apply/")
            submit = page.get_by_role("button", name="確認画面へ進む")
            if submit.count():
                submit.click()
                page.screenshot(path=out / f"apply-errors-{label}.png", full_page=True)
            context.close()
        browser.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()

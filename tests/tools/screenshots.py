"""`make screenshots`: full-page PNGs of every page type and state the accessibility checks visit, at
phone (375 px) and desktop (1280 px) widths, written to screenshots/ (git-ignored) for review."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.accessibility.checks import launch_chromium  # noqa: E402
from tests.tools.site_server import ROOT, running_site  # noqa: E402

WIDTHS = [375, 1280]


def main():
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    with running_site() as (base_url, env):
        # The scenarios use the ORM (the correction link) on the throw-away site's database.
        os.environ.update(env)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        import django

        django.setup()
        from tests.accessibility.scenarios import SCENARIOS

        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for width in WIDTHS:
                for scenario in SCENARIOS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ja-JP")
                    page = context.new_page()
                    scenario.open(page, base_url)
                    page.screenshot(path=out / f"{scenario.key}-{width}.png", full_page=True)
                    context.close()
            browser.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()

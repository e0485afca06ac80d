"""`make screenshots`: full-page PNGs at phone (375 px) and desktop (1280 px) widths.

By default, the pages the documentation shows (home, an article, the register, a centre) into
docs/screenshots/, which are committed: run it after a change to the look of the site and commit what
changed. With `--all`, also every page type and state the accessibility checks visit, into screenshots/
(git-ignored), for review."""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.accessibility.checks import launch_chromium  # noqa: E402
from tests.tools.site_server import ROOT, running_site  # noqa: E402

WIDTHS = [375, 1280]
# The scenarios (tests/accessibility/scenarios.py) whose pages the documentation shows.
DOCUMENTED = ["home", "article", "register", "centre"]
DOCS_FOLDER = ROOT / "docs" / "screenshots"
REVIEW_FOLDER = ROOT / "screenshots"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every checked page and state too, into screenshots/")
    arguments = parser.parse_args()
    with running_site() as (base_url, env):
        # The scenarios use the ORM (the correction link) on the throw-away site's database.
        os.environ.update(env)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        import django

        django.setup()
        from tests.accessibility.scenarios import SCENARIOS, SCENARIOS_BY_KEY

        batches = [(DOCS_FOLDER, [SCENARIOS_BY_KEY[key] for key in DOCUMENTED])]
        if arguments.all:
            batches.append((REVIEW_FOLDER, SCENARIOS))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for folder, scenarios in batches:
                folder.mkdir(exist_ok=True)
                for width in WIDTHS:
                    for scenario in scenarios:
                        # A phone's screen is 667 px high, a desk's 800: the first screen is what people see.
                        height = 667 if width < 1000 else 800
                        context = browser.new_context(
                            viewport={"width": width, "height": height}, locale="ja-JP", timezone_id="Asia/Tokyo"
                        )
                        page = context.new_page()
                        scenario.open(page, base_url)
                        page.screenshot(path=folder / f"{scenario.key}-{width}.png", full_page=True)
                        context.close()
                print(f"screenshots written to {folder}")
            browser.close()


if __name__ == "__main__":
    main()

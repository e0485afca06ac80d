"""`make accessibility-report`: the browser checks on a throw-away copy of the site, written to
docs/accessibility-results.json for the ウェブアクセシビリティ方針 page (commit the file)."""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.tools.site_server import BIN, ROOT, running_site  # noqa: E402


def main():
    with running_site() as (base_url, env):
        result = subprocess.run(
            [
                str(BIN / "python"),
                "manage.py",
                "accessibility_report",
                "--base-url",
                base_url,
                "--output",
                str(ROOT / "docs" / "accessibility-results.json"),
            ],
            cwd=ROOT,
            env=env,
        )
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()

"""The latest automated results, written by `make accessibility-report` (tests/tools/) and committed."""

import json

from django.conf import settings

RESULTS_PATH = settings.BASE_DIR / "docs" / "accessibility-results.json"


def load_results(path=None):
    """The results as a dict, or None when no report has been written yet."""
    try:
        return json.loads((path or RESULTS_PATH).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None

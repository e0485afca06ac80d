"""`make audit`: Lighthouse (mobile) on the pages residents and applicants use most.

Prints the four category scores per page and exits non-zero when accessibility, best practices or
SEO is below 100 on any of them (performance is reported, not enforced: it depends on the machine).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.accessibility.checks import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from tests.tools.site_server import ROOT, manage, running_site  # noqa: E402

# The event application form needs an event that takes applications: one of the initial content's
# events is moved ahead and opened in the throw-away site before Lighthouse runs.
EVENT_APPLY = "/events/festa-2023/apply/"
OPEN_EVENT = "from tests.accessibility.scenarios import open_event_for_applications; open_event_for_applications()"
# One page per public template a resident or applicant meets most: Lighthouse scores what a template
# renders (title, description, landmarks, links, images), so a second page of the same template (another
# article, centre or section page) adds CI time and nothing to what is checked. The axe checks of
# the browser tests cover every page type and state (tests/browser/test_accessibility.py).
PAGES = [
    "/",  # pages/home_page.html
    "/news/",  # news/article_index_page.html
    "/news/sample-initiatives-vol-2-first/",  # news/article_page.html
    "/declarations/",  # declarations/register.html
    "/declarations/apply/",  # declarations/apply_form.html
    EVENT_APPLY,  # event_applications/apply_form.html
    "/centres/",  # centres/centre_list.html
    "/centres/sample-02/",  # centres/centre_detail.html
    "/sitemap/",  # pages/site_map.html
]
# A published declarant's 変更申請 form (declarations/owner_change.html), opened by a private link made for
# this run (below).
AUDIT_OWNER_TOKEN = "lighthouse-audit-owner-link"
OWNER_CHANGE_PAGE = f"/declarations/manage/{AUDIT_OWNER_TOKEN}/change/"
# A private link's pages must say noindex (the token is a secret), which Lighthouse's SEO category counts
# against them (is-crawlable): there only that one audit is waived, every other SEO audit still counts.
WAIVED = {OWNER_CHANGE_PAGE: {"seo": {"is-crawlable"}}}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
ENFORCED = ["accessibility", "best-practices", "seo"]


# Lighthouse's own advice for a trace it failed to record is "run Lighthouse again"; seen here about once in
# ten runs on an idle machine, on pages that score 100 on the next run. Only that error is retried.
RETRIED_RUNTIME_ERRORS = {"NO_NAVSTART"}
ATTEMPTS = 3


def lighthouse(url, output, waived=None):
    env = dict(os.environ, CHROME_PATH=CHROMIUM_PATH)
    for attempt in range(1, ATTEMPTS + 1):
        finished = subprocess.run(
            [
                str(ROOT / "node_modules" / ".bin" / "lighthouse"),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={output}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
            ],
            env=env,
        )
        report = json.loads(Path(output).read_text()) if Path(output).exists() else {}
        error = (report.get("runtimeError") or {}).get("code")
        if error in RETRIED_RUNTIME_ERRORS and attempt < ATTEMPTS:
            print(f"  {url}: Lighthouse {error}, running it again ({attempt + 1}/{ATTEMPTS})", flush=True)
            Path(output).unlink()
            continue
        finished.check_returncode()
        break
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    for name, audit_ids in (waived or {}).items():
        # The category's score without the waived audits (Lighthouse's own weighted mean).
        refs = [
            ref
            for ref in report["categories"][name]["auditRefs"]
            if ref.get("weight") and ref["id"] not in audit_ids and report["audits"][ref["id"]].get("score") is not None
        ]
        total = sum(ref["weight"] for ref in refs)
        scores[name] = round(sum(ref["weight"] * report["audits"][ref["id"]]["score"] for ref in refs) * 100 / total)
    # The audits that cost points in the enforced categories, so a failure says what to fix.
    failing = sorted(
        {
            f"{ref['id']}: {report['audits'][ref['id']]['title']}"
            for name in ENFORCED
            for ref in report["categories"][name]["auditRefs"]
            if ref.get("weight")
            and report["audits"][ref["id"]].get("score") is not None
            and report["audits"][ref["id"]]["score"] < 1
            and ref["id"] not in (waived or {}).get(name, ())
        }
    )
    return scores, failing


def give_owner_link(env):
    """Point AUDIT_OWNER_TOKEN at the first published declaration, stored as the model stores any link."""
    manage(
        env,
        "shell",
        "-c",
        "from declarations.models import Declaration, hash_owner_token; "
        "Declaration.objects.filter(pk=Declaration.objects.public().order_by('pk').first().pk)"
        f".update(owner_token_hash=hash_owner_token({AUDIT_OWNER_TOKEN!r}))",
    )


def main():
    failures = []
    with running_site() as (base_url, env), tempfile.TemporaryDirectory() as out:
        give_owner_link(env)
        manage(env, "shell", "-c", OPEN_EVENT)
        print(f"{'page':<24}" + "".join(f"{name:>16}" for name in CATEGORIES))
        for number, path in enumerate([*PAGES, OWNER_CHANGE_PAGE]):
            scores, failing = lighthouse(base_url + path, f"{out}/{number}.json", WAIVED.get(path))
            print(f"{path:<24}" + "".join(f"{scores[name]:>16}" for name in CATEGORIES))
            for name in ENFORCED:
                if scores[name] < 100:
                    failures.append(f"{path}: {name} {scores[name]} < 100")
            for line in failing:
                print(f"    failed audit: {line}")
    if failures:
        print("\n".join(["", "make audit failed:", *failures]), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

"""The 達成基準チェックリスト and the 対応度 (準拠 / 一部準拠 / 配慮) it supports.

One place for the rule, after the WAIC 対応度表記ガイドライン for JIS X 8341-3:2016:
- 準拠: the policy states its target level, the page sample was tested (附属書JB), and every success
  criterion of the target level is 適合 or 非適用.
- 一部準拠: the same test was done and every criterion has a result, but some are 不適合.
- 配慮: the policy states its target, but the test is not complete (some criterion is 未確認).

A criterion's result comes from every method recorded for it in pages/accessibility/data/criteria.toml:
the automated run (docs/accessibility-results.json) and the latest manual check staff recorded.
It is 適合 only when every method passed; 不適合 when any failed; otherwise 未確認. A person who finds
that the site has no content the criterion is about records 該当なし, which makes it 非適用 (unless the
automated run found a failure, which shows there is such content after all).
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import models

CRITERIA_PATH = Path(__file__).resolve().parent / "data" / "criteria.toml"

LEVELS = ("A", "AA")
BROWSER_CHECKS = {
    "text_200": "文字を200%に拡大したときに欠け・はみ出しがない",
    "reflow_320": "幅320pxで横スクロールがない",
}


class Result(models.TextChoices):
    PASS = "pass", "適合"
    FAIL = "fail", "不適合"
    UNVERIFIED = "unverified", "未確認"
    NOT_APPLICABLE = "na", "非適用"


class Label(models.TextChoices):
    CONFORMS = "conforms", "準拠"
    PARTIAL = "partial", "一部準拠"
    CONSIDERED = "considered", "配慮"


@dataclass(frozen=True)
class Criterion:
    number: str
    name: str
    level: str
    applicable: bool
    reason: str = ""
    axe_rules: tuple = ()
    browser_checks: tuple = ()
    manual: str = ""
    sample: tuple = ()  # keys of the sample's pages where the manual steps are followed

    @property
    def automated(self):
        return bool(self.axe_rules or self.browser_checks)

    @property
    def browser_check_labels(self):
        return [BROWSER_CHECKS[name] for name in self.browser_checks]


class CriteriaFileError(ValueError):
    pass


def read_criteria(path):
    """The criteria in the file, checked: a broken file fails loudly rather than shrinking the table."""
    with open(path, "rb") as handle:
        entries = tomllib.load(handle).get("criterion", [])
    criteria = []
    for entry in entries:
        criterion = Criterion(
            number=entry["number"],
            name=entry["name"],
            level=entry["level"],
            applicable=entry["applicable"],
            reason=entry.get("reason", ""),
            axe_rules=tuple(entry.get("axe_rules", ())),
            browser_checks=tuple(entry.get("browser_checks", ())),
            manual=entry.get("manual", ""),
            sample=tuple(entry.get("sample", ())),
        )
        if criterion.level not in LEVELS:
            raise CriteriaFileError(f"{criterion.number}: 適合レベルは A か AA です（{criterion.level}）。")
        if not criterion.applicable and not criterion.reason:
            raise CriteriaFileError(f"{criterion.number}: 非適用の理由（reason）がありません。")
        if criterion.manual and not criterion.sample:
            raise CriteriaFileError(f"{criterion.number}: 人による確認をするページ（sample）がありません。")
        unknown = set(criterion.browser_checks) - set(BROWSER_CHECKS)
        if unknown:
            raise CriteriaFileError(f"{criterion.number}: 不明なブラウザー試験 {sorted(unknown)}")
        criteria.append(criterion)
    numbers = [criterion.number for criterion in criteria]
    if len(set(numbers)) != len(numbers):
        raise CriteriaFileError("同じ達成基準が二度書かれています。")
    return sorted(criteria, key=lambda criterion: tuple(int(part) for part in criterion.number.split(".")))


@cache
def load_criteria():
    return read_criteria(CRITERIA_PATH)


def criterion_choices():
    """The choices of the admin's criterion field: every criterion, as 「1.1.1 非テキストコンテンツ（A）」."""
    return [(c.number, f"{c.number} {c.name}（{c.level}）") for c in load_criteria()]


def manual_criteria(target_level):
    """The criteria a person checks, in order: the applicable ones of the target level with manual steps."""
    return [c for c in criteria_for_level(target_level) if c.applicable and c.manual]


@dataclass(frozen=True)
class SamplePage:
    key: str
    name: str
    path: str

    @property
    def is_address(self):
        """False for a page reached through a step the sample describes (…, an entry or a private link)."""
        return self.path.startswith("/") and "…" not in self.path


def sample_pages(criterion, results):
    """The sample's pages named for the criterion, with the names and addresses of the latest automated run
    (a page the run does not list shows its key)."""
    known = {page["key"]: page for page in (results or {}).get("pages", ()) if "key" in page}
    return [
        SamplePage(key, known[key]["name"], known[key]["path"]) if key in known else SamplePage(key, key, "")
        for key in criterion.sample
    ]


def criteria_for_level(target_level):
    levels = LEVELS[: LEVELS.index(target_level) + 1]
    return [criterion for criterion in load_criteria() if criterion.level in levels]


def automated_result(criterion, results):
    """The automated run's verdict on the criterion, or None when no automated check maps to it."""
    if not criterion.automated:
        return None
    pages = (results or {}).get("pages") or []
    if not pages:
        return Result.UNVERIFIED
    for page in pages:
        if set(criterion.axe_rules) & set(page.get("axe_rules", ())):
            return Result.FAIL
        if any(not page.get(check, False) for check in criterion.browser_checks):
            return Result.FAIL
    # A rule that did not run, or that axe-core could not decide ("incomplete"), proves nothing.
    ran = set(results.get("axe_rules_checked", ()))
    if not set(criterion.axe_rules) <= ran:
        return Result.UNVERIFIED
    if any(set(criterion.axe_rules) & set(page.get("axe_incomplete", ())) for page in pages):
        return Result.UNVERIFIED
    return Result.PASS


def combine(methods):
    """適合 only when every method passed; 不適合 when any failed; 未確認 otherwise (or with no method)."""
    methods = [result for result in methods if result is not None]
    if not methods:
        return Result.UNVERIFIED
    if Result.FAIL in methods:
        return Result.FAIL
    if all(result == Result.PASS for result in methods):
        return Result.PASS
    return Result.UNVERIFIED


@dataclass
class Row:
    criterion: Criterion
    automated: Result | None
    manual: Result | None
    manual_check: object  # the latest CriterionCheck, or None
    result: Result


@dataclass
class Statement:
    target_level: str
    rows: list
    sample_tested: bool
    counts: dict = field(default_factory=dict)

    @property
    def label(self):
        results = {row.result for row in self.rows}
        if self.sample_tested and results <= {Result.PASS, Result.NOT_APPLICABLE}:
            return Label.CONFORMS
        if self.sample_tested and Result.UNVERIFIED not in results:
            return Label.PARTIAL
        return Label.CONSIDERED

    @property
    def unmet(self):
        return [row for row in self.rows if row.result in (Result.FAIL, Result.UNVERIFIED)]


def build_statement(target_level, results, latest_checks):
    """The checklist for the target level. `latest_checks`: criterion number → its latest manual check."""
    rows = []
    for criterion in criteria_for_level(target_level):
        check = latest_checks.get(criterion.number)
        if not criterion.applicable:
            rows.append(Row(criterion, None, None, check, Result.NOT_APPLICABLE))
            continue
        automated = automated_result(criterion, results)
        manual = Result(check.result) if check else (Result.UNVERIFIED if criterion.manual else None)
        if manual == Result.NOT_APPLICABLE:
            result = Result.FAIL if automated == Result.FAIL else Result.NOT_APPLICABLE
        else:
            result = combine([automated, manual])
        rows.append(Row(criterion, automated, manual, check, result))
    sample_tested = bool(results and results.get("pages"))
    counts = {result.value: sum(row.result == result for row in rows) for result in Result}
    return Statement(target_level, rows, sample_tested, counts)

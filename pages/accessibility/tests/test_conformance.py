"""The 達成基準チェックリスト's data and the rule that turns it into 準拠 / 一部準拠 / 配慮."""

import pytest

from pages.accessibility import conformance, results
from pages.accessibility.conformance import Label, Result

# WCAG 2.0 = JIS X 8341-3:2016: 25 level A and 13 level AA success criteria.
LEVEL_A = (
    "1.1.1 1.2.1 1.2.2 1.2.3 1.3.1 1.3.2 1.3.3 1.4.1 1.4.2 2.1.1 2.1.2 2.2.1 2.2.2 2.3.1 "
    "2.4.1 2.4.2 2.4.3 2.4.4 3.1.1 3.2.1 3.2.2 3.3.1 3.3.2 4.1.1 4.1.2"
).split()
LEVEL_AA = "1.2.4 1.2.5 1.4.3 1.4.4 1.4.5 2.4.5 2.4.6 2.4.7 3.1.2 3.2.3 3.2.4 3.3.3 3.3.4".split()


def criterion(number="9.9.9", **kwargs):
    fields = {"name": "試験用", "level": "A", "applicable": True, **kwargs}
    return conformance.Criterion(number=number, **fields)


def run(pages, checked=("image-alt", "color-contrast")):
    return {"checked_at": "2026-11-26T16:00:00+09:00", "axe_rules_checked": list(checked), "pages": pages}


def page(**kwargs):
    return {"axe_rules": [], "axe_incomplete": [], "reflow_320": True, "text_200": True, **kwargs}


class Check:
    """Stands for the latest CriterionCheck of a criterion."""

    def __init__(self, result):
        self.result = result


def test_the_file_lists_every_level_a_and_aa_criterion_once():
    criteria = conformance.load_criteria()

    assert len(criteria) == 38
    assert sorted(c.number for c in criteria if c.level == "A") == sorted(LEVEL_A)
    assert sorted(c.number for c in criteria if c.level == "AA") == sorted(LEVEL_AA)
    assert all(c.name for c in criteria)


def test_every_criterion_is_either_not_applicable_with_a_reason_or_has_a_way_to_check_it():
    for c in conformance.load_criteria():
        if c.applicable:
            assert c.automated or c.manual, c.number
        else:
            assert c.reason, c.number


def test_audio_and_video_criteria_are_not_applicable_on_a_site_without_them():
    by_number = {c.number: c for c in conformance.load_criteria()}

    assert all(not by_number[number].applicable for number in ("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5"))
    assert "映像" in by_number["1.2.2"].reason


def test_every_axe_rule_in_the_file_is_one_the_published_run_checked():
    """A rule name that axe-core does not run would count as proof of nothing."""
    checked = set(results.load_results()["axe_rules_checked"])

    for c in conformance.load_criteria():
        assert set(c.axe_rules) <= checked, (c.number, set(c.axe_rules) - checked)


def test_target_level_a_covers_only_the_level_a_criteria():
    assert [c.number for c in conformance.criteria_for_level("A")] == LEVEL_A
    assert len(conformance.criteria_for_level("AA")) == 38


def test_a_broken_file_fails_loudly(tmp_path):
    path = tmp_path / "criteria.toml"
    path.write_text('[[criterion]]\nnumber = "1.2.1"\nname = "x"\nlevel = "A"\napplicable = false\n', encoding="utf-8")

    with pytest.raises(conformance.CriteriaFileError, match="非適用の理由"):
        conformance.read_criteria(path)


def test_a_violation_on_any_page_fails_the_criterion():
    c = criterion(axe_rules=("image-alt",))

    assert conformance.automated_result(c, run([page(), page(axe_rules=["image-alt"])])) == Result.FAIL
    assert conformance.automated_result(c, run([page(), page(axe_rules=["color-contrast"])])) == Result.PASS


def test_a_failed_browser_check_fails_the_criterion():
    c = criterion(browser_checks=("text_200",))

    assert conformance.automated_result(c, run([page(text_200=False)])) == Result.FAIL
    assert conformance.automated_result(c, run([page()])) == Result.PASS


def test_a_rule_axe_could_not_decide_or_did_not_run_leaves_the_criterion_unverified():
    assert (
        conformance.automated_result(
            criterion(axe_rules=("color-contrast",)), run([page(axe_incomplete=["color-contrast"])])
        )
        == Result.UNVERIFIED
    )
    assert conformance.automated_result(criterion(axe_rules=("no-such-rule",)), run([page()])) == Result.UNVERIFIED


def test_no_test_run_means_unverified_and_no_automated_method_means_none():
    assert conformance.automated_result(criterion(axe_rules=("image-alt",)), None) == Result.UNVERIFIED
    assert conformance.automated_result(criterion(manual="手順"), run([page()])) is None


@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        ([Result.PASS, Result.PASS], Result.PASS),
        ([Result.PASS, None], Result.PASS),
        ([Result.PASS, Result.UNVERIFIED], Result.UNVERIFIED),
        ([Result.UNVERIFIED, Result.FAIL], Result.FAIL),
        ([None, None], Result.UNVERIFIED),
    ],
)
def test_a_criterion_passes_only_when_every_method_recorded_for_it_passed(methods, expected):
    assert conformance.combine(methods) == expected


def all_passing_run():
    rules = {rule for c in conformance.load_criteria() for rule in c.axe_rules}
    return run([page()], checked=rules)


def manual_checks(result=Result.PASS, **overrides):
    checks = {c.number: Check(result) for c in conformance.load_criteria() if c.manual}
    checks.update({number: Check(value) for number, value in overrides.items()})
    return checks


def test_every_criterion_passing_on_a_tested_sample_is_conformance():
    statement = conformance.build_statement("AA", all_passing_run(), manual_checks())

    assert statement.label == Label.CONFORMS
    assert statement.counts == {"pass": 32, "fail": 0, "unverified": 0, "na": 6}


def test_one_failing_criterion_makes_it_partial_and_one_unchecked_makes_it_considered():
    assert conformance.build_statement("AA", all_passing_run(), manual_checks(**{"2.4.7": Result.FAIL})).label == (
        Label.PARTIAL
    )
    unchecked = manual_checks()
    del unchecked["2.4.7"]
    assert conformance.build_statement("AA", all_passing_run(), unchecked).label == Label.CONSIDERED


def test_without_a_tested_page_sample_it_is_never_more_than_considered():
    statement = conformance.build_statement("AA", None, manual_checks())

    assert statement.label == Label.CONSIDERED


def test_not_applicable_criteria_stay_so_whatever_is_recorded():
    statement = conformance.build_statement("AA", all_passing_run(), manual_checks(**{"1.2.2": Result.FAIL}))

    row = next(row for row in statement.rows if row.criterion.number == "1.2.2")
    assert row.result == Result.NOT_APPLICABLE
    assert statement.label == Label.CONFORMS


def test_every_manual_check_names_pages_of_the_sample_to_follow_it_on():
    manual = [c for c in conformance.load_criteria() if c.manual]

    assert len(manual) == 29
    assert all(c.sample for c in manual)


def test_every_sample_page_the_file_names_is_a_page_of_the_published_run():
    published = {page["key"] for page in results.load_results()["pages"]}

    named = {key for c in conformance.load_criteria() for key in c.sample}
    assert named <= published, named - published


def test_a_manual_step_without_sample_pages_fails_loudly(tmp_path):
    path = tmp_path / "criteria.toml"
    path.write_text(
        '[[criterion]]\nnumber = "1.1.1"\nname = "x"\nlevel = "A"\napplicable = true\nmanual = "確かめる"\n',
        encoding="utf-8",
    )

    with pytest.raises(conformance.CriteriaFileError, match="sample"):
        conformance.read_criteria(path)


def test_sample_pages_carry_the_runs_names_and_say_which_are_plain_addresses():
    run_pages = [
        {"key": "home", "name": "トップページ", "path": "/"},
        {"key": "article", "name": "記事", "path": "/news/…/"},
    ]
    pages = conformance.sample_pages(criterion(sample=("home", "article", "gone")), {"pages": run_pages})

    assert [(p.name, p.path, p.is_address) for p in pages] == [
        ("トップページ", "/", True),
        ("記事", "/news/…/", False),
        ("gone", "", False),
    ]


def test_the_checklist_walks_the_applicable_criteria_with_manual_steps_in_order():
    numbers = [c.number for c in conformance.manual_criteria("AA")]

    assert len(numbers) == 29
    assert numbers == sorted(numbers, key=lambda n: tuple(int(part) for part in n.split(".")))
    assert "1.2.1" not in numbers  # not applicable
    assert "3.1.1" not in numbers  # automated only
    assert len(conformance.manual_criteria("A")) == 20


@pytest.mark.parametrize(
    "automated, expected",
    [(None, Result.NOT_APPLICABLE), (Result.PASS, Result.NOT_APPLICABLE), (Result.FAIL, Result.FAIL)],
)
def test_a_person_finding_no_such_content_makes_it_not_applicable_unless_the_run_failed(
    monkeypatch, automated, expected
):
    monkeypatch.setattr(conformance, "automated_result", lambda criterion, results: automated)
    statement = conformance.build_statement("AA", run([page()]), {"1.3.3": Check(Result.NOT_APPLICABLE)})

    row = next(row for row in statement.rows if row.criterion.number == "1.3.3")
    assert row.manual == Result.NOT_APPLICABLE and row.result == expected

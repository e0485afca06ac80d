"""The mixed-load benchmark's freshness audit (tests/benchmarks/mixed_load.py) calls a response stale exactly
when it was requested after a change was answered and still shows the state from before."""

import gzip
from types import SimpleNamespace

from tests.benchmarks.mixed_load import audit, number, read_shown

SITE = {"event": "/events/e/", "published": "/s/p/", "published_parent": "/s/"}
NOW = {"remaining": 100, "public": 10_000, "version": 3}


def record(path, sent, shown, status=200):
    return (path, sent, sent + 0.01, status, "hit", "", shown)


def run(records, applications=(), changes=()):
    writers = SimpleNamespace(applications=list(applications))
    return audit(records, SITE, NOW, writers, list(changes), {"/declarations/7/"})


def test_an_event_page_requested_after_an_application_was_answered_must_show_one_place_fewer():
    # The application was sent at 10.0 and answered at 10.5.
    checked, stale = run(
        [
            record("/events/e/", 10.2, 100),  # in flight while it committed: either answer is fresh
            record("/events/e/", 10.6, 99),
            record("/events/e/", 10.7, 100),  # stale
        ],
        applications=[(10.0, 10.5)],
    )
    assert checked == 3
    assert [entry[:3] for entry in stale] == [("/events/e/", 100, 99)]


def test_the_register_count_the_republished_title_and_an_approved_entry_are_checked_against_their_changes():
    changes = [
        {"kind": "approve", "pk": 7, "sent": 20.0, "done": 20.5},
        {"kind": "publish", "version": 4, "sent": 30.0, "done": 30.5},
    ]
    checked, stale = run(
        [
            record("/declarations/", 19.0, 10_000),
            record("/declarations/", 21.0, 10_000),  # stale: the approval is missing
            record("/declarations/7/", 19.0, None, status=404),  # not approved yet: fresh
            record("/declarations/7/", 21.0, None, status=404),  # stale
            record("/s/p/", 31.0, 4),
            record("/s/p/", 31.0, 3),  # stale: the old title
            record("/s/", 30.2, 3),  # in flight: fresh
            record("/s/", 31.0, 3),  # stale: its list of subpages shows the old title
            record("/other/", 40.0, None),  # not audited
        ],
        changes=changes,
    )
    assert checked == 8
    assert [entry[:3] for entry in stale] == [
        ("/declarations/", 10_000, 10_001),
        ("/declarations/7/", 404, 200),
        ("/s/p/", 3, 4),
        ("/s/", 3, 4),
    ]


def test_the_figures_are_read_from_the_pages_as_visitors_see_them():
    assert number(r"（残り(\d+)人）")("<dd>受付中（残り4988人）</dd>") == 4988
    assert number(r"全(\d+)件中")("<p>全10001件中 1〜20件を表示</p>") == 10001
    assert number(r"全(\d+)件中")("<p>条件に当てはまる企業・団体はありません。</p>") is None


def test_what_a_page_showed_is_read_after_the_run_from_the_body_as_it_came():
    remaining = number(r"（残り(\d+)人）")
    records = [
        record(SITE["event"], 1.0, ("gzip", gzip.compress("<dd>受付中（残り12人）</dd>".encode()))),
        record(SITE["event"], 2.0, (None, "<dd>受付中（残り11人）</dd>".encode())),
        record("/declarations/7/", 3.0, None, status=404),
    ]

    read = read_shown(records, {SITE["event"]: remaining})

    assert [shown for *_, shown in read] == [12, 11, None]
    assert [row[:6] for row in read] == [row[:6] for row in records]

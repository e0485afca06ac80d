"""The model and its queryset: submitting an application and the state changes (what each does, what
it refuses, its audit entry and its email)."""

import ast
import datetime
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from declarations import models
from declarations.models import (
    CORRECTION_LINK_VALID_FOR,
    REFERENCE_ALPHABET,
    ChangeRequest,
    Declaration,
    InvalidTransition,
    Municipality,
    OrganisationType,
    OutboundEmail,
    Status,
    hash_correction_token,
)

from .factories import make_declaration, make_moderator

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def entries(declaration):
    return list(ModelLogEntry.objects.for_instance(declaration).order_by("timestamp", "pk"))


@pytest.fixture
def moderator():
    return make_moderator()


def test_approve_publishes_with_todays_japanese_date_and_logs_who_and_when(
    moderator, django_capture_on_commit_callbacks
):
    declaration = make_declaration()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        declaration.approve(by=moderator)
    after = timezone.now()

    declaration.refresh_from_db()
    assert declaration.status == Status.PUBLISHED
    assert declaration.declared_on == timezone.localdate(after)  # the date in Asia/Tokyo, not UTC
    assert Declaration.objects.public().filter(pk=declaration.pk).exists()
    [entry] = entries(declaration)
    assert entry.action == "declarations.approve"
    assert entry.user == moderator
    assert before <= entry.timestamp <= after
    assert entry.message.startswith("承認して掲載しました")
    [sent] = mail.outbox
    assert sent.to == ["hanako@kuroshio.example.jp"]
    assert "掲載しました" in sent.subject and declaration.reference_number in sent.subject


def test_approve_keeps_the_declaration_date_staff_chose(moderator):
    declaration = make_declaration()
    declaration.approve(by=moderator, declared_on=datetime.date(2026, 4, 1))
    declaration.refresh_from_db()
    assert declaration.declared_on == datetime.date(2026, 4, 1)
    assert entries(declaration)[0].data["declared_on"] == "2026-04-01"


@pytest.mark.parametrize("status", [Status.REJECTED, Status.WITHDRAWN, Status.PUBLISHED, Status.CHANGES_REQUESTED])
def test_approve_is_refused_unless_the_application_is_waiting(moderator, status):
    declaration = make_declaration(status=status)
    with pytest.raises(InvalidTransition, match=Status(status).label):
        declaration.approve(by=moderator)
    declaration.refresh_from_db()
    assert declaration.status == status
    assert entries(declaration) == []
    assert not OutboundEmail.objects.exists()


def test_two_moderators_approving_the_same_application_publish_it_once(moderator):
    other = make_moderator("shinsa2")
    declaration = make_declaration()
    # Both loaded the application while it was waiting, as two browser tabs would.
    first = Declaration.objects.get(pk=declaration.pk)
    second = Declaration.objects.get(pk=declaration.pk)

    first.approve(by=moderator, declared_on=datetime.date(2026, 11, 1))
    with pytest.raises(InvalidTransition):
        second.approve(by=other, declared_on=datetime.date(2026, 11, 2))

    declaration.refresh_from_db()
    assert declaration.declared_on == datetime.date(2026, 11, 1)
    assert [(e.action, e.user) for e in entries(declaration)] == [("declarations.approve", moderator)]
    assert OutboundEmail.objects.filter(declaration=declaration).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real concurrent connections (PostgreSQL)")
def test_concurrent_approvals_on_postgresql_publish_once():
    declaration = make_declaration()
    moderators = [make_moderator("race1"), make_moderator("race2")]
    loaded = threading.Barrier(2)
    results = []

    def approve(user):
        try:
            stale = Declaration.objects.get(pk=declaration.pk)
            loaded.wait()
            stale.approve(by=user)
            results.append("ok")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["ok", "refused"]
    assert ModelLogEntry.objects.filter(action="declarations.approve", object_id=str(declaration.pk)).count() == 1
    assert OutboundEmail.objects.filter(declaration=declaration).count() == 1


def test_request_changes_stores_only_a_hash_and_emails_a_link_valid_for_14_days(
    moderator, django_capture_on_commit_callbacks
):
    declaration = make_declaration()
    with django_capture_on_commit_callbacks(execute=True):
        token = declaration.request_changes(by=moderator, message="代表者氏名の漢字をご確認ください。")

    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED
    assert token not in declaration.correction_token_hash
    assert declaration.correction_token_hash == hash_correction_token(token)
    remaining = declaration.correction_expires_at - timezone.now()
    assert CORRECTION_LINK_VALID_FOR - datetime.timedelta(minutes=5) < remaining <= CORRECTION_LINK_VALID_FOR
    [sent] = mail.outbox
    assert sent.to == ["hanako@kuroshio.example.jp"]
    assert f"http://testserver/declarations/correction/{token}/" in sent.body
    assert "代表者氏名の漢字をご確認ください。" in sent.body
    [entry] = entries(declaration)
    assert (entry.action, entry.user, entry.comment) == (
        "declarations.request_changes",
        moderator,
        "代表者氏名の漢字をご確認ください。",
    )
    assert Declaration.objects.awaiting_correction(token) == declaration


def test_asking_again_replaces_the_link(moderator):
    declaration = make_declaration()
    old = declaration.request_changes(by=moderator, message="1回目")
    new = declaration.request_changes(by=moderator, message="2回目")
    assert Declaration.objects.awaiting_correction(old) is None
    assert Declaration.objects.awaiting_correction(new) == declaration


@pytest.mark.parametrize("action", ["request_changes", "reject", "withdraw"])
def test_an_empty_message_or_reason_is_refused(moderator, action):
    declaration = make_declaration(status=Status.PUBLISHED if action == "withdraw" else Status.PENDING)
    with pytest.raises(ValueError, match="入力してください"):
        getattr(declaration, action)(moderator, "  \u3000 ")
    declaration.refresh_from_db()
    assert entries(declaration) == []


def test_reject_records_and_emails_the_reason(moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration()
    with django_capture_on_commit_callbacks(execute=True):
        declaration.reject(by=moderator, reason="県内での活動が確認できませんでした。")
    declaration.refresh_from_db()
    assert declaration.status == Status.REJECTED
    assert declaration.decided_at is not None
    assert "県内での活動が確認できませんでした。" in mail.outbox[0].body
    [entry] = entries(declaration)
    assert (entry.action, entry.user, entry.comment) == (
        "declarations.reject",
        moderator,
        "県内での活動が確認できませんでした。",
    )


def test_reject_also_ends_a_pending_correction_link(moderator):
    declaration = make_declaration()
    token = declaration.request_changes(by=moderator, message="直してください")
    declaration.reject(by=moderator, reason="期限内に修正がありませんでした。")
    assert Declaration.objects.awaiting_correction(token) is None


def test_withdraw_takes_a_published_declaration_off_the_register(moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration(status=Status.PUBLISHED, declared_on=datetime.date(2025, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        declaration.withdraw(by=moderator, reason="団体から取り下げの申し出がありました。")
    assert not Declaration.objects.public().filter(pk=declaration.pk).exists()
    assert "取り下げ" in mail.outbox[0].subject
    [entry] = entries(declaration)
    assert (entry.action, entry.user) == ("declarations.withdraw", moderator)


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN])
def test_withdraw_only_from_published(moderator, status):
    declaration = make_declaration(status=status)
    with pytest.raises(InvalidTransition):
        declaration.withdraw(by=moderator, reason="理由")
    declaration.refresh_from_db()
    assert declaration.status == status


def test_resubmit_returns_to_the_queue_and_the_token_stops_working(moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration(submitted_at=timezone.now() - datetime.timedelta(days=3))
    token = declaration.request_changes(by=moderator, message="直してください")
    with django_capture_on_commit_callbacks(execute=True):
        declaration.resubmit_correction(token)

    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING
    assert declaration.correction_token_hash == ""
    assert list(Declaration.objects.waiting()) == [declaration]
    assert Declaration.objects.awaiting_correction(token) is None
    with pytest.raises(InvalidTransition):
        declaration.resubmit_correction(token)
    resubmit = entries(declaration)[-1]
    assert (resubmit.action, resubmit.user) == ("declarations.resubmit", None)
    assert mail.outbox[-1].to == ["060101@ken.pref.kochi.lg.jp"]


def test_resubmit_with_an_expired_or_wrong_token_is_refused(moderator):
    declaration = make_declaration()
    token = declaration.request_changes(by=moderator, message="直してください")
    with pytest.raises(InvalidTransition):
        declaration.resubmit_correction("not-the-token")
    Declaration.objects.filter(pk=declaration.pk).update(
        correction_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(InvalidTransition):
        declaration.resubmit_correction(token)
    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED


def test_a_declaration_without_an_email_address_is_still_approved(moderator):
    declaration = make_declaration(email="")
    declaration.approve(by=moderator)
    declaration.refresh_from_db()
    assert declaration.status == Status.PUBLISHED
    assert not OutboundEmail.objects.exists()


# Declaration.objects.submit: one transaction for the application, its 受付番号 and its emails.


def new_application(**fields):
    values = {
        "name": "株式会社はりまや",
        "name_kana": "かぶしきがいしゃはりまや",
        "organisation_type": "company",
        "industry": "I",
        "municipality": Municipality.objects.get(name="高知市"),
        "representative_title": "代表取締役",
        "representative_name": "播磨屋太郎",
        "content": "宣言します。",
        "email": "harimaya@example.jp",
        **fields,
    }
    return Declaration(**values)


def test_reference_numbers_are_short_and_avoid_characters_people_confuse():
    numbers = {models.generate_reference_number() for _ in range(500)}
    assert len(numbers) == 500
    for number in numbers:
        assert len(number) == 12
        assert number.startswith("KS-")
        assert set(number[3:].replace("-", "")) <= set(REFERENCE_ALPHABET)
    assert not set("01OILUV") & set(REFERENCE_ALPHABET)


def test_submit_saves_a_pending_application_with_its_two_emails():
    declaration, created = Declaration.objects.submit(new_application(status=Status.PUBLISHED), areas=[])
    assert created
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING  # whatever the caller set
    assert declaration.consented_at is not None
    assert OutboundEmail.objects.filter(declaration=declaration).count() == 2


def test_a_clashing_reference_number_is_replaced_not_an_error(monkeypatch):
    make_declaration(reference_number="KS-AAAA-AAAA")
    numbers = iter(["KS-AAAA-AAAA", "KS-BBBB-BBBB"])
    monkeypatch.setattr(models, "generate_reference_number", lambda: next(numbers))
    declaration, created = Declaration.objects.submit(new_application(), areas=[])
    assert created
    assert Declaration.objects.get(pk=declaration.pk).reference_number == "KS-BBBB-BBBB"


def test_the_same_submission_key_returns_the_first_application():
    first, created = Declaration.objects.submit(new_application(), areas=[], submission_key="key-1")
    again, created_again = Declaration.objects.submit(new_application(name="別名"), areas=[], submission_key="key-1")
    assert created and not created_again
    assert again.pk == first.pk
    assert Declaration.objects.count() == 1
    assert OutboundEmail.objects.count() == 2


def test_when_the_transaction_fails_neither_the_application_nor_its_emails_remain():
    with pytest.raises(RuntimeError), transaction.atomic():
        Declaration.objects.submit(new_application(), areas=[])
        raise RuntimeError("the request failed after submit")
    assert not Declaration.objects.exists()
    assert not OutboundEmail.objects.exists()


# The register's rules on the queryset, and the one 受付番号 allocator.


def test_public_is_published_only_and_the_register_adds_search_filters_and_order():
    aki = Municipality.objects.get(name="安芸市")
    make_declaration(Status.PUBLISHED, name="い社", name_kana="いしゃ", declared_on=datetime.date(2024, 1, 1))
    make_declaration(
        Status.PUBLISHED,
        name="あ食堂",
        name_kana="あしょくどう",
        municipality=aki,
        declared_on=datetime.date(2023, 1, 1),
    )
    for status in [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN]:
        make_declaration(status, name=f"非公開{status}")

    assert sorted(d.name for d in Declaration.objects.public()) == ["あ食堂", "い社"]
    assert [d.name for d in Declaration.objects.for_register()] == ["あ食堂", "い社"]
    assert [d.name for d in Declaration.objects.for_register(sort="new")] == ["い社", "あ食堂"]
    assert [d.name for d in Declaration.objects.for_register(q="ショクドウ")] == ["あ食堂"]
    assert [d.name for d in Declaration.objects.for_register(municipality=aki)] == ["あ食堂"]
    assert not Declaration.objects.for_register(q="非公開").exists()


def test_municipality_counts_count_public_declarations_only():
    make_declaration(Status.PUBLISHED)
    make_declaration(Status.PENDING)
    counts = {m.name: m.declarants for m in Municipality.objects.with_public_counts()}
    assert counts["高知市"] == 1
    assert counts["安芸市"] == 0


def test_publish_imported_allocates_a_reference_number_publishes_and_logs_without_mail():
    declaration = Declaration(
        name="株式会社いの",
        name_kana="いの",
        organisation_type=OrganisationType.COMPANY,
        municipality=Municipality.objects.get(name="いの町"),
        representative_title="社長",
        representative_name="伊野",
        content="見守りをします。",
    )
    declaration.publish_imported(declared_on=datetime.date(2024, 4, 1), source={"file": "a.csv", "line": 2})

    declaration.refresh_from_db()
    assert declaration.reference_number.startswith("KS-")
    assert Declaration.objects.public().filter(pk=declaration.pk).exists()
    assert ModelLogEntry.objects.for_instance(declaration).get().action == "declarations.import"
    assert not OutboundEmail.objects.exists()


def test_the_allocator_draws_again_only_when_the_number_is_taken(monkeypatch):
    make_declaration(reference_number="KS-AAAA-AAAA", submission_key="taken")
    numbers = iter(["KS-AAAA-AAAA", "KS-CCCC-CCCC", "KS-DDDD-DDDD"])
    monkeypatch.setattr(models, "generate_reference_number", lambda: next(numbers))
    first = new_application()
    first.insert_with_reference_number()
    assert first.reference_number == "KS-CCCC-CCCC"

    second = new_application(submission_key="taken")
    with pytest.raises(IntegrityError):
        second.insert_with_reference_number()
    assert next(numbers, None) is None  # a clash on another column is not retried under new numbers


def test_the_package_imports_one_way():
    """No import circle among the register's modules, counting imports inside functions too."""
    package = Path(models.__file__).parent
    graph = {}
    for path in package.glob("*.py"):
        module = path.stem
        graph[module] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("declarations."):
                names = [node.module.split(".")[1]]
            else:
                continue
            graph[module].update(name.split(".")[0] for name in names if (package / f"{name}.py").exists())

    def reaches(start, target, seen=()):
        return any(n == target or (n not in seen and reaches(n, target, (*seen, n))) for n in graph.get(start, ()))

    circles = sorted(module for module in graph if reaches(module, module))
    assert circles == []
    assert "models" not in graph["mail"]


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_needs_attention_is_the_queue_and_what_waits_for_the_applicant_and_nothing_else():
    moderator = make_moderator()
    new = make_declaration(name="新規", submitted_at=_ago(1))
    sent_back = make_declaration(name="修正待ち", submitted_at=_ago(3))
    sent_back.request_changes(by=moderator, message="確認してください。")
    changed = make_declaration(Status.PUBLISHED, name="変更申請あり", submitted_at=_ago(90))
    ChangeRequest.objects.create(declaration=changed, values={})
    make_declaration(Status.PUBLISHED, name="掲載中")
    make_declaration(Status.REJECTED, name="却下")

    assert list(Declaration.objects.needs_attention()) == [changed, sent_back, new]
    assert list(Declaration.objects.awaiting_applicant()) == [sent_back]
    assert set(Declaration.objects.waiting()) == {new, changed}


def test_dashboard_counts_each_state_and_age_in_one_query(django_assert_num_queries):
    moderator = make_moderator()
    make_declaration(name="古い", submitted_at=_ago(10))
    make_declaration(name="新しい", submitted_at=_ago(1))
    expired = make_declaration(name="期限切れ")
    expired.request_changes(by=moderator, message="確認してください。")
    Declaration.objects.filter(pk=expired.pk).update(correction_expires_at=_ago(1))
    current = make_declaration(name="期限内")
    current.request_changes(by=moderator, message="確認してください。")
    changed = make_declaration(Status.PUBLISHED, name="変更申請あり")
    ChangeRequest.objects.create(declaration=changed, values={})
    make_declaration(Status.PUBLISHED, name="掲載中")

    with django_assert_num_queries(1):
        counts = Declaration.objects.dashboard_counts()

    assert counts["pending"] == 2
    assert counts["pending_old"] == 1
    assert counts["awaiting_applicant"] == 2
    assert counts["correction_expired"] == 1
    assert counts["changes"] == 1
    assert timezone.now() - counts["oldest_pending"] >= datetime.timedelta(days=10)


def test_a_change_request_waits_from_when_it_came_in_not_from_the_original_application():
    changed = make_declaration(Status.PUBLISHED, submitted_at=_ago(400))
    ChangeRequest.objects.create(declaration=changed, values={}, submitted_at=_ago(2))
    new = make_declaration(name="新規", submitted_at=_ago(5))

    rows = list(Declaration.objects.waiting().with_waiting_since().order_by("waiting_since"))

    assert rows == [new, changed]
    assert (timezone.now() - rows[1].waiting_since).days == 2


def test_the_staff_label_tells_an_expired_correction_link_from_a_current_one():
    moderator = make_moderator()
    declaration = make_declaration()
    declaration.request_changes(by=moderator, message="確認してください。")
    assert declaration.staff_status_label == "修正待ち"
    assert declaration.correction_requested_at <= timezone.now()
    Declaration.objects.filter(pk=declaration.pk).update(correction_expires_at=_ago(1))
    declaration.refresh_from_db()
    assert declaration.staff_status_label == "修正待ち（リンク期限切れ）"

"""The CMS's background work on the real queue (django-tasks-db) and the real worker (`run_worker --once`):
an upload returns before its PDF is read, and a page scheduled in the admin goes live by itself."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from core.scheduling.models import ScheduledJob
from pages.search.models import SearchEntry
from pages.search.normalise import parse_query
from pages.search_sources import DOCUMENT, PAGE

from .search_helpers import make_document, make_page, pdf_with_text

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_queue"),
]


@pytest.fixture
def database_queue():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        yield


def run_worker():
    call_command("run_worker", "--once", "--interval", "0")


def public_hits(query):
    # As the search page asks: the query normalised (and folded) the way the index is.
    return set(SearchEntry.objects.public().matching(parse_query(query)).values_list("kind", "object_id"))


def test_an_uploaded_pdf_is_read_by_the_worker_not_in_the_request_and_then_found():
    document = make_document("リーフレット", pdf_with_text(["ヤングケアラー相談窓口のご案内"]))
    # Saved, and the reading of its text waits in the queue.
    assert public_hits("ケアラー") == set()
    assert DBTaskResult.objects.ready().filter(task_path="pages.search.indexing.index_object_task").exists()

    run_worker()
    assert public_hits("ケアラー") == {(DOCUMENT, document.pk)}


def test_the_task_reads_the_object_again_so_a_document_deleted_meanwhile_leaves_no_entry():
    document = make_document("消える資料", pdf_with_text(["見守り活動"]))
    run_worker()
    assert public_hits("見守り") == {(DOCUMENT, document.pk)}
    # Renamed, then deleted before the worker got to the rename.
    document.title = "改名した資料"
    document.save()
    document.delete()
    run_worker()
    assert not SearchEntry.objects.filter(kind=DOCUMENT, object_id=document.pk).exists()


def test_a_page_scheduled_for_publishing_goes_live_when_the_worker_runs():
    page = make_page("予約公開のお知らせ", "あったかふれあいセンターの行事", live=False)
    # What the admin's 公開を予約 does: publish a revision with a go-live time in the future.
    page.go_live_at = timezone.now() + timedelta(minutes=2)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    run_worker()
    assert not Page.objects.get(pk=page.pk).live

    # Two minutes later: the go-live time (in the revision and its approval) is now in the past.
    past = timezone.now() - timedelta(seconds=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    ScheduledJob.objects.filter(name="pages.publish_scheduled").update(next_run_at=timezone.now())
    run_worker()
    assert Page.objects.get(pk=page.pk).live
    # Published through Wagtail's own publish, so the public search finds it too.
    assert (PAGE, page.pk) in public_hits("ふれあい")

"""Retention (APPI): rejected and withdrawn applications lose their personal data and logo after the
retention period; the declaration row stays for the audit trail."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings

from core import scheduling
from declarations import retention
from declarations.logos import logo_storage
from declarations.models import PRIVATE_FIELDS, OutboundEmail, Status

from .factories import PRIVATE_VALUES, days_ago, form_data, make_declaration, png_file

pytestmark = pytest.mark.django_db


def ended(status, decided_days_ago, **fields):
    declaration = make_declaration(status, decided_at=days_ago(decided_days_ago), logo=png_file(), **fields)
    assert logo_storage().exists(declaration.logo.name)
    OutboundEmail.objects.create(declaration=declaration, to=declaration.email, subject="却下", body="山田 花子 様")
    return declaration


def private_values(declaration):
    declaration.refresh_from_db()
    return {field: getattr(declaration, field) for field in PRIVATE_FIELDS}


@override_settings(DECLARATIONS_RETENTION_DAYS=365)
def test_personal_data_logo_and_mail_of_applications_ended_longer_ago_than_the_period_are_erased(
    django_capture_on_commit_callbacks,
):
    rejected = ended(Status.REJECTED, 400)
    withdrawn = ended(Status.WITHDRAWN, 366, name="株式会社よさこい")
    recent = ended(Status.REJECTED, 300)
    published = make_declaration(Status.PUBLISHED, decided_at=days_ago(800), logo=png_file())
    files = {d.pk: d.logo.name for d in (rejected, withdrawn, recent, published)}

    with django_capture_on_commit_callbacks(execute=True):
        result = retention.purge_expired()

    assert result["declarations"] == sorted([rejected.pk, withdrawn.pk])
    for declaration in (rejected, withdrawn):
        assert private_values(declaration) == dict.fromkeys(PRIVATE_FIELDS, "")
        # The record stays: who it was, what was decided and when.
        assert declaration.reference_number and declaration.name and declaration.decided_at
        assert declaration.status in (Status.REJECTED, Status.WITHDRAWN)
        assert declaration.logo.name == ""
        assert not logo_storage().exists(files[declaration.pk])
        assert not OutboundEmail.objects.filter(declaration=declaration).exists()
    # Within the period, or still on the register: untouched.
    assert private_values(recent) == PRIVATE_VALUES
    assert logo_storage().exists(files[recent.pk])
    assert OutboundEmail.objects.filter(declaration=recent).count() == 1
    assert private_values(published) == PRIVATE_VALUES
    assert logo_storage().exists(files[published.pk])


def test_a_second_run_erases_nothing_more_and_logs_ids_not_personal_data(caplog, django_capture_on_commit_callbacks):
    rejected = ended(Status.REJECTED, settings.DECLARATIONS_RETENTION_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.purge_expired()["declarations"] == [rejected.pk]
    assert retention.purge_expired() == {"declarations": [], "logos": 0, "emails": 0}
    logged = caplog.text
    assert str(rejected.pk) in logged
    for value in PRIVATE_VALUES.values():
        assert value not in logged


def test_sent_mail_older_than_the_period_is_deleted_whatever_the_application_became():
    published = make_declaration(Status.PUBLISHED)
    old = OutboundEmail.objects.create(declaration=published, to=published.email, subject="受付", body="様")
    new = OutboundEmail.objects.create(declaration=published, to=published.email, subject="承認", body="様")
    OutboundEmail.objects.filter(pk=old.pk).update(sent_at=days_ago(settings.DECLARATIONS_RETENTION_DAYS + 1))
    OutboundEmail.objects.filter(pk=new.pk).update(sent_at=days_ago(1))
    retention.purge_expired()
    assert list(OutboundEmail.objects.all()) == [new]


def test_the_purge_runs_daily_through_the_worker(django_capture_on_commit_callbacks):
    jobs = {job.name: job for job in scheduling.jobs()}
    assert jobs["declarations.purge_expired_applications"].interval == timedelta(days=1)
    assert jobs["scheduling.clear_sessions"].interval == timedelta(days=1)
    rejected = ended(Status.REJECTED, settings.DECLARATIONS_RETENTION_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        jobs["declarations.purge_expired_applications"].task.enqueue()
    assert private_values(rejected)["email"] == ""


def test_an_abandoned_application_draft_expires_and_is_deleted_well_inside_the_retention_period(client):
    client.post("/declarations/apply/", form_data())
    session = Session.objects.get()
    assert "jiro@kuroshio.example.jp" in str(session.get_decoded())
    retention_period = timedelta(days=settings.DECLARATIONS_RETENTION_DAYS)
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) + timedelta(days=1) < retention_period

    # Once its session has expired, the daily clearsessions deletes the draft.
    Session.objects.filter(pk=session.pk).update(expire_date=days_ago(1))
    [job] = [job for job in scheduling.jobs() if job.name == "scheduling.clear_sessions"]
    job.task.enqueue()
    assert not Session.objects.exists()

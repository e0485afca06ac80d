"""Applications are deleted, mails and all, once their event is over by more than the retention period."""

import datetime
import os

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from ..models import ApplicationEmail, EventApplication
from ..retention import purge_expired
from .factories import make_open_event, submit

pytestmark = pytest.mark.django_db


@override_settings(EVENT_APPLICATIONS_RETENTION_DAYS=30)
def test_applications_of_an_event_over_for_longer_than_the_period_are_deleted_with_their_mail():
    old = make_open_event(slug="old")
    kept = make_open_event(slug="recent")
    submit(old)
    submit(kept)
    after_old = timezone.now() + datetime.timedelta(days=14 + 31)
    type(kept).objects.filter(pk=kept.pk).update(start_date=timezone.localdate(after_old) - datetime.timedelta(days=5))

    result = purge_expired(now=after_old)

    assert result["applications"] == 1
    assert list(EventApplication.objects.values_list("event__slug", flat=True)) == ["recent"]
    assert not ApplicationEmail.objects.filter(application__event__slug="old").exists()
    assert purge_expired(now=after_old) == {"applications": 0, "emails": 0}


def test_nothing_is_deleted_before_the_period_ends():
    event = make_open_event()
    submit(event)
    assert purge_expired()["applications"] == 0
    assert EventApplication.objects.count() == 1


@override_settings(EVENT_APPLICATIONS_RETENTION_DAYS=45)
def test_the_privacy_policy_states_the_period_from_the_setting_and_what_the_form_collects(client):
    call_command("load_initial_content", stdout=open(os.devnull, "w"))
    html = client.get("/privacy/").content.decode()
    assert "行事の最終日から45日を過ぎたものを自動で削除します" in html
    assert "行事の参加申込みフォーム" in html
    assert "<li>配慮の申出</li>" in html

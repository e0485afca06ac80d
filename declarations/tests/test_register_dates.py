"""The register shows its 更新日: the last time an entry appeared on it or left it."""

import datetime

import pytest
from django.utils import timezone

from declarations.models import Status

from .factories import make_declaration

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def test_the_register_shows_the_date_of_its_last_published_change(client):
    make_declaration(Status.PUBLISHED, decided_at=at(2024, 4, 1))
    make_declaration(Status.WITHDRAWN, decided_at=at(2024, 6, 3))
    # Waiting or rejected applications never changed the register.
    make_declaration(Status.REJECTED, decided_at=at(2025, 1, 9))
    make_declaration(Status.PENDING)
    html = client.get("/declarations/").content.decode()
    assert '<dt>更新日</dt><dd><time datetime="2024-06-03">令和6年6月3日</time></dd>' in html


def test_an_empty_register_shows_no_update_date(client):
    assert "更新日" not in client.get("/declarations/").content.decode()

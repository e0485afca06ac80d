"""/health/ for the load balancer: 200 or 503, JSON, no secrets, never a 500."""

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from declarations.models import OutboundEmail

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
    }
}


def test_a_healthy_site_answers_200_with_each_check(client):
    from core.scheduling.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(worker_id="test", started_at=timezone.now(), seen_at=timezone.now())
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "cache", "disk", "mail_outbox", "worker"} <= set(body["checks"])
    assert all(check["ok"] for check in body["checks"].values())


def test_the_load_balancer_may_ask_by_address_over_plain_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kyosei.example.jp"]
    response = Client(HTTP_HOST="10.0.0.5:8000").get("/health/")
    assert response.status_code == 200


def test_with_the_cache_down_the_site_stays_in_service_and_says_so():
    # Pages are served without Redis (core/cache.py), so the load balancer must not take every
    # server out at once; the check reports the outage for people.
    with override_settings(CACHES=CLOSED_PORT_REDIS):
        response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["critical"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "127.0.0.1:9" not in response.content.decode()  # no addresses, passwords or tracebacks


def test_the_worker_heartbeat_is_reported_without_taking_the_site_out_of_service(client):
    from core.scheduling.models import WorkerHeartbeat

    body = client.get("/health/").json()
    assert body["checks"]["worker"] == {
        "ok": False,
        "detail": "no worker has run",
        "ms": body["checks"]["worker"]["ms"],
        "critical": False,
    }
    WorkerHeartbeat.objects.create(worker_id="test", started_at=timezone.now(), seen_at=timezone.now())
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["ok"] is True


def test_mail_stuck_in_the_outbox_is_reported_but_the_site_stays_in_service(client):
    old = OutboundEmail.objects.create(to="a@example.jp", subject="受付", body="本文")
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    OutboundEmail.objects.create(to="b@example.jp", subject="受付", body="本文")  # just written: in flight

    response = client.get("/health/")

    assert response.status_code == 200
    outbox = response.json()["checks"]["mail_outbox"]
    assert outbox == {"ok": False, "detail": "1 unsent", "ms": outbox["ms"], "critical": False}
    assert "a@example.jp" not in response.content.decode()


def test_too_little_free_disk_takes_the_site_out(client, settings):
    settings.HEALTH_MIN_FREE_DISK_MB = 10**12
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["ok"] is False


def test_the_health_check_is_not_in_robots_or_the_sitemap(client):
    from pages.tests.factories import make_home

    make_home()
    assert "/health/" not in client.get("/sitemap.xml").content.decode()
    assert "/health/" not in client.get("/robots.txt").content.decode()

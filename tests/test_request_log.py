"""One log line per request with a request id, which every log line written meanwhile carries too."""

import logging

import pytest

from core.request_log import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())

    def get(name="kochi_kyosei.request"):
        return [record for record in caplog.records if record.name == name]

    return get


def test_each_request_gets_an_id_in_the_response_and_one_log_line(client, lines):
    response = client.get("/declarations/register.json")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = lines()
    assert line.request_id == request_id
    assert line.getMessage().startswith("GET /declarations/register.json 200 ")
    assert client.get("/declarations/register.json")["X-Request-ID"] != request_id


def test_a_sane_id_from_the_proxy_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/robots.txt", HTTP_X_REQUEST_ID="lb-4f2a9c01")["X-Request-ID"] == "lb-4f2a9c01"
    strange = client.get("/robots.txt", HTTP_X_REQUEST_ID="x\nforged log line")["X-Request-ID"]
    assert strange != "x\nforged log line" and len(strange) == 32


def test_lines_written_during_the_request_carry_its_id(client, lines):
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    [failure] = lines("kochi_kyosei.staff")
    assert failure.request_id == response["X-Request-ID"]


def test_the_correction_links_secret_and_search_words_are_not_logged(client, lines):
    client.get("/declarations/correction/s3cr3t-token-value/")
    client.get("/search/", {"q": "山田花子"})
    messages = [line.getMessage() for line in lines()]
    assert messages[0].startswith("GET /declarations/correction/<str:token>/ ")
    assert messages[1].startswith("GET /search/ ")
    assert "s3cr3t" not in " ".join(messages) and "山田" not in " ".join(messages)

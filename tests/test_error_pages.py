"""Requests the site refuses get a short Japanese page, never Django's bare English one or an empty body:
400 for what Django finds suspicious (a Host header not ours, too many parameters), 405 for a method the
address does not take, with the Allow header saying which it does."""

import pytest

from pages.tests.factories import make_home

pytestmark = pytest.mark.django_db

BAD_REQUEST = "リクエストを処理できません"
NOT_ALLOWED = "この方法では利用できません"


@pytest.fixture
def home():
    return make_home()


def page(response):
    return response.content.decode()


def test_a_host_header_that_is_not_ours_gets_the_japanese_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    text = page(response)
    assert f"<title>{BAD_REQUEST}｜" in text and '<html lang="ja">' in text
    assert "トップページへ戻る" in text
    assert "Bad Request" not in text


def test_too_many_parameters_get_the_japanese_400_page(client, settings):
    query = "&".join(f"f{number}=1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.get(f"/search/?q=x&{query}")

    assert response.status_code == 400
    assert BAD_REQUEST in page(response)


@pytest.mark.parametrize(
    "path",
    [
        "/declarations/register.csv",
        "/declarations/register.json",
        "/centres/centres.csv",
        "/centres/centres.json",
        "/feeds/atom.xml",
        "/feeds/events.ics",
        "/search/",
        "/",
    ],
)
@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
def test_trace_connect_and_unknown_methods_are_refused_everywhere(client, home, path, method):
    response = client.generic(method, path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    text = page(response)
    assert NOT_ALLOWED in text and f"（{method}）" in text
    assert "GET、HEAD、OPTIONS、POST" in text


def test_trace_is_refused_in_the_admin_too(client):
    response = client.generic("TRACE", "/admin/login/")
    assert response.status_code == 405
    assert NOT_ALLOWED in page(response)


@pytest.mark.parametrize(
    "path",
    [
        "/declarations/register.csv",
        "/declarations/register.json",
        "/centres/centres.csv",
        "/centres/centres.json",
        "/feeds/atom.xml",
        "/feeds/events.ics",
    ],
)
def test_the_downloads_and_feeds_take_get_and_head_only(client, path):
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200

    response = client.post(path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "利用できる方法：GET、HEAD。" in page(response)


def test_a_view_without_post_answers_the_japanese_405_with_its_allow_header(client):
    response = client.post("/search/", {"q": "居場所"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert NOT_ALLOWED in page(response)
    assert client.get("/search/", {"q": "居場所"}).status_code == 200

"""HTML and open data go out gzip-compressed to browsers that accept it; pages that hold one person's
data (the application's steps, the correction link, the admin) never are (BREACH, see settings/base.py)."""

import gzip

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("path", ["/declarations/", "/declarations/register.json", "/no-such-page/"])
def test_public_responses_are_gzipped_and_decode_to_the_same_body(client, path):
    plain = client.get(path)
    compressed = client.get(path, **GZIP)

    assert compressed["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(compressed)
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)


def test_register_page_decodes_to_the_page(client):
    response = client.get("/declarations/", **GZIP)

    html = gzip.decompress(response.content).decode()
    assert "<h1>宣言企業・団体一覧</h1>" in html
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Content-Length"]) == len(response.content)


def test_a_browser_that_does_not_accept_gzip_gets_plain_html(client):
    response = client.get("/declarations/")

    assert not response.has_header("Content-Encoding")
    assert "accept-encoding" in vary(response)
    assert "<h1>宣言企業・団体一覧</h1>" in response.content.decode()


def test_the_application_form_is_never_compressed(client):
    # Its steps carry the applicant's private data and a CSRF token beside what the person typed.
    response = client.get("/declarations/apply/", **GZIP)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "推進宣言の申請" in response.content.decode()


def test_the_admin_is_never_compressed(client):
    # Staff pages show applicants' private data beside search terms taken from the address.
    user = get_user_model().objects.create_superuser("staff", "staff@example.jp", "a-long-test-password")
    client.force_login(user)

    for path in ["/admin/", "/admin/declarations/?q=test", "/admin/login/"]:
        response = client.get(path, **GZIP, follow=True)
        assert response.status_code == 200, path
        assert not response.has_header("Content-Encoding"), path

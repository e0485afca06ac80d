"""The site's error pages in the language of the address (issue 24): a request to /en/… that is refused gets
the English page, one to /easy/… the やさしい日本語 one, and every other address the Japanese page it always
had. The language comes from the path alone, as for every page (core/locale.py); the 400, 405, 408, 413
and 500 pages still render without the request or the database."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from core import limits
from core.request_body import ReceiveBodyFirst
from core.sizes import format_file_size
from pages.tests.factories import make_home

pytestmark = pytest.mark.django_db


def broken(request):
    raise ValueError("a bug, not an outage")


def forbidden(request):
    raise PermissionDenied("the reason is not shown")


# The failing views at a Japanese, an English and a やさしい日本語 address.
urlpatterns = [
    path(f"{prefix}{name}/", view)
    for prefix in ("", "en/", "easy/")
    for name, view in (("broken", broken), ("forbidden", forbidden))
]
handler403 = "kochi_kyosei.errors.permission_denied"
handler500 = "kochi_kyosei.errors.server_error"


def text(response):
    return response.content.decode() if hasattr(response, "content") else response


def lang_of(html):
    return re.search(r'<html lang="([^"]+)"', html)[1]


def title_of(html):
    return re.search(r"<title>(.*?)｜", html)[1]


@pytest.fixture
def home():
    return make_home()


@pytest.mark.parametrize(
    ("prefix", "language", "title", "home_link"),
    [
        ("", "ja", "リクエストを処理できません", '<a href="/">トップページへ戻る</a>'),
        ("/en", "en", "The request could not be processed", '<a href="/en/">Go to the home page</a>'),
        ("/easy", "ja-x-easy", "うけつけられませんでした", '<a href="/easy/">トップページへ もどる</a>'),
    ],
)
def test_a_host_header_not_ours_gets_the_400_page_in_the_addresss_language(client, prefix, language, title, home_link):
    html = text(client.get(prefix + "/about/", HTTP_HOST="evil.example"))

    assert lang_of(html) == language
    assert title_of(html) == title
    assert home_link in html


def test_the_english_400_page_names_the_site_and_the_skip_link_in_english(client):
    html = text(client.get("/en/", HTTP_HOST="evil.example"))

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert "Kochi-ke Community Symbiosis" in html
    assert "本文へ移動" not in html


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/search/", "ja", "利用できる方法：GET、HEAD、OPTIONS、POST。"),
        ("/en/search/", "en", "Methods it accepts: GET, HEAD, OPTIONS, POST."),
        ("/easy/search/", "ja-x-easy", "つかえる やりかた：GET、HEAD、OPTIONS、POST。"),
    ],
)
def test_a_method_the_site_refuses_gets_the_405_page_in_the_addresss_language(client, home, path, language, expected):
    response = client.generic("TRACE", path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert lang_of(text(response)) == language
    assert expected in text(response)


def test_a_view_without_post_answers_the_english_405_with_its_allow_header(client, home):
    response = client.post("/en/search/", {"q": "community"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "This address cannot be used with the method that was sent (POST)." in text(response)


def refused_body(path):
    """What the WSGI layer answers a body over the limit sent to `path` (before Django sees the request)."""
    answered = {}

    def start_response(status, headers):
        answered["status"] = status

    def django(environ, start_response):
        raise AssertionError("a body over the limit must not reach Django")

    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_LENGTH": str(limits.REQUEST_BODY_MAX_SIZE + 1)}
    body = b"".join(ReceiveBodyFirst(django)(environ, start_response)).decode()
    return answered["status"], body


@pytest.mark.parametrize(
    ("path", "language", "sentence"),
    [
        ("/feedback/", "ja", "一度に送信できるのは{limit}までです。"),
        ("/en/feedback/", "en", "At most {limit} can be sent at once."),
        ("/easy/feedback/", "ja-x-easy", "1回に おくれるのは {limit}までです。"),
    ],
)
def test_a_body_over_the_limit_gets_the_413_page_in_the_addresss_language(path, language, sentence):
    status, html = refused_body(path)

    assert status.startswith("413")
    assert lang_of(html) == language
    assert sentence.format(limit=format_file_size(limits.REQUEST_BODY_MAX_SIZE)) in html


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/broken/", "ja", "ただいまページを表示できません"),
        ("/en/broken/", "en", "The page cannot be shown right now"),
        ("/easy/broken/", "ja-x-easy", "いまは ページを 見られません"),
    ],
)
def test_a_bug_gets_the_static_500_page_in_the_addresss_language(path, language, heading):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 500
    html = text(response)
    assert lang_of(html) == language
    assert f"<h1>{heading}</h1>" in html
    assert "a bug, not an outage" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_refused_permission_gets_the_403_page_in_english_without_the_reason():
    response = Client().get("/en/forbidden/")

    assert response.status_code == 403
    html = text(response)
    assert lang_of(html) == "en"
    assert "<h1>This page cannot be shown</h1>" in html
    assert "the reason is not shown" not in html
    # Japanese at a Japanese address.
    assert "<h1>このページは表示できません</h1>" in text(Client().get("/forbidden/"))


@pytest.mark.parametrize(
    ("path", "language", "heading", "back_home"),
    [
        ("/search/", "ja", "送信できませんでした", "トップページへ戻る"),
        ("/en/search/", "en", "Could not be sent", "Go to the home page"),
        ("/easy/search/", "ja-x-easy", "おくれませんでした", "トップページへ もどる"),
    ],
)
def test_a_refused_csrf_check_gets_the_page_in_the_addresss_language(home, path, language, heading, back_home):
    from pages.tests.test_languages import translate

    translate(home, "en", "Home (sample)")
    translate(home, "ja-x-easy", "トップ（見本）")
    response = Client(enforce_csrf_checks=True).post(path, {"q": "x"})

    assert response.status_code == 403
    html = text(response)
    assert lang_of(html) == language
    assert f"<h1>{heading}</h1>" in html
    home_path = {"ja": "/", "en": "/en/", "ja-x-easy": "/easy/"}[language]
    assert f'<a href="{home_path}">{back_home}</a>' in html

"""A refused CSRF check shows the site's own Japanese page (CSRF_FAILURE_VIEW), with the header, the
contact block and what to do, and loses nothing the flow keeps. The clients here check CSRF as the
production middleware does (enforce_csrf_checks=True)."""

import pytest
from django.test import Client, RequestFactory
from wagtail.models import Site

from declarations.tests.factories import form_data
from declarations.views import DRAFT_KEY
from kochi_kyosei.views import back_to_form_url
from pages.models import ContactSettings

pytestmark = pytest.mark.django_db

APPLY = "/declarations/apply/"
CONFIRM = "/declarations/apply/confirm/"


@pytest.fixture
def site():
    """The contact block every page shows (the rest of the initial content is not needed here)."""
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.department = "高知県 子ども・福祉政策部 地域福祉政策課"
    contact.save()


@pytest.fixture
def browser_client():
    return Client(enforce_csrf_checks=True)


def csrf_token_from(client, url):
    """Open a form as a browser does: the page sets the CSRF cookie that the post must match."""
    assert client.get(url).status_code == 200
    return client.cookies["csrftoken"].value


def html(response):
    return response.content.decode()


def test_a_post_without_a_valid_token_gets_the_sites_japanese_page(site, browser_client):
    csrf_token_from(browser_client, APPLY)

    response = browser_client.post(APPLY, {**form_data(), "csrfmiddlewaretoken": "x" * 32})

    assert response.status_code == 403
    page = html(response)
    assert '<html lang="ja">' in page
    assert "<h1>送信できませんでした</h1>" in page
    assert 'class="site-header"' in page
    assert "お問い合わせ" in page and "地域福祉政策課" in page  # the contact block, as on the 404 page
    assert "クッキー（Cookie）を有効に" in page
    assert f'<a href="{APPLY}">前の画面に戻る</a>' in page
    assert "CSRF" not in page  # no jargon from Django's own page
    assert "no-store" in response["Cache-Control"]


def test_the_application_draft_survives_a_refused_submit(site, browser_client):
    token = csrf_token_from(browser_client, APPLY)
    assert browser_client.post(APPLY, {**form_data(name="株式会社のこる商事"), "csrfmiddlewaretoken": token}).url == (
        CONFIRM
    )

    # The confirm step is sent without the token (say, from a page kept open in another tab).
    response = browser_client.post(CONFIRM, {"action": "submit"})

    assert response.status_code == 403
    page = html(response)
    assert "申請の入力内容は、保存されています" in page
    assert f'<a href="{CONFIRM}">前の画面に戻る</a>' in page
    assert browser_client.session[DRAFT_KEY]["data"]["name"] == ["株式会社のこる商事"]
    assert "株式会社のこる商事" in html(browser_client.get(CONFIRM))


def test_without_the_csrf_cookie_the_page_says_cookies_are_missing(site, browser_client):
    response = browser_client.post("/admin/login/?next=/admin/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    page = html(response)
    assert "送信に必要なクッキーが届いていません" in page
    assert '<a href="/admin/login/?next=/admin/">前の画面に戻る</a>' in page
    assert "申請の入力内容" not in page  # no draft: nothing is promised


def test_the_back_link_never_leaves_the_site():
    request = RequestFactory().post("/")
    request.path = "//evil.example/phish"
    assert back_to_form_url(request) == "/"

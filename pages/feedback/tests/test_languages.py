"""The feedback box on an English or やさしい日本語 page answers in the page's language: the box posts to
/en/feedback/ (/easy/feedback/), and the thanks, a mistake's message, the refusal and the rate limit are in that
language, with links back to the page the answer came from."""

import re

import pytest
from django.test import override_settings

from pages.feedback.models import Feedback
from pages.tests.test_languages import html_lang, translate

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def english(home, content_page):
    translate(home, "en", "Kochi-style Community Symbiosis")
    return translate(content_page, "en", "The Declaration")


@pytest.fixture
def easy(home, content_page):
    translate(home, "ja-x-easy", "高知型 地域共生社会")
    return translate(content_page, "ja-x-easy", "推進宣言")


def box_action(response):
    box = re.search(r'<section class="feedback".*?</section>', response.content.decode(), re.S)[0]
    return re.search(r'<form method="post" action="([^"]+)"', box)[1]


def test_an_answer_from_an_english_page_is_stored_and_thanked_in_english(client, english):
    page = client.get(english.url)
    assert english.url == "/en/declaration/"
    assert box_action(page) == "/en/feedback/"

    response = client.post("/en/feedback/", {"page": english.pk, "rating": "helpful"}, **ORIGIN)

    assert response.status_code == 302
    assert response["Location"] == f"/en/feedback/thanks/?page={english.pk}"
    assert (Feedback.objects.get().page_url, Feedback.objects.get().rating) == ("/en/declaration/", "helpful")
    thanks = client.get(response["Location"])
    body = thanks.content.decode()
    assert html_lang(thanks) == "en"
    assert "<h1>Thank you for your comments</h1>" in body
    assert "We have received your comments on the page “The Declaration”." in body
    assert '<a href="/en/declaration/">Back to “The Declaration”</a>' in body
    assert "ご意見" not in body


def test_a_mistake_on_an_english_page_is_explained_in_english_and_keeps_the_comment(client, english):
    response = client.post("/en/feedback/", {"page": english.pk, "comment": "More photos, please."}, **ORIGIN)

    body = response.content.decode()
    assert response.status_code == 400
    assert html_lang(response) == "en"
    assert "There is 1 error in what you entered" in body
    assert "Rating: Choose one of “Useful”, “Neither” and “Not useful”." in body
    assert "More photos, please.</textarea>" in body
    assert box_action(response) == "/en/feedback/"
    assert not Feedback.objects.exists()


def test_a_comment_too_long_is_counted_in_english(client, english):
    response = client.post("/en/feedback/", {"page": english.pk, "rating": "neutral", "comment": "a" * 2001}, **ORIGIN)

    assert response.status_code == 400
    assert "(now 2001)" in response.content.decode()


def test_a_post_from_elsewhere_is_refused_in_english(client, english):
    response = client.post(
        "/en/feedback/", {"page": english.pk, "rating": "helpful"}, HTTP_ORIGIN="https://evil.example"
    )

    assert response.status_code == 403
    assert "<h1>Your comments could not be accepted</h1>" in response.content.decode()
    assert '<a href="/en/">Go to the home page</a>' in response.content.decode()
    assert not Feedback.objects.exists()


@override_settings(FEEDBACK_RATE_LIMIT=(1, 3600))
def test_the_rate_limit_page_is_in_english(client, english):
    client.post("/en/feedback/", {"page": english.pk, "rating": "helpful"}, **ORIGIN)
    response = client.post("/en/feedback/", {"page": english.pk, "rating": "helpful"}, **ORIGIN)

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "<h1>Please wait a while, then try again</h1>" in response.content.decode()
    assert Feedback.objects.count() == 1


def test_an_answer_from_a_yasashii_nihongo_page_is_thanked_in_yasashii_nihongo(client, easy):
    assert box_action(client.get(easy.url)) == "/easy/feedback/"

    response = client.post("/easy/feedback/", {"page": easy.pk, "rating": "helpful"}, **ORIGIN)

    thanks = client.get(response["Location"])
    assert html_lang(thanks) == "ja-x-easy"
    assert "<h1>いけんを ありがとう ございました</h1>" in thanks.content.decode()
    assert f'<a href="{easy.url}">' in thanks.content.decode()


def test_the_japanese_box_stays_at_its_address(client, content_page):
    assert box_action(client.get("/declaration/")) == "/feedback/"

import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from core import ratelimit
from pages.feedback.models import COMMENT_MAX_LENGTH, Feedback

pytestmark = pytest.mark.django_db

SUBMIT = reverse("feedback:submit")
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def post(client, data, **headers):
    return client.post(SUBMIT, data, **{**ORIGIN, **headers})


def test_the_box_shows_on_a_content_page_with_no_csrf_token_so_a_cached_copy_fits_everyone(client, content_page):
    html = client.get("/declaration/").content.decode()

    box = re.search(r'<section class="feedback".*?</section>', html, re.S).group()
    assert "このページの情報は役に立ちましたか" in box
    assert [label for label in re.findall(r"<label for=\"feedback-rating_\d\">(.*?)</label>", box)] == [
        "役に立った",
        "どちらともいえない",
        "役に立たなかった",
    ]
    assert f'name="page" value="{content_page.pk}"' in box
    assert "個人情報は書かないでください" in box
    assert "csrfmiddlewaretoken" not in box
    assert f'action="{SUBMIT}"' in box


def test_the_home_page_has_the_box_and_takes_answers(client, home):
    assert f'name="page" value="{home.pk}"' in client.get("/").content.decode()
    response = post(client, {"page": home.pk, "rating": "helpful"})
    assert response.status_code == 302
    assert Feedback.objects.get().page_url == "/"


def test_the_box_sets_no_cookie(client, content_page):
    response = client.get("/declaration/")
    assert not response.cookies


def test_an_answer_is_stored_and_the_resident_is_thanked_on_a_page_of_its_own(client, content_page):
    response = post(client, {"page": content_page.pk, "rating": "neutral", "comment": "写真がほしいです。"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('feedback:thanks')}?page={content_page.pk}"
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.page_url) == ("neutral", "写真がほしいです。", "/declaration/")

    thanks = client.get(response["Location"]).content.decode()
    assert "ご意見ありがとうございました" in thanks
    assert 'href="/declaration/"' in thanks
    assert '<span aria-current="page">ご意見ありがとうございました</span>' in thanks
    assert 'class="feedback"' not in thanks


def test_a_missing_rating_shows_the_box_again_with_the_error_and_what_was_typed(client, content_page):
    response = post(client, {"page": content_page.pk, "comment": "文字が小さい"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "入力内容に1件の誤りがあります" in html
    assert 'href="#feedback-rating_0"' in html
    assert "どれかを選んでください" in html
    assert "文字が小さい</textarea>" in html
    assert "入力内容に誤りがあります：" in html  # in the title, so a screen reader hears it first
    assert not Feedback.objects.exists()


def test_a_long_comment_is_refused_with_the_limit_and_nothing_saved(client, content_page):
    response = post(client, {"page": content_page.pk, "rating": "helpful", "comment": "あ" * (COMMENT_MAX_LENGTH + 5)})

    assert response.status_code == 400
    assert f"{COMMENT_MAX_LENGTH}文字以内で入力してください（いまは{COMMENT_MAX_LENGTH + 5}文字です）" in (
        response.content.decode()
    )
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_control_character_is_refused_in_japanese(client, content_page):
    response = post(client, {"page": content_page.pk, "rating": "helpful", "comment": "よい\x1b[31m"})

    assert response.status_code == 400
    assert "制御文字 U+001B" in response.content.decode()
    assert not Feedback.objects.exists()


def test_an_unknown_page_answers_not_found_not_an_error(client, content_page):
    assert post(client, {"page": "99999", "rating": "helpful"}).status_code == 404
    assert post(client, {"page": "x" * 40, "rating": "helpful"}).status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "", "HTTP_REFERER": "https://evil.example/form"},
        {"HTTP_ORIGIN": ""},
    ],
)
def test_a_post_from_another_site_or_of_unknown_origin_is_refused(client, content_page, headers):
    response = post(client, {"page": content_page.pk, "rating": "helpful"}, **headers)

    assert response.status_code == 403
    assert "ご意見を受け付けられませんでした" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_same_site_referer_is_enough_when_the_browser_sends_no_origin(client, content_page):
    response = post(
        client, {"page": content_page.pk, "rating": "helpful"}, HTTP_ORIGIN="", HTTP_REFERER="http://testserver/x/"
    )
    assert response.status_code == 302


@override_settings(CSRF_TRUSTED_ORIGINS=["https://kyosei.example.jp"])
def test_a_trusted_origin_behind_a_proxy_is_accepted(client, content_page):
    response = post(client, {"page": content_page.pk, "rating": "helpful"}, HTTP_ORIGIN="https://kyosei.example.jp")
    assert response.status_code == 302


@override_settings(FEEDBACK_RATE_LIMIT=(2, 3600))
def test_answers_are_limited_per_client_and_the_cache_holds_no_address(client, content_page):
    data = {"page": content_page.pk, "rating": "helpful"}
    assert post(client, data, REMOTE_ADDR="192.0.2.7").status_code == 302
    assert post(client, data, REMOTE_ADDR="192.0.2.7").status_code == 302

    refused = post(client, data, REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "しばらく時間をおいてから" in refused.content.decode()
    assert Feedback.objects.count() == 2
    assert post(client, data, REMOTE_ADDR="192.0.2.8").status_code == 302

    # Counted under a keyed hash of the address, never the address itself.
    hashed = ratelimit.hashed_address_key(RequestFactory().post(SUBMIT, REMOTE_ADDR="192.0.2.7"))
    assert "192.0.2" not in hashed
    assert cache.get(f"feedback:ratelimit:{hashed}") == 3


def test_the_box_on_a_page_of_its_own_for_a_get(client, content_page):
    response = client.get(SUBMIT, {"page": content_page.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "「高知家地域共生社会推進宣言」へのご意見" in html
    assert '<meta name="robots" content="noindex">' in html
    assert client.get(SUBMIT).status_code == 404
    assert client.get(SUBMIT, {"page": "abc"}).status_code == 404


def test_the_thanks_page_needs_a_real_page(client, content_page):
    assert client.get(reverse("feedback:thanks"), {"page": "0"}).status_code == 404


def test_robots_stay_out_of_the_form(client, home):
    assert f"Disallow: {SUBMIT}" in client.get("/robots.txt").content.decode()


def test_the_answer_pages_are_not_cached(client, content_page):
    response = post(client, {"page": content_page.pk, "rating": "helpful"})
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

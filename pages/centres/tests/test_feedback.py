"""The 「このページの情報は役に立ちましたか」 box on the directory and on each centre's page."""

import re

import pytest
from django.urls import reverse

from pages.feedback.models import Feedback

from .factories import make_centre

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def box(client, url):
    html = client.get(url).content.decode()
    found = re.search(r'<section class="feedback".*?</section>', html, re.S)
    return found.group() if found else None


def test_the_directory_and_a_centre_carry_the_box(client, home):
    centre = make_centre("東のセンター", key="higashi")
    assert 'name="path" value="/centres/"' in box(client, "/centres/")
    assert 'name="path" value="/centres/higashi/"' in box(client, "/centres/higashi/")
    response = client.post(reverse("feedback:submit"), {"path": "/centres/higashi/", "rating": "neutral"}, **ORIGIN)
    assert response.status_code == 302
    stored = Feedback.objects.get()
    assert (stored.page_title, stored.page_url) == (centre.display_name, "/centres/higashi/")


def test_a_centre_that_is_not_there_shows_the_not_found_page_without_a_box(client, home):
    response = client.get("/centres/nowhere/")
    assert response.status_code == 404
    assert 'class="feedback"' not in response.content.decode()
    response = client.post(reverse("feedback:submit"), {"path": "/centres/nowhere/", "rating": "neutral"}, **ORIGIN)
    assert response.status_code == 404

"""The 「このページの情報は役に立ちましたか」 box on the register and its entries (registered from this app)."""

import re

import pytest
from django.urls import reverse

from pages.feedback.models import Feedback
from pages.tests.factories import make_home

from ..models import Status
from .factories import make_declaration, make_moderator

pytestmark = pytest.mark.django_db

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture(autouse=True)
def home(db):
    return make_home()


def box(client, url):
    html = client.get(url).content.decode()
    found = re.search(r'<section class="feedback".*?</section>', html, re.S)
    return found.group() if found else None


def test_the_register_and_an_entry_carry_the_box_naming_their_address(client):
    entry = make_declaration(Status.PUBLISHED)
    assert 'name="path" value="/declarations/"' in box(client, "/declarations/?q=くろしお")
    assert f'name="path" value="/declarations/{entry.pk}/"' in box(client, f"/declarations/{entry.pk}/")


def test_an_answer_about_an_entry_is_stored_with_its_name_and_address(client):
    entry = make_declaration(Status.PUBLISHED)
    path = f"/declarations/{entry.pk}/"
    response = client.post(reverse("feedback:submit"), {"path": path, "rating": "helpful"}, **ORIGIN)
    assert response.status_code == 302
    stored = Feedback.objects.get()
    assert (stored.page_title, stored.page_url, stored.page_id) == ("株式会社くろしお商会", path, None)
    thanks = client.get(response["Location"]).content.decode()
    assert "「株式会社くろしお商会」のページへのご意見を受け付けました" in thanks
    assert f'href="{path}"' in thanks


def test_a_withdrawn_entry_shows_no_box_and_takes_no_answer(client):
    entry = make_declaration(Status.PUBLISHED)
    entry.withdraw(by=make_moderator(), reason="事業終了のため")
    path = f"/declarations/{entry.pk}/"
    assert box(client, path) is None
    response = client.post(reverse("feedback:submit"), {"path": path, "rating": "helpful"}, **ORIGIN)
    assert response.status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("path", ["/declarations/apply/", "/search/?q=高知"])
def test_forms_and_the_search_carry_no_box(client, path):
    assert box(client, path) is None

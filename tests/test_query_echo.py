"""What a public page echoes of its address (the search box, its title and count, the register's and centres'
filters) holds none of the characters core.text.clean removes: a bidirectional override typed into a
link cannot show the words around it in another order. (/news/'s filters: pages/news/tests/test_views.py.)"""

import re

import pytest

from pages.centres.tests.factories import make_centre
from pages.tests.factories import make_home

pytestmark = pytest.mark.django_db

BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def home():
    return make_home()


@pytest.mark.parametrize("control", BIDI_CONTROLS)
def test_the_search_shows_the_words_without_the_override_in_title_box_and_count(client, home, control):
    response = client.get("/search/", {"q": f"居場所{control}づくり"})

    text = response.content.decode()
    assert "<title>「居場所づくり」の検索結果" in text
    assert 'name="q" value="居場所づくり"' in text
    assert "「居場所づくり」を含むページは見つかりませんでした。" in text
    assert not UNSAFE.search(text)


def test_the_register_keyword_box_shows_the_words_without_the_override(client, home):
    response = client.get("/declarations/", {"q": "\u202eくろしお\u2066商会\u2069"})

    text = response.content.decode()
    assert 'name="q" value="くろしお商会"' in text
    assert not UNSAFE.search(text)


def test_a_centres_filter_with_an_override_is_the_filter_without_it(client, home):
    make_centre("はりまや集いの家", municipality="高知市")
    make_centre("室戸の家", municipality="室戸市")

    response = client.get("/centres/", {"municipality": "高知\u202e市"})

    text = response.content.decode()
    assert "高知市のセンター：1か所" in text
    assert '<option value="高知市" selected>' in text
    assert not UNSAFE.search(text)

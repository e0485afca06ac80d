"""The ふりがな view through the whole middleware stack: its address, the switch, the page cache keeping it
apart and fresh, redirects, and the staff's corrections table."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pages.furigana.models import ReadingCorrection
from pages.models import SectionPage
from pages.tests.factories import make_home, publish

pytestmark = pytest.mark.django_db


def ruby(word, reading):
    return f"<ruby>{word}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>"


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    """Every test here with the page cache and the site frame on (conftest.py's page_cache_on)."""


@pytest.fixture
def section(db):
    home = make_home()
    return publish(home, SectionPage(title="四万十町の行事", slug="about"))


def get(path):
    response = Client().get(path, HTTP_ACCEPT_ENCODING="identity")
    return response, response.content.decode()


def test_the_view_reads_the_site_s_names_and_keeps_its_links_in_the_view(section):
    response, html = get("/furigana/about/")
    assert response.status_code == 200
    assert ruby("四万十", "しまんと") + ruby("町", "ちょう") in html
    assert '<html lang="ja">' in html
    # The switch leaves the view; the site's name, a page link, stays in it.
    assert '<a href="/about/" data-furigana-switch>ふりがなをはずす</a>' in html
    assert '<a href="/furigana/">' in html
    # The head names the plain page (the title has no markup inside).
    assert "<title>四万十町の行事" in html


def test_the_plain_page_offers_the_view_and_has_no_readings(section):
    response, html = get("/about/")
    assert '<a href="/furigana/about/" data-furigana-switch>ふりがなをつける</a>' in html
    assert "<ruby>" not in html


def test_the_page_cache_keeps_each_view_under_its_own_address(section):
    assert get("/about/")[0]["X-Page-Cache"] == "miss"
    response, html = get("/furigana/about/")
    assert response["X-Page-Cache"] == "miss"
    response, html = get("/furigana/about/")
    assert response["X-Page-Cache"] == "hit"
    assert ruby("四万十", "しまんと") in html
    response, html = get("/about/")
    assert response["X-Page-Cache"] == "hit"
    assert "<ruby>" not in html


def test_a_published_change_shows_at_once_in_the_view(section, committed):
    get("/furigana/about/")
    assert get("/furigana/about/")[0]["X-Page-Cache"] == "hit"
    page = section.specific

    def change():
        page.title = "梼原町の行事"
        page.save_revision().publish()

    committed(change)
    response, html = get("/furigana/about/")
    assert response["X-Page-Cache"] == "miss"
    assert ruby("梼原", "ゆすはら") in html
    assert "四万十" not in html


def test_a_staff_correction_wins_and_shows_at_once_on_stored_pages(section, committed):
    get("/furigana/about/")
    assert get("/furigana/about/")[0]["X-Page-Cache"] == "hit"
    committed(lambda: ReadingCorrection.objects.create(word="四万十町", reading="しまんとまち"))
    response, html = get("/furigana/about/")
    assert response["X-Page-Cache"] == "miss"
    assert ruby("町", "まち") in html


def test_a_redirect_stays_in_the_view(section):
    response = Client().get("/furigana/about")
    assert response.status_code == 301
    assert response["Location"] == "/furigana/about/"
    assert Client().get("/furigana")["Location"] == "/furigana/"


def test_files_and_the_admin_have_no_view(section):
    assert Client().get("/furigana/admin/").status_code == 404


def test_the_programme_s_name_is_read_as_the_prefecture_reads_it(section, committed):
    # The first correction (data/corrections.toml, migration 0002): 高知家 is こうちけ.
    page = section.specific

    def change():
        page.title = "高知家地域共生社会推進宣言"
        page.save_revision().publish()

    committed(change)
    assert ruby("高知家", "こうちけ") in get("/furigana/about/")[1]


@pytest.mark.parametrize(
    ("word", "reading", "field", "message"),
    [
        ("高知", "コウチ", "reading", "よみはひらがなで入力してください"),
        ("高知", "こうち<b>", "reading", "よみはひらがなで入力してください"),
        ("こうち", "こうち", "word", "漢字を1字以上"),
    ],
)
def test_a_correction_is_refused_with_a_clear_message(db, word, reading, field, message):
    with pytest.raises(ValidationError) as refused:
        ReadingCorrection(word=word, reading=reading).full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_one_reading_per_word(db):
    ReadingCorrection.objects.create(word="四万十", reading="しまんと")
    with pytest.raises(ValidationError) as refused:
        ReadingCorrection(word="四万十", reading="しまんと").full_clean()
    assert "登録済み" in refused.value.message_dict["word"][0]


def test_the_feedback_box_posted_from_the_view_is_stored_and_thanks_in_the_view(section):
    from pages.feedback.models import Feedback

    html = get("/furigana/about/")[1]
    assert 'action="/furigana/feedback/"' in html
    client = Client()
    response = client.post(
        "/furigana/feedback/", {"page": section.pk, "rating": "neutral"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/furigana/feedback/thanks/?page={section.pk}"
    assert Feedback.objects.get().page_url == "/about/"
    thanks = client.get(response["Location"]).content.decode()
    assert "<ruby>" in thanks
    # Back to the page, still in the view.
    assert 'href="/furigana/about/"' in thanks


def test_search_engines_are_sent_to_the_plain_page(section):
    # The view names the plain page as canonical; crawling it would only render every page twice.
    assert "Disallow: /furigana/" in Client().get("/robots.txt").content.decode()
    html = get("/furigana/about/")[1]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical.endswith("/about/")
    assert "/furigana/" not in canonical


def test_a_page_that_cannot_be_annotated_is_served_without_readings(section, monkeypatch):
    from pages.furigana import middleware

    def broken(document, lexicon):
        raise ValueError("a bug in the transform")

    monkeypatch.setattr(middleware, "transform", broken)
    response, html = get("/furigana/about/")
    assert response.status_code == 200
    assert "四万十町の行事" in html
    assert "<ruby>" not in html
    # Not stored: the next request tries again.
    assert response["X-Page-Cache"] == "pass"

"""The page cache (core/page_cache.py) with the English register and directory (issue 24): each language's
list is stored under its own address, and a change to the register makes the English pages fresh exactly as
the Japanese ones: they read Declaration.objects.public() and carry its `register` tag, so an approval or a
withdrawal renders them again and leaves pages that show no entry stored."""

import pytest

from declarations.models import Status
from declarations.tests.factories import make_declaration, make_moderator
from pages.centres.tests.factories import make_centre
from pages.models import ContactSettings, OpenDataSettings
from pages.news.tests.factories import make_article, make_index
from pages.tests.factories import make_home
from tests.test_page_cache import PAGE_HEADER, cached, get, text
from tests.test_page_cache_tags import setup_committed

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def home(db):
    home = make_home()
    # The site's settings rows, which the first request that reads them would make (a change like any other).
    for model in (ContactSettings, OpenDataSettings):
        model.for_site(home.get_site())
    return home


@pytest.fixture
def article(home):
    return make_article(make_index(home), "見守り活動の報告", text="地域の見守り活動について")


@pytest.fixture
def centre(home):
    return make_centre("町のセンター", key="machi", services=["集う"])


def test_each_language_of_the_register_is_stored_apart(home):
    make_declaration(Status.PUBLISHED, name="株式会社はりまや商会")
    japanese = cached("/declarations/")
    english = get("/en/declarations/", HTTP_ACCEPT_LANGUAGE="ja")
    assert english[PAGE_HEADER] == "miss"
    assert '<html lang="en">' in text(english) and "<h1>Register of declarants</h1>" in text(english)
    assert '<html lang="ja">' in text(japanese)
    english = get("/en/declarations/")
    assert english[PAGE_HEADER] == "hit"
    assert "<h1>Register of declarants</h1>" in text(english)
    assert "accept-language" not in english.get("Vary", "").lower()


def test_an_approval_shows_on_the_english_register_at_once_and_leaves_other_pages_stored(article, centre, committed):
    declaration = make_declaration(name="株式会社はりまや商会")
    other = make_declaration(Status.PUBLISHED, name="株式会社よさこい商店")
    moderator = make_moderator()
    other_page = f"/en/declarations/{other.pk}/"
    for path in ("/en/declarations/", "/declarations/", "/en/declarations/?sort=new", "/en/centres/", other_page):
        cached(path)
    cached(article.url)

    setup_committed()
    committed(lambda: declaration.approve(by=moderator))

    for path in ("/en/declarations/", "/declarations/", "/en/declarations/?sort=new"):
        response = get(path)
        assert response[PAGE_HEADER] == "miss", path
        assert "株式会社はりまや商会" in text(response), path
    assert get(f"/en/declarations/{declaration.pk}/").status_code == 200
    # Tagged precisely in English too: pages that show no entry, and another entry's page, stay stored.
    assert get("/en/centres/")[PAGE_HEADER] == "hit"
    assert get(other_page)[PAGE_HEADER] == "hit"
    assert get(article.url)[PAGE_HEADER] == "hit"


def test_a_withdrawal_takes_the_entry_off_the_english_pages_at_once(article, committed):
    declaration = make_declaration(Status.PUBLISHED, name="株式会社よさこい商店")
    moderator = make_moderator()
    assert "株式会社よさこい商店" in text(cached("/en/declarations/"))
    cached(f"/en/declarations/{declaration.pk}/")
    cached(article.url)

    setup_committed()
    committed(lambda: declaration.withdraw(by=moderator, reason="申し出により"))

    assert "株式会社よさこい商店" not in text(get("/en/declarations/"))
    gone = get(f"/en/declarations/{declaration.pk}/")
    assert gone.status_code == 410
    assert "This entry has been taken off the register" in text(gone)
    assert get(article.url)[PAGE_HEADER] == "hit"


def test_an_edit_to_a_centre_is_served_fresh_on_its_english_page(centre, committed):
    assert "月〜金" not in text(cached("/en/centres/machi/"))
    cached("/en/centres/")

    def change():
        centre.opening_days = "月〜金"
        centre.save()

    setup_committed()
    committed(change)

    response = get("/en/centres/machi/")
    assert response[PAGE_HEADER] == "miss"
    assert '<dt>Opening days</dt><dd lang="ja">月〜金</dd>' in text(response)
    assert get("/en/centres/")[PAGE_HEADER] == "miss"

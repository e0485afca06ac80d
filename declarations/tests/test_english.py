"""The register in English (issue 24): /en/declarations/ and each entry's /en/declarations/<id>/ say
everything around the entries in English, keep what declarants wrote as written (marked lang="ja"), filter
and page as the Japanese register does, answer 404 for what is not public, and show no private field. The
application form and the declarant's own links stay Japanese only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.public_address import absolute
from declarations.models import ActivityArea, Municipality, OrganisationType, Status
from pages.feedback.models import Feedback

from .factories import PRIVATE_VALUES, make_declaration

pytestmark = pytest.mark.django_db

REGISTER = "/en/declarations/"


def html(response):
    return response.content.decode()


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', html(response))[1]


def switcher(response):
    """[(language name, href or None for the current one)] as the language switcher shows them."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html(response), re.S)
    if nav is None:
        return []
    items = re.findall(r'<li>(?:<a href="([^"]+)"[^>]*>|<span aria-current="page"[^>]*>)([^<]+)', nav[0])
    return [(name, href or None) for href, name in items]


def alternates(response):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html(response)))


def rows(response):
    """The entries' rows of the register's table."""
    table = re.search(r'<table class="register-table register-table--entries">.*?</table>', html(response), re.S)[0]
    return re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', table, re.S)


@pytest.fixture
def entry(db):
    return make_declaration(
        Status.PUBLISHED,
        name="株式会社はりまや商会",
        name_kana="はりまやしょうかい",
        organisation_type=OrganisationType.COMPANY,
        industry="E",
        municipality=Municipality.objects.get(name="四万十市"),
        areas=ActivityArea.objects.filter(name="子育て支援"),
        declared_on=datetime.date(2023, 11, 9),
        content="地域の子育てを応援します。",
        website="https://harimaya.example.jp/",
    )


# The list ---------------------------------------------------------------------------------------


def test_the_english_register_says_everything_around_the_entries_in_english(client, entry):
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = html(response)
    assert html_lang(response) == "en"
    assert "<h1>Register of declarants</h1>" in page
    assert "<title>Register of declarants｜" in page
    for label in ("Keyword", "Municipality", "Type", "Areas of activity", "Order"):
        assert re.search(rf'<label class="form-field__label" for="id_\w+">{label}</label>', page), label
    assert '<button type="submit" class="button">Show results</button>' in page
    assert "Showing 1 to 1 of 1 entry" in page
    assert '<th scope="col">Date of declaration</th>' in page
    assert "Go to the list (1 entry)" in page
    assert "Declarants by municipality" in page
    # No Japanese heading or label of the Japanese register is left.
    for japanese in ("宣言企業・団体一覧", "この条件で表示する", "全1件中", "所在市町村", "キーワード", "令和5年"):
        assert japanese not in re.sub(r'<[^>]* lang="ja"[^>]*>[^<]*<', "", page), japanese


def test_an_entrys_row_keeps_its_japanese_marked_and_shows_the_type_and_date_in_english(client, entry):
    (row,) = rows(client.get(REGISTER))
    assert f'<a href="/en/declarations/{entry.pk}/" lang="ja">株式会社はりまや商会</a>' in row
    assert '<span lang="ja">四万十市</span>' in row
    assert '<span lang="ja">子育て支援</span>' in row
    assert "<span>Company</span>" in row
    # The date as the site writes it in English (core.era.format_date_in).
    assert "<span>9 November 2023</span>" in row


def test_the_japanese_register_is_unchanged_and_marks_nothing(client, entry):
    response = client.get("/declarations/")
    page = html(response)
    assert html_lang(response) == "ja"
    assert "<h1>宣言企業・団体一覧</h1>" in page
    assert "全1件中 1〜1件を表示" in page
    assert "令和5年11月9日" in page
    assert 'lang="ja"' not in page.split("<main", 1)[1]
    assert f'<a href="/declarations/{entry.pk}/">株式会社はりまや商会</a>' in page


def test_the_filters_work_in_english_and_submit_to_the_english_register(client, entry):
    make_declaration(
        Status.PUBLISHED, name="社会福祉法人よさこい会", organisation_type=OrganisationType.SOCIAL_WELFARE_CORPORATION
    )
    page = html(client.get(REGISTER))
    assert '<form method="get" action="/en/declarations/#results"' in page
    assert '<option value="social_welfare_corporation">Social welfare corporation</option>' in page
    assert '<option value="" selected>All</option>' in page
    # Municipalities and areas are names: kept as written, each marked in Japanese; "All" is English.
    shimanto = Municipality.objects.get(name="四万十市").pk
    assert f'<option value="{shimanto}" lang="ja">四万十市</option>' in page

    response = client.get(REGISTER, {"type": "social_welfare_corporation"})
    assert html_lang(response) == "en"
    assert [d.name for d in response.context["declarations"]] == ["社会福祉法人よさこい会"]
    page = html(response)
    assert '<h2 id="results">Results</h2>' in page
    assert "Go to the results (1 entry)" in page
    assert '<a href="/en/declarations/">Clear all filters</a>' in page

    response = client.get(REGISTER, {"municipality": shimanto})
    assert [d.name for d in response.context["declarations"]] == ["株式会社はりまや商会"]
    response = client.get(REGISTER, {"q": "該当なし"})
    assert "No companies or organisations match these conditions." in html(response)


def test_the_pages_of_a_long_register_are_named_in_english(client):
    for number in range(21):
        make_declaration(Status.PUBLISHED, name=f"株式会社テスト{number:02d}")
    response = client.get(REGISTER, {"page": 2})
    page = html(response)
    assert '<nav class="pagination" aria-label="Pages">' in page
    assert 'rel="prev">Previous page</a>' in page
    assert "Showing 21 to 21 of 21 entries" in page
    assert "<title>Register of declarants (page 2)｜" in page


def test_the_english_register_offers_english_and_japanese_and_keeps_the_filters(client, entry):
    response = client.get(REGISTER, {"type": "company"})
    assert switcher(response) == [("English", None), ("日本語", "/declarations/?type=company")]
    assert switcher(client.get("/declarations/", {"type": "company"})) == [
        ("English", "/en/declarations/?type=company"),
        ("日本語", None),
    ]
    # hreflang names the list itself, as its canonical link does (no query string).
    expected = {
        "en": absolute("/en/declarations/"),
        "ja": absolute("/declarations/"),
        "x-default": absolute("/declarations/"),
    }
    assert alternates(response) == expected
    assert alternates(client.get("/declarations/")) == expected


def test_the_application_form_stays_japanese_and_the_english_register_links_to_it(client, entry):
    page = html(client.get(REGISTER))
    assert '<a class="link-button" href="/declarations/apply/" hreflang="ja">Apply to declare (in Japanese)</a>' in page
    assert client.get("/en/declarations/apply/").status_code == 404
    assert client.get("/en/declarations/register.csv").status_code == 404
    # Reversed on an English page, a Japanese-only view still gives its Japanese address.
    with translation.override("en"):
        assert reverse("declarations:apply") == "/declarations/apply/"
        assert reverse("declarations:register") == "/en/declarations/"
    # やさしい日本語 has no view of the register: its address is not one.
    assert client.get("/easy/declarations/").status_code == 404
    with translation.override("ja-x-easy"):
        assert reverse("declarations:register") == "/declarations/"


# An entry's page --------------------------------------------------------------------------------


def test_an_entrys_english_page_labels_its_fields_in_english_and_keeps_what_was_written(client, entry):
    response = client.get(f"/en/declarations/{entry.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert html_lang(response) == "en"
    assert '<h1 lang="ja">株式会社はりまや商会</h1>' in page
    assert "<title>株式会社はりまや商会 (declarant)｜" in page
    assert '<dt>Reading (furigana)</dt><dd lang="ja">はりまやしょうかい</dd>' in page
    assert "<dt>Date of declaration</dt><dd>9 November 2023</dd>" in page
    assert "<dt>Type</dt><dd>Company</dd>" in page
    assert "<dt>Industry</dt><dd>Manufacturing</dd>" in page
    assert '<dt>Municipality</dt><dd lang="ja">四万十市</dd>' in page
    assert '<dt>Areas of activity</dt><dd lang="ja">子育て支援</dd>' in page
    assert "<dt>Website</dt>" in page
    assert (
        '<h2>Declaration</h2>\n  <div class="declaration__content" lang="ja"><p>地域の子育てを応援します。</p></div>'
        in page
    )
    assert '<a class="back-link" href="/en/declarations/">Back to the register of declarants</a>' in page
    # The breadcrumb: the register in English, the entry's name as written.
    assert '<a href="/en/declarations/">Register of declarants</a>' in page
    assert '<span aria-current="page" lang="ja">株式会社はりまや商会</span>' in page


def test_an_entrys_page_offers_its_other_language(client, entry):
    response = client.get(f"/en/declarations/{entry.pk}/")
    assert switcher(response) == [("English", None), ("日本語", f"/declarations/{entry.pk}/")]
    assert alternates(response) == {
        "en": absolute(f"/en/declarations/{entry.pk}/"),
        "ja": absolute(f"/declarations/{entry.pk}/"),
        "x-default": absolute(f"/declarations/{entry.pk}/"),
    }


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED])
def test_an_entry_not_public_is_not_found_in_english_either(client, status):
    hidden = make_declaration(status, name="非公開の会社")
    for path in (f"/en/declarations/{hidden.pk}/", f"/declarations/{hidden.pk}/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "非公開の会社" not in html(response)
    response = client.get(f"/en/declarations/{hidden.pk}/")
    assert html_lang(response) == "en"
    assert "Page not found" in html(response)
    assert "非公開の会社" not in html(client.get(REGISTER))


def test_a_withdrawn_entry_says_so_in_english(client, entry):
    entry.status = Status.WITHDRAWN
    entry.save()
    response = client.get(f"/en/declarations/{entry.pk}/")
    assert response.status_code == 410
    page = html(response)
    assert "<h1>This entry has been taken off the register</h1>" in page
    assert "はりまや" not in page


def test_no_private_field_appears_on_the_english_pages(client, entry):
    for path in (REGISTER, f"/en/declarations/{entry.pk}/", f"{REGISTER}?q=山田"):
        page = html(client.get(path))
        for value in PRIVATE_VALUES.values():
            assert value not in page, (path, value)


# The sitemap ------------------------------------------------------------------------------------


def test_the_sitemap_lists_the_register_and_each_entry_in_both_languages_with_their_alternates(client, entry):
    hidden = make_declaration(Status.PENDING, name="非公開の会社")
    body = html(client.get("/sitemap.xml"))
    for path in ("/declarations/", f"/declarations/{entry.pk}/"):
        english = absolute("/en" + path)
        japanese = absolute(path)
        for location in (japanese, english):
            url = re.search(rf"<url><loc>{re.escape(location)}</loc>.*?</url>", body, re.S)
            assert url, location
            assert f'<xhtml:link rel="alternate" hreflang="en" href="{english}"/>' in url[0]
            assert f'<xhtml:link rel="alternate" hreflang="ja" href="{japanese}"/>' in url[0]
            assert f'<xhtml:link rel="alternate" hreflang="x-default" href="{japanese}"/>' in url[0]
    assert f"/declarations/{hidden.pk}/" not in body
    assert "/easy/declarations/" not in body


# The feedback box -------------------------------------------------------------------------------


def test_an_answer_from_the_english_register_is_stored_for_its_english_address(client, entry):
    page = html(client.get(REGISTER))
    assert 'name="path" value="/en/declarations/"' in page
    assert "Was the information on this page useful?" in page
    path = f"/en/declarations/{entry.pk}/"
    response = client.post(
        reverse("feedback:submit"), {"path": path, "rating": "helpful"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    stored = Feedback.objects.get()
    # Staff read the entry's name, whatever the language of the page the answer came from.
    assert (stored.page_title, stored.page_url) == ("株式会社はりまや商会", path)

"""The centre directory in English (issue 24): /en/centres/ and each centre's /en/centres/<key>/ say
everything around the centres in English, keep names, addresses, regions and services as written (marked
lang="ja"), filter as the Japanese directory does, and answer 404 for a centre that does not exist."""

import re

import pytest

from core.public_address import absolute

from .factories import make_centre, service

pytestmark = pytest.mark.django_db

LIST = "/en/centres/"


def html(response):
    return response.content.decode()


def main(response):
    page = html(response)
    return page[page.index("<main") : page.index("</main>")]


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', html(response))[1]


def switcher(response):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html(response), re.S)
    if nav is None:
        return []
    items = re.findall(r'<li>(?:<a href="([^"]+)"[^>]*>|<span aria-current="page"[^>]*>)([^<]+)', nav[0])
    return [(name, href or None) for href, name in items]


def alternates(response):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html(response)))


@pytest.fixture
def centres(home):
    return {
        "east": make_centre("東のセンター", kana="ひがし", municipality="室戸市", services=["集う", "相談"]),
        "town": make_centre(
            "町のセンター",
            key="machi",
            kana="まち",
            municipality="高知市",
            services=["集う", "泊まる"],
            opening_days="月〜金",
            step_free="スロープあり",
        ),
    }


def test_the_english_directory_says_everything_around_the_centres_in_english(client, centres):
    response = client.get(LIST)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    page = main(response)
    assert "<h1>Attaka Fureai Centres</h1>" in page
    assert "<title>Attaka Fureai Centres｜" in html(response)
    assert '<h2 id="results">Centres by region and municipality</h2>' in page
    assert "Centres: 2" in page
    # Regions and municipalities are names: kept as written and marked; the words around them English.
    assert '<span lang="ja">安芸</span> region' in page
    assert '<span lang="ja">高知市</span> (1)' in page
    assert '<a class="card__link" href="/en/centres/machi/" lang="ja">町のセンター</a>' in page
    assert 'Services: <span lang="ja">集う・泊まる</span>' in page
    assert '<h2 id="open-data">Open data</h2>' in page
    for japanese in ("地域・市町村別のセンター", "この条件で表示する", "か所", "サービス："):
        assert japanese not in page, japanese


def test_the_filters_work_in_english_and_submit_to_the_english_directory(client, centres):
    page = main(client.get(LIST))
    assert '<form method="get" action="/en/centres/#results"' in page
    assert '<label class="form-field__label" for="id_municipality">Municipality</label>' in page
    assert '<option value="高知市" lang="ja">高知市</option>' in page
    assert '<option value="" selected>All</option>' in page

    stay = service("泊まる")
    response = client.get(LIST, {"municipality": "高知市", "service": stay.pk})
    page = main(response)
    assert html_lang(response) == "en"
    assert '<h2 id="results">Results</h2>' in page
    assert 'Centres in <span lang="ja">高知市</span> offering <span lang="ja">泊まる</span>: 1' in page
    assert "町のセンター" in page and "東のセンター" not in page
    assert '<a href="/en/centres/">Clear all filters</a>' in page

    response = client.get(LIST, {"municipality": "四万十市"})
    assert "No centres match these conditions." in main(response)


def test_a_centres_english_page_labels_its_fields_in_english_and_keeps_what_was_written(client, centres):
    response = client.get("/en/centres/machi/")
    assert response.status_code == 200
    page = main(response)
    assert html_lang(response) == "en"
    assert '<h1 lang="ja">町のセンター</h1>' in page
    assert '<dt>Reading</dt><dd lang="ja">まち</dd>' in page
    assert '<span lang="ja">中央</span> region, <span lang="ja">高知市</span>' in page
    assert '<dt>Opening days</dt><dd lang="ja">月〜金</dd>' in page
    assert '<dt>Services</dt><dd lang="ja">集う・泊まる</dd>' in page
    assert "<h2>Accessibility</h2>" in page
    assert '<dt>Steps</dt><dd lang="ja">スロープあり</dd>' in page
    # What the directory does not know is said in English, not marked Japanese.
    assert "<dt>Wheelchairs</dt><dd>No information</dd>" in page
    assert 'href="/en/centres/?municipality=%E9%AB%98%E7%9F%A5%E5%B8%82#results"' in page
    assert 'Back to the centres in <span lang="ja">高知市</span>' in page
    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', html(response), re.S)[0]
    assert '<a href="/en/centres/">Attaka Fureai Centres</a>' in breadcrumb
    assert '<span aria-current="page" lang="ja">町のセンター</span>' in breadcrumb


def test_the_directory_and_a_centre_offer_english_and_japanese(client, centres):
    response = client.get("/en/centres/machi/")
    assert switcher(response) == [("English", None), ("日本語", "/centres/machi/")]
    assert alternates(response) == {
        "en": absolute("/en/centres/machi/"),
        "ja": absolute("/centres/machi/"),
        "x-default": absolute("/centres/machi/"),
    }
    response = client.get("/centres/", {"municipality": "高知市"})
    assert switcher(response) == [
        ("English", "/en/centres/?municipality=%E9%AB%98%E7%9F%A5%E5%B8%82"),
        ("日本語", None),
    ]


def test_a_centre_that_does_not_exist_is_not_found_in_english(client, centres):
    response = client.get("/en/centres/nowhere/")
    assert response.status_code == 404
    assert html_lang(response) == "en"
    assert "Page not found" in html(response)


def test_the_open_data_stays_japanese_only(client, centres):
    assert client.get("/en/centres/centres.csv").status_code == 404
    page = main(client.get(LIST))
    assert '<a href="/centres/centres.csv">' in page
    # The columns' CSV headers are the file's own; their descriptions are in English.
    assert '<th scope="row" lang="ja">センター名</th><td><code>name</code></td><td>The centre&#x27;s name</td>' in page


def test_the_japanese_directory_is_unchanged_and_marks_nothing(client, centres):
    page = main(client.get("/centres/"))
    assert "<h1>あったかふれあいセンター</h1>" in page
    assert "高知市（1か所）" in page
    assert 'lang="ja"' not in page


def test_the_sitemap_lists_the_directory_and_each_real_centre_in_both_languages(client, centres):
    sample = make_centre("見本のセンター", key="mihon", is_sample=True)
    body = html(client.get("/sitemap.xml"))
    for path in ("/centres/", "/centres/machi/"):
        url = re.search(rf"<url><loc>{re.escape(absolute('/en' + path))}</loc>.*?</url>", body, re.S)
        assert url, path
        assert f'<xhtml:link rel="alternate" hreflang="ja" href="{absolute(path)}"/>' in url[0]
    assert f"/centres/{sample.key}/" not in body

"""/centres/ and a centre's page: what a resident sees, and bad addresses that must not break them."""

import re

import pytest

from .factories import make_centre, service

pytestmark = pytest.mark.django_db


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def centres(home):
    return {
        "east": make_centre("東のセンター", kana="ひがし", municipality="室戸市", services=["集う", "相談"]),
        "town_a": make_centre("町のセンターA", kana="まちa", municipality="高知市", services=["集う"]),
        "town_b": make_centre("町のセンターB", kana="まちb", municipality="高知市", services=["泊まる"]),
        "west": make_centre("西のセンター", kana="にし", municipality="四万十市", services=["送る"]),
    }


@pytest.mark.database
def test_the_list_is_grouped_by_region_and_municipality_with_counts(client, centres):
    html = main(client.get("/centres/"))

    headings = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)
    assert headings[:8] == [
        "地域・市町村別のセンター",
        "安芸地域",
        "室戸市（1か所）",
        "中央地域",
        "高知市（2か所）",
        "幡多地域",
        "四万十市（1か所）",
        "オープンデータ",
    ]
    assert "高幡地域" not in html  # no centre there
    assert f'href="/centres/{centres["town_a"].key}/"' in html
    assert "センター：4か所" in html


def test_filtering_by_municipality_and_service_keeps_the_choices(client, centres):
    html = main(client.get("/centres/", {"municipality": "高知市", "service": service("泊まる").pk}))

    assert "高知市の「泊まる」のあるセンター：1か所" in html
    assert "町のセンターB" in html
    assert "町のセンターA" not in html and "東のセンター" not in html
    assert '<option value="高知市" selected>高知市</option>' in html
    assert f'<option value="{service("泊まる").pk}" selected>泊まる</option>' in html
    assert "条件をすべて解除する" in html


def test_nothing_found_says_so(client, centres):
    html = main(client.get("/centres/", {"municipality": "大川村"}))

    assert "条件に当てはまるセンターはありません。" in html


@pytest.mark.parametrize(
    "query",
    [
        {"municipality": "東京都"},
        {"service": "abc"},
        {"service": "99999999999999999999999"},
        {"municipality": "高知市\x00"},
        {"municipality": ["高知市", "室戸市"], "service": ""},
    ],
)
def test_bad_filter_values_are_ignored_not_an_error(client, centres, query):
    response = client.get("/centres/", query)

    assert response.status_code == 200
    assert "センター：" in main(response)


def test_the_filter_form_has_labels_and_is_a_get_search_form(client, centres):
    html = main(client.get("/centres/"))

    assert '<form method="get" action="/centres/#results" class="filters" role="search"' in html
    assert '<label class="form-field__label" for="id_municipality">市町村</label>' in html
    assert '<label class="form-field__label" for="id_service">サービス</label>' in html


def test_a_centre_page_shows_everything_a_visitor_needs(client, home):
    centre = make_centre(
        "テストの家",
        key="t-house",
        kana="てすとのいえ",
        municipality="須崎市",
        address="須崎市テスト町1-1",
        phone="0889-00-0000",
        opening_days="月曜日〜金曜日",
        opening_hours="9時〜16時",
        step_free="入口にスロープあり",
        wheelchair="車椅子トイレあり",
        parking="5台",
        operator="テスト社協",
        services=["集う", "泊まる"],
    )

    html = main(client.get("/centres/t-house/"))

    assert "<h1>テストの家</h1>" in html
    for text in [
        "てすとのいえ",
        "高幡地域・須崎市",
        "須崎市テスト町1-1",
        '<a href="tel:0889-00-0000">0889-00-0000</a>',
        "月曜日〜金曜日",
        "9時〜16時",
        "集う・泊まる",
        "テスト社協",
        "<dt>段差</dt><dd>入口にスロープあり</dd>",
        "<dt>車椅子</dt><dd>車椅子トイレあり</dd>",
        "<dt>駐車場</dt><dd>5台</dd>",
    ]:
        assert text in html
    assert f'href="{centre.map_url.replace("&", "&amp;")}"' in html
    assert "見本" not in html


def test_a_sample_centre_says_it_is_a_sample_and_links_no_map_or_phone(client, home):
    make_centre("みほんの家", key="s-1", is_sample=True, phone="000-000-0001")

    response = client.get("/centres/s-1/")
    html = main(response)

    assert "<h1>（見本）みほんの家</h1>" in html
    assert "実在のセンターではなく" in html
    assert "openstreetmap" not in html
    assert "<dt>電話番号</dt><dd>000-000-0001</dd>" in html and "tel:" not in html
    assert "<title>（見本）みほんの家（あったかふれあいセンター）" in response.content.decode()


def test_the_page_loads_nothing_from_a_map_service(client, home):
    make_centre("地図の家", key="map-1", latitude="33.5", longitude="133.5")

    html = client.get("/centres/map-1/").content.decode()

    assert not re.search(r'<(script|iframe|img)[^>]+src="https?://', html)
    assert not re.search(r'<link rel="(stylesheet|preload|preconnect)"[^>]+href="https?://', html)


def test_an_unknown_or_malformed_centre_id_is_the_sites_404(client, home):
    assert client.get("/centres/no-such-centre/").status_code == 404
    assert client.get("/centres/%E3%81%82/").status_code == 404


def test_breadcrumbs_lead_back_to_the_list(client, home):
    make_centre("道の家", key="road-1")

    html = client.get("/centres/road-1/").content.decode()

    assert '<a href="/centres/">あったかふれあいセンター</a>' in html
    assert '<span aria-current="page">道の家</span>' in html

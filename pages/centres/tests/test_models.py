"""The directory's rules: names shown, regions, grouping, filtering, the map link, open data's scope."""

import decimal

import pytest
from django.core.exceptions import ValidationError

from core import municipalities
from pages.centres.forms import CentreRowForm
from pages.centres.models import Centre, CentreService, grouped_by_region

from .factories import make_centre, service

pytestmark = pytest.mark.django_db


def test_the_seven_services_are_there_from_the_start_in_the_programmes_order():
    assert list(CentreService.objects.values_list("name", flat=True)) == [
        "集う",
        "訪ねる",
        "泊まる",
        "働く",
        "預かる",
        "送る",
        "相談",
    ]


def test_a_sample_centre_is_shown_with_the_sample_label_once():
    assert make_centre("みほんセンター", is_sample=True).display_name == "（見本）みほんセンター"
    assert make_centre("(見本)みほんセンター", is_sample=True).display_name == "(見本)みほんセンター"
    assert make_centre("本物センター").display_name == "本物センター"


def test_region_comes_from_the_shared_municipality_list():
    assert make_centre(municipality="四万十市").region == "幡多"
    assert make_centre(municipality="安芸市").region == "安芸"
    assert len(municipalities.MUNICIPALITIES) == 34
    assert {m.region for m in municipalities.MUNICIPALITIES} == set(municipalities.REGIONS)


def test_grouping_follows_the_prefectures_order_and_leaves_out_empty_places():
    west = make_centre("西", municipality="四万十市")
    east = make_centre("東", municipality="室戸市")
    town = make_centre("町", municipality="高知市")

    groups = grouped_by_region(Centre.objects.filtered())

    assert groups == [("安芸", [("室戸市", [east])]), ("中央", [("高知市", [town])]), ("幡多", [("四万十市", [west])])]


def test_filtering_by_municipality_and_service():
    gather = make_centre("集うだけ", services=["集う"])
    both = make_centre("集うと泊まる", services=["集う", "泊まる"])
    elsewhere = make_centre("よその町", municipality="須崎市", services=["泊まる"])

    assert list(Centre.objects.filtered(municipality="高知市")) == [gather, both]
    assert set(Centre.objects.filtered(service=service("泊まる"))) == {both, elsewhere}
    assert list(Centre.objects.filtered(municipality="高知市", service=service("泊まる"))) == [both]


def test_map_link_by_coordinates_or_by_address_and_none_for_samples():
    by_coordinates = make_centre(latitude=decimal.Decimal("33.559"), longitude=decimal.Decimal("133.531"))
    by_coordinates.refresh_from_db()  # as stored: six decimal places
    by_address = make_centre(municipality="香美市", address="香美市土佐山田町テスト1")
    short_address = make_centre(municipality="香美市", address="土佐山田町テスト1")

    assert by_coordinates.map_url == (
        "https://www.openstreetmap.org/?mlat=33.559000&mlon=133.531000#map=17/33.559000/133.531000"
    )
    assert by_address.map_url.startswith("https://www.openstreetmap.org/search?query=")
    assert "%E9%AB%98%E7%9F%A5%E7%9C%8C%E9%A6%99%E7%BE%8E%E5%B8%82" in by_address.map_url  # 高知県香美市
    assert short_address.map_url == by_address.map_url
    assert make_centre(is_sample=True).map_url == ""


def test_open_data_leaves_out_samples():
    real = make_centre("本物")
    make_centre("見本", is_sample=True)

    assert list(Centre.objects.open_data()) == [real]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("key", "ａ/b", "センターIDは半角"),
        ("key", "日本語", "センターIDは半角"),
        ("municipality", "東京都", "正しく選択してください"),
        ("phone", "0888230000", "市外局番から"),
        ("kana", "漢字", "ひらがな"),
        ("name", "センター\x07", "制御文字"),
    ],
)
def test_the_form_refuses_bad_values_in_japanese(field, value, message):
    data = {"key": "t-1", "name": "センター", "kana": "せんたー", "municipality": "高知市", "address": "高知市1"}
    data[field] = value

    form = CentreRowForm(data=data)

    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_form_stores_one_spelling():
    form = CentreRowForm(
        data={
            "key": " t-2 ",
            "name": "センター",
            "kana": "センター",
            "municipality": "高知市",
            "address": "高知市１－１",
            "phone": "０８８ー８２３ー００００",
        }
    )

    assert form.is_valid(), form.errors
    centre = form.save()
    assert (centre.key, centre.kana, centre.phone, centre.address) == ("t-2", "せんたー", "088-823-0000", "高知市1-1")


def test_coordinates_come_in_pairs():
    centre = make_centre()
    centre.latitude = decimal.Decimal("33.5")
    with pytest.raises(ValidationError, match="両方"):
        centre.full_clean()

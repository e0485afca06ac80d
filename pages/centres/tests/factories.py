"""Small factories for the directory's tests."""

import itertools

from pages.centres.models import Centre, CentreService

_numbers = itertools.count(1)


def service(name):
    return CentreService.objects.get(name=name)


def make_centre(name="テストセンター", *, services=(), **fields):
    number = next(_numbers)
    fields.setdefault("key", f"test-{number:03d}")
    fields.setdefault("kana", "てすとせんたー")
    fields.setdefault("municipality", "高知市")
    fields.setdefault("address", f"高知市テスト町{number}-1")
    centre = Centre.objects.create(name=name, **fields)
    centre.services.set([service(name) for name in services])
    return centre


HEADER = "センターID,センター名,よみ,市町村,所在地,電話番号,開所日,開所時間,サービス,段差,車椅子,駐車場,運営,緯度,経度"


def csv_text(*rows, header=HEADER):
    return "\r\n".join([header, *rows]) + "\r\n"


ROW_A = (
    "aki-01,あったかテスト東,あったかてすとひがし,安芸市,安芸市テスト町1-1,0887-00-0001,"
    "月〜金,9時〜16時,集う・相談,スロープあり,車椅子トイレあり,3台,テスト法人,,"
)
ROW_B = (
    "kochi-01,あったかテスト中央,アッタカテストチュウオウ,高知市,高知市テスト町2-2,,"
    "火・木,10時〜15時,集う、送る,,,,テスト社協,33.559000,133.531000"
)

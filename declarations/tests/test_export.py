"""The staff CSV export of the register: private fields included, Excel-friendly, moderators only."""

import csv
import datetime
import io

import openpyxl
import pytest

from declarations.models import Status

from .factories import make_declaration, make_moderator

pytestmark = pytest.mark.django_db

EXPORT = "/admin/declarations/"


@pytest.fixture
def moderator(client):
    user = make_moderator()
    client.force_login(user)
    return user


def download(client, **params):
    response = client.get(EXPORT, {"export": "csv", **params})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_csv_starts_with_a_bom_and_has_japanese_headings_and_private_fields(client, moderator):
    make_declaration(status=Status.PUBLISHED, declared_on=datetime.date(2025, 6, 1))

    response, raw = download(client, status="published")

    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel in Japan opens it without mojibake
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    [row] = rows
    assert row["企業・団体名"] == "株式会社くろしお商会"
    assert row["状態"] == "掲載中"
    assert row["所在市町村"] == "高知市"
    assert row["種別"] == "企業"
    assert row["宣言日"] == "2025-06-01"
    assert row["担当者氏名"] == "山田 花子"
    assert row["メールアドレス"] == "hanako@kuroshio.example.jp"
    assert row["電話番号"] == "088-823-9999"
    assert row["取組分野"] == "見守り・声かけ、居場所づくり"


def test_the_register_button_exports_published_declarations_only(client, moderator):
    make_declaration(name="掲載中の団体", status=Status.PUBLISHED)
    make_declaration(name="審査待ちの団体")
    queue = client.get(EXPORT).content.decode()
    assert "掲載中の名簿をCSVで出力" in queue
    assert "?status=published&amp;export=csv" in queue

    _, raw = download(client, status="published")

    names = [row["企業・団体名"] for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))]
    assert names == ["掲載中の団体"]


def test_the_export_follows_the_filters(client, moderator):
    make_declaration(name="高知市の団体")
    make_declaration(name="黒潮町の団体", municipality_name="黒潮町")
    kuroshio = make_declaration(name="黒潮町の別団体", municipality_name="黒潮町").municipality

    _, raw = download(client, municipality=kuroshio.pk)

    names = sorted(row["企業・団体名"] for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert names == ["黒潮町の別団体", "黒潮町の団体"]


def test_text_that_excel_would_run_as_a_formula_is_neutralised(client, moderator):
    make_declaration(name='=HYPERLINK("http://evil.example/","click")', representative_name="@SUM(1+1)")

    _, raw = download(client)

    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["企業・団体名"] == '\'=HYPERLINK("http://evil.example/","click")'
    assert row["代表者氏名"] == "'@SUM(1+1)"


def test_the_xlsx_download_has_the_same_columns(client, moderator):

    make_declaration(status=Status.PUBLISHED)
    response = client.get(EXPORT, {"export": "xlsx", "status": "published"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]
    values = dict(zip(header, row, strict=True))
    assert values["企業・団体名"] == "株式会社くろしお商会"
    assert values["担当者氏名"] == "山田 花子"

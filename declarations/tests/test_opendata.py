"""The register as open data: CSV for Excel and JSON, public fields only."""

import csv
import datetime
import io
import json

import pytest

from declarations.models import ActivityArea, Status

from .factories import make_declaration

pytestmark = pytest.mark.django_db


def csv_rows(client):
    response = client.get("/declarations/register.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Access-Control-Allow-Origin"] == "*"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_a_bom_documented_headers_and_one_row_per_published_declaration(client):
    areas = ActivityArea.objects.filter(name__in=["見守り・声かけ", "居場所づくり"])
    shown = make_declaration(
        Status.PUBLISHED,
        name="株式会社よさこい",
        name_kana="かぶしきがいしゃよさこい",
        industry="E",
        declared_on=datetime.date(2024, 5, 1),
        areas=areas,
    )
    make_declaration(status=Status.PENDING, name="審査中の会社")
    rows = csv_rows(client)
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "番号",
        "企業・団体名",
        "ふりがな",
        "種別",
        "業種",
        "所在市町村",
        "代表者役職",
        "代表者氏名",
        "ホームページ",
        "取組分野",
        "宣言内容",
        "宣言日",
        "詳細ページ",
    ]
    assert row["企業・団体名"] == "株式会社よさこい"
    assert row["種別"] == "企業"
    assert row["業種"] == "製造業"
    assert row["所在市町村"] == "高知市"
    assert row["取組分野"] == "見守り・声かけ、居場所づくり"
    assert row["宣言日"] == "2024-05-01"
    assert row["詳細ページ"] == f"http://testserver/declarations/{shown.pk}/"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client):
    make_declaration(
        Status.PUBLISHED, name='=HYPERLINK("http://evil.example")', content="+1+1", representative_title="@SUM(A1)"
    )
    row = csv_rows(client)[0]
    assert row["企業・団体名"] == '\'=HYPERLINK("http://evil.example")'
    assert row["宣言内容"] == "'+1+1"
    assert row["代表者役職"] == "'@SUM(A1)"


def test_json_has_the_column_documentation_and_the_published_declarations(client):
    area = ActivityArea.objects.get(name="子育て支援")
    make_declaration(Status.PUBLISHED, name="よさこい会", areas=[area], content='<script>alert("x")</script>')
    make_declaration(status=Status.WITHDRAWN, name="取り下げた会社")
    response = client.get("/declarations/register.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert [c["key"] for c in document["columns"]][:3] == ["id", "name", "name_kana"]
    assert all(c["description"] for c in document["columns"])
    [entry] = document["declarations"]
    assert entry["name"] == "よさこい会"
    assert entry["areas"] == ["子育て支援"]
    assert entry["content"] == '<script>alert("x")</script>'  # data, exactly as declared
    assert set(entry) == {c["key"] for c in document["columns"]}


def test_the_register_page_documents_every_open_data_column(client):
    page = client.get("/declarations/").content.decode()
    assert 'href="/declarations/register.csv"' in page
    assert 'href="/declarations/register.json"' in page
    document = json.loads(client.get("/declarations/register.json").content)
    for column in document["columns"]:
        assert f'<th scope="row">{column["name"]}</th><td><code>{column["key"]}</code></td>' in page


def test_open_data_query_count_does_not_grow_with_the_register(client, django_assert_max_num_queries):
    for _ in range(3):
        make_declaration(Status.PUBLISHED, areas=ActivityArea.objects.all()[:2])
    with django_assert_max_num_queries(4):
        client.get("/declarations/register.json")
    for _ in range(60):
        make_declaration(Status.PUBLISHED, areas=ActivityArea.objects.all()[:2])
    with django_assert_max_num_queries(4):
        assert len(json.loads(client.get("/declarations/register.json").content)["declarations"]) == 63

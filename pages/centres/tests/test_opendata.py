"""/centres/centres.csv and .json: public fields only, the site's licence, samples left out."""

import csv
import io
import json

import pytest
from wagtail.models import Site

from pages.centres.models import Centre
from pages.models import OPEN_DATA_LICENCES, OpenDataSettings

from .factories import make_centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(home):
    make_centre("本物のセンター", key="real-1", municipality="安芸市", services=["集う", "相談"], phone="0887-00-0000")
    make_centre('=HYPERLINK("x")', key="real-2", kana="えくせる")
    make_centre("見本のセンター", key="sample-1", is_sample=True)


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_is_utf8_with_bom_and_names_its_licence(client, centres):
    response = client.get("/centres/centres.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Link"] == '<https://www.digital.go.jp/resources/open_data>; rel="license"'
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = read_csv(response)
    assert rows[0][:6] == ["センターID", "センター名", "よみ", "地域", "市町村", "所在地"]
    by_key = {row[0]: row for row in rows[1:]}
    assert set(by_key) == {"real-1", "real-2"}  # the sample is nobody's data
    assert by_key["real-1"][3:5] == ["安芸", "安芸市"]
    assert "集う、相談" in by_key["real-1"]
    assert by_key["real-1"][-1] == "http://testserver/centres/real-1/"
    assert by_key["real-2"][1] == '\'=HYPERLINK("x")'  # a formula is defused


def test_json_has_licence_columns_and_centres(client, centres):
    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    settings.licence = "cc-by-4.0"
    settings.save()

    response = client.get("/centres/centres.json")
    document = json.loads(response.content)

    assert response["Link"] == f'<{OPEN_DATA_LICENCES["cc-by-4.0"].url}>; rel="license"'
    assert document["license"] == {
        "name": OPEN_DATA_LICENCES["cc-by-4.0"].name,
        "url": OPEN_DATA_LICENCES["cc-by-4.0"].url,
    }
    assert [column["key"] for column in document["columns"]][:3] == ["key", "name", "kana"]
    assert [centre["key"] for centre in document["centres"]] == ["real-1", "real-2"]
    assert document["centres"][0]["services"] == ["集う", "相談"]
    assert document["centres"][0]["phone"] == "0887-00-0000"


def test_the_list_page_links_the_files_and_explains_the_columns(client, centres):
    html = client.get("/centres/").content.decode()

    assert 'href="/centres/centres.csv"' in html and 'href="/centres/centres.json"' in html
    assert '<th scope="row">センターID</th><td><code>key</code></td>' in html
    assert "政府標準利用規約（第2.0版）" in html


def test_an_exported_csv_imports_again_unchanged(client, centres, tmp_path):
    from django.core.management import call_command

    Centre.objects.filter(key="real-2").delete()  # its defused formula would come back with the apostrophe
    path = tmp_path / "export.csv"
    path.write_bytes(b"".join(client.get("/centres/centres.csv").streaming_content))
    out = io.StringIO()
    call_command("import_centres", str(path), stdout=out, stderr=io.StringIO())

    assert "追加 0件、更新 0件、変更なし 1件" in out.getvalue()

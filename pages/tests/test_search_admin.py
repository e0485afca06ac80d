"""The Wagtail admin's own search finds Japanese words inside pages and documents, as staff type them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Collection

from pages.search.models import SearchEntry
from pages.search.normalise import parse_query
from pages.search_sources import DOCUMENT

from .search_helpers import make_document, make_page, pdf_with_text

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.jp", "password")
    client.force_login(user)
    return client


def test_page_search_finds_a_word_inside_a_title_and_body(admin_client):
    make_page("高知型地域共生社会とは", "たて糸とよこ糸")
    make_page("研修のご案内", "あったかふれあいセンターの職員向け")
    make_page("お問い合わせ", "電話")

    by_title = admin_client.get("/admin/pages/search/", {"q": "共生"}).content.decode()
    by_body = admin_client.get("/admin/pages/search/", {"q": "ｾﾝﾀｰ"}).content.decode()

    assert "高知型地域共生社会とは" in by_title
    assert "研修のご案内" not in by_title
    assert "研修のご案内" in by_body
    assert "お問い合わせ" not in by_body


def test_page_search_finds_drafts_too(admin_client):
    make_page("下書きの見守りページ", "まだ公開していません", live=False)
    html = admin_client.get("/admin/pages/search/", {"q": "見守り"}).content.decode()
    assert "下書きの見守りページ" in html


def test_page_search_does_not_match_words_apart(admin_client):
    make_page("共に生きる地域", "ともに")
    html = admin_client.get("/admin/pages/search/", {"q": "共生"}).content.decode()
    assert "共に生きる地域" not in html


def test_document_listing_search_finds_a_word_inside_the_pdf(admin_client):
    make_document("リーフレット（令和5年）", pdf_with_text(["ヤングケアラー相談窓口のご案内"]))
    make_document("ポスター", pdf_with_text(["フェスタ"]))
    html = admin_client.get("/admin/documents/", {"q": "ケアラー"}).content.decode()
    assert "リーフレット（令和5年）" in html
    assert "ポスター" not in html


def test_a_pdf_uploaded_in_the_admin_is_found_by_its_inner_text(admin_client):
    upload = SimpleUploadedFile(
        "survey.pdf", pdf_with_text(["意識調査の結果", "8050問題を知っている人は4割"]), "application/pdf"
    )
    response = admin_client.post(
        "/admin/documents/add/",
        {"title": "令和3年度 意識調査", "file": upload, "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="令和3年度 意識調査")
    found = SearchEntry.objects.public().matching(parse_query("８０５０問題"))
    assert list(found.values_list("kind", "object_id")) == [(DOCUMENT, document.pk)]


def test_wagtails_update_index_command_rebuilds_the_site_search():
    page = make_page("ふれあいの広場", "集い")
    SearchEntry.objects.all().delete()
    call_command("update_index", verbosity=0)
    assert list(SearchEntry.objects.public().matching(["ふれあい"]).values_list("object_id", flat=True)) == [page.pk]

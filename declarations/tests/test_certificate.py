"""The 宣言書: issued on approval, read back from the PDF itself with poppler (its text with pdftotext, its
page as pixels with pdftoppm), laid out as a certificate (the site's symbol mark, 高知県知事 and the name
from the setting, the seal's space, no empty lower part, 高知家 never split), the same bytes for the same
text, issued again when the entry's text changes."""

import datetime
import subprocess

import pytest
from django.conf import settings
from django.core.files.storage import storages
from wagtail.models import Site

from declarations import certificate
from declarations.models import CertificateSettings, Declaration, Status

from .factories import make_declaration, make_moderator
from .pdf import bands_without_ink, compact, difference, inked, mark_alone_png, mark_box, pdf_page_png, pdf_text

pytestmark = pytest.mark.django_db


def pdf_fonts(data, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


@pytest.fixture
def approved(db):
    declaration = make_declaration(name="株式会社ひまわり工房", content="毎月、地域の見守り活動に参加します。")
    declaration.approve(by=make_moderator(), declared_on=datetime.date(2026, 11, 30))
    declaration.refresh_from_db()
    return declaration


def test_approval_issues_a_certificate_in_private_storage(approved):
    assert approved.certificate.name.startswith("declarations/certificates/")
    assert approved.certificate.name.endswith(".pdf")
    assert approved.certificate_issued_at is not None
    assert storages["logos"].exists(approved.certificate.name)
    # Not under the public media folder.
    assert not storages["logos"].path(approved.certificate.name).startswith(str(settings.MEDIA_ROOT))


def test_the_certificate_text_is_extractable_with_name_content_era_date_and_issuer(approved, tmp_path):
    text = compact(pdf_text(approved.certificate_pdf(), tmp_path))
    assert "高知家地域共生社会推進宣言書" in text
    assert "株式会社ひまわり工房" in text
    assert "毎月、地域の見守り活動に参加します。" in text
    assert "令和8年11月30日" in text
    assert "高知県" in text
    assert approved.reference_number in text


def test_the_japanese_font_is_embedded_as_a_subset(approved, tmp_path):
    fonts = pdf_fonts(approved.certificate_pdf(), tmp_path)
    line = next(line for line in fonts.splitlines() if "IPAexMincho" in line)
    # emb, sub, uni: embedded, subset, with a ToUnicode map (what makes the text extractable).
    assert line.split()[-5:-2] == ["yes", "yes", "yes"]


def test_the_certificate_is_an_a4_page(approved, tmp_path):
    path = tmp_path / "a4.pdf"
    path.write_bytes(approved.certificate_pdf())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert "595.28 x 841.89 pts (A4)" in info


def test_renaming_a_published_entry_issues_the_certificate_again(approved, tmp_path):
    old_name = approved.certificate.name
    approved.name = "株式会社ひまわり工房ホールディングス"
    approved.save()
    approved.refresh_from_db()
    assert approved.certificate.name != old_name
    text = compact(pdf_text(approved.certificate_pdf(), tmp_path))
    assert "株式会社ひまわり工房ホールディングス" in text


def test_the_replaced_certificate_file_is_deleted(approved, django_capture_on_commit_callbacks):
    old_name = approved.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        approved.content = "新しい宣言内容です。"
        approved.save()
    assert not storages["logos"].exists(old_name)


def test_saving_without_a_text_change_keeps_the_certificate(approved):
    old_name = approved.certificate.name
    approved.website = "https://himawari.example.jp/"
    approved.save()
    approved.refresh_from_db()
    assert approved.certificate.name == old_name


def test_an_unpublished_application_gets_no_certificate_when_edited():
    declaration = make_declaration()
    declaration.name = "株式会社べつの名前"
    declaration.save()
    declaration.refresh_from_db()
    assert not declaration.certificate


def test_the_issuer_is_the_governor_named_in_the_setting_staff_edit(approved, tmp_path):
    setting = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    setting.issuer_name = "試験 太郎"
    setting.save()
    approved.issue_certificate()
    lines = [compact(line) for line in pdf_text(approved.certificate_pdf(), tmp_path).splitlines()]
    assert "高知県知事試験太郎" in lines


def test_until_staff_name_the_governor_the_certificate_says_the_name_is_not_set(approved, tmp_path):
    assert CertificateSettings.current_issuer() == ("高知県知事", "（氏名未設定）")
    assert "高知県知事（氏名未設定）" in compact(pdf_text(approved.certificate_pdf(), tmp_path))


@pytest.mark.database
def test_the_migration_splits_an_office_and_name_typed_into_the_old_single_field():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("declarations.migrations.0010_certificate_issuer_name")
    site = Site.objects.get(is_default_site=True)
    CertificateSettings.objects.create(site=site, issuer="高知県知事 試験 太郎", issuer_name="（氏名未設定）")
    migration.split_issuer(apps, None)
    setting = CertificateSettings.objects.get(site=site)
    assert (setting.issuer, setting.issuer_name) == ("高知県知事", "試験 太郎")

    setting.issuer, setting.issuer_name = "高知県", "（氏名未設定）"
    setting.save()
    migration.split_issuer(apps, None)
    setting.refresh_from_db()
    assert (setting.issuer, setting.issuer_name) == ("高知県知事", "（氏名未設定）")


def test_an_entry_imported_without_a_certificate_gets_one_on_first_download(tmp_path):
    declaration = make_declaration(status=Status.PUBLISHED, name="社会福祉法人やまびこ会")
    assert not declaration.certificate
    text = compact(pdf_text(declaration.certificate_pdf(), tmp_path))
    assert "社会福祉法人やまびこ会" in text
    declaration.refresh_from_db()
    assert declaration.certificate


def test_withdrawal_deletes_the_certificate(approved, django_capture_on_commit_callbacks):
    name = approved.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        approved.withdraw(by=make_moderator("other"), reason="事業を終了したため")
    approved.refresh_from_db()
    assert not approved.certificate
    assert not storages["logos"].exists(name)


def test_a_long_content_still_renders_every_character(tmp_path):
    text = certificate.CertificateText(
        reference_number="KS-TEST-0001",
        name="一般社団法人" + "あ" * 90,
        representative="理事長 高知 花子",
        content="見守り" * 266,
        declared_on=datetime.date(2019, 5, 1),
        issued_on=datetime.date(2019, 5, 1),
        issuer="高知県知事",
        issuer_name="試験 太郎",
    )
    data = certificate.render(text)
    extracted = compact(pdf_text(data, tmp_path))
    assert extracted.count("見守り") == 266
    assert "令和元年5月1日" in extracted
    assert "高知県知事試験太郎" in extracted


def certificate_text(**overrides):
    return certificate.CertificateText(
        **{
            "reference_number": "KS-TEST-0002",
            "name": "株式会社高知家ひまわり工房",
            "representative": "代表取締役 高知 花子",
            "content": "毎月、地域の見守り活動に参加します。",
            "declared_on": datetime.date(2026, 11, 30),
            "issued_on": datetime.date(2026, 11, 30),
            "issuer": "高知県知事",
            "issuer_name": "試験 太郎",
            **overrides,
        }
    )


def test_the_longest_declaration_the_form_accepts_still_fits_one_sheet(tmp_path):
    from declarations.models import CONTENT_MAX_LENGTH

    path = tmp_path / "longest.pdf"
    path.write_bytes(certificate.render(certificate_text(content="見守り" * (CONTENT_MAX_LENGTH // 3))))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert "Pages:           1" in info


def test_the_same_text_gives_the_same_bytes_whenever_it_is_drawn(monkeypatch):
    from fpdf import FPDF

    first = certificate.render(certificate_text())

    # Drawn again years later: fpdf2 stamps a new document with the present moment.
    plain_init = FPDF.__init__

    def init_later(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        self.creation_date = datetime.datetime(2031, 4, 1, 12, 34, 56, tzinfo=datetime.UTC)

    monkeypatch.setattr(FPDF, "__init__", init_later)
    assert certificate.render(certificate_text()) == first
    assert certificate.render(certificate_text(issued_on=datetime.date(2026, 12, 1))) != first


def test_koochike_is_never_broken_across_lines(tmp_path):
    # 高知家 at every position of a line: a renderer breaking anywhere splits some of them.
    content = "".join(f"{'あ' * count}高知家" for count in range(1, 16))
    name = "株式会社高知家" + "い" * 30 + "高知家"
    text = pdf_text(certificate.render(certificate_text(name=name, content=content)), tmp_path)
    in_lines = sum(line.count("高知家") for line in text.splitlines())
    assert in_lines == compact(text).count("高知家") >= 15 + 2


def test_no_line_starts_with_a_closing_mark(tmp_path):
    content = "「見守り」「声かけ」「居場所づくり」。" * 12
    text = pdf_text(certificate.render(certificate_text(content=content)), tmp_path)
    starts = [line.strip()[0] for line in text.splitlines() if line.strip()]
    assert not set(starts) & set("、。」）")


def test_the_page_carries_the_sites_symbol_mark(tmp_path):
    page = pdf_page_png(certificate.render(certificate_text()), tmp_path)
    mark = mark_alone_png(tmp_path)
    region = page.crop(mark_box())
    assert inked(mark) > 0.2  # the mark file draws something to compare with
    assert difference(region, mark) < 3


def test_the_sheet_is_filled_to_its_foot_with_a_short_declaration(tmp_path):
    page = pdf_page_png(certificate.render(certificate_text(content="見守ります。")), tmp_path)
    assert bands_without_ink(page) == []


def test_line_breaking_keeps_words_and_punctuation_together():
    assert certificate.units("高知家の「見守り」、ABC社。") == ["高知家", "の", "「見", "守", "り」、", "ABC", "社。"]


def test_the_missing_font_is_a_clear_error(settings):
    settings.CERTIFICATE_FONT_PATH = "/nonexistent/font.ttf"
    with pytest.raises(certificate.CertificateFontMissing, match="fonts-ipaexfont-mincho"):
        certificate.font_path()


def test_the_download_name_is_japanese_with_an_ascii_fallback():
    header = certificate.content_disposition("推進宣言書_KS-AAAA-BBBB.pdf")
    assert header.startswith("attachment; filename=\"certificate.pdf\"; filename*=UTF-8''")
    assert "%E6%8E%A8" in header  # 推


def test_the_declaration_model_keeps_the_certificate_out_of_every_form():
    assert not Declaration._meta.get_field("certificate").editable
    assert not Declaration._meta.get_field("owner_token_hash").editable


def test_approval_succeeds_without_the_font_and_the_certificate_waits_for_it(settings, caplog):
    declaration = make_declaration(name="株式会社ふぉんと")
    settings.CERTIFICATE_FONT_PATH = "/nonexistent/font.ttf"
    declaration.approve(by=make_moderator())
    declaration.refresh_from_db()
    assert declaration.status == Status.PUBLISHED
    assert not declaration.certificate
    assert "not issued" in caplog.text


def test_the_health_check_reports_a_missing_font(settings):
    from declarations.health import check_certificate_font

    assert check_certificate_font() == (True, "ok")
    settings.CERTIFICATE_FONT_PATH = "/nonexistent/font.ttf"
    assert check_certificate_font()[0] is False


@pytest.mark.database
def test_reviewers_may_change_the_governors_name(client):
    client.force_login(make_moderator("namer"))
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/declarations/certificatesettings/{site.pk}/"

    response = client.post(url, {"issuer": "高知県知事", "issuer_name": "高知 一郎"})

    assert response.status_code == 302
    assert CertificateSettings.current_issuer() == ("高知県知事", "高知 一郎")

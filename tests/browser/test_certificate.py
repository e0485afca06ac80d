"""In Chromium: staff name the governor in 設定 → 宣言書 (to the 保存 button), approve an application, and
download its 宣言書 from the admin; the PDF is then drawn as pixels (poppler's pdftoppm) and read back
(pdftotext): the site's symbol mark in its place, the 高知県知事 line with the name just saved, 高知家
never split across lines, and no empty lower part."""

import pytest

from declarations.models import Declaration
from declarations.tests.factories import make_declaration, make_moderator
from declarations.tests.pdf import (
    bands_without_ink,
    compact,
    difference,
    mark_alone_png,
    mark_box,
    pdf_page_png,
    pdf_text,
)
from tests.browser.staff import log_in_to_admin

pytestmark = pytest.mark.browser


def test_staff_name_the_governor_and_the_downloaded_certificate_carries_mark_name_and_whole_words(
    page, site_url, tmp_path, axe
):
    declaration = make_declaration(
        name="株式会社高知家みらい工房",
        content="高知家の一員として、店頭での見守りと声かけを続け、地域の居場所づくりに協力します。" * 3,
    )
    log_in_to_admin(page, site_url, make_moderator("certificate-staff"))

    page.goto(site_url + "/admin/settings/declarations/certificatesettings/")
    assert page.get_by_role("textbox", name="発行者の職名").input_value() == "高知県知事"
    assert page.get_by_role("textbox", name="発行者の氏名").input_value() == "（氏名未設定）"
    page.get_by_role("textbox", name="発行者の氏名").fill("高知 一郎")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.get_by_role("textbox", name="発行者の氏名").input_value() == "高知 一郎"

    page.goto(f"{site_url}/admin/declarations/{declaration.pk}/")
    page.get_by_role("link", name="承認する", exact=True).click()
    page.get_by_role("button", name="承認する", exact=True).click()
    page.wait_for_url(site_url + "/admin/declarations/")
    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.certificate

    page.goto(f"{site_url}/admin/declarations/{declaration.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="宣言書をダウンロード（PDF）").click()
    saved = tmp_path / "sengensho.pdf"
    download_info.value.save_as(saved)
    data = saved.read_bytes()

    picture = pdf_page_png(data, tmp_path)
    picture.save(tmp_path / "sengensho.png")
    assert difference(picture.crop(mark_box()), mark_alone_png(tmp_path)) < 3
    assert bands_without_ink(picture) == []

    text = pdf_text(data, tmp_path)
    lines = [compact(line) for line in text.splitlines()]
    assert "高知県知事高知一郎" in lines
    assert sum(line.count("高知家") for line in lines) == compact(text).count("高知家") >= 5

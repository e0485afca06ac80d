"""The public application form, step by step, as an applicant's browser uses it."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image

from declarations.models import Declaration, OutboundEmail, Status

from .factories import form_data, image_bytes, upload

pytestmark = pytest.mark.django_db

APPLY = "/declarations/apply/"
CONFIRM = "/declarations/apply/confirm/"
COMPLETE = "/declarations/apply/complete/"


def html(response):
    return response.content.decode()


def fill_in(client, files=None, **overrides):
    data = form_data(**overrides)
    if files:
        data.update(files)
    return client.post(APPLY, data)


def apply(client, **overrides):
    """Fill in, confirm and submit; returns the completion page."""
    assert fill_in(client, **overrides).url == CONFIRM
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    return client.get(COMPLETE)


def test_the_form_shows_the_purpose_of_use_the_labels_and_which_fields_stay_private(client):
    page = html(client.get(APPLY))
    assert "個人情報の取扱いについて" in page
    assert page.index("個人情報の取扱いについて") < page.index('class="declaration-form"')
    for label in [
        "企業・団体名",
        "企業・団体名（ふりがな）",
        "種別",
        "業種",
        "所在市町村",
        "代表者役職",
        "代表者氏名",
        "ホームページ",
        "取組分野",
        "宣言内容",
        "ロゴ画像",
        "郵便番号",
        "所在地",
        "担当者部署",
        "担当者氏名",
        "電話番号",
        "メールアドレス",
        "メールアドレス（確認）",
        "個人情報の取扱いに同意する",
        "上記の公開項目が県のウェブサイトに掲載されることに同意する",
        "反社会的勢力に該当しないことを誓約する",
    ]:
        assert f"{label} <span" in page or f"{label}</label>" in page or f" {label}</label>" in page, label
    assert page.count('<span class="badge badge-private">非公開</span>') == 7
    assert "800字以内" in page
    assert '<legend class="form-field__label">取組分野' in page
    assert "確認画面へ進む" in page


def test_the_whole_path_creates_one_pending_application_with_a_reference_number(client):
    assert fill_in(client).url == CONFIRM
    response = client.get(CONFIRM)
    assert "no-store" in response["Cache-Control"]  # it shows the private contact details
    confirm = html(response)
    assert "株式会社くろしお商店" in confirm
    assert "jiro@kuroshio.example.jp" in confirm
    assert "入力内容を修正する" in confirm and "この内容で申請する" in confirm
    assert not Declaration.objects.exists()

    response = client.post(CONFIRM, {"action": "submit"})
    assert response.url == COMPLETE
    page = html(client.get(COMPLETE))
    declaration = Declaration.objects.get()
    assert declaration.status == Status.PENDING
    assert re.fullmatch(r"KS-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}", declaration.reference_number)
    assert f"受付番号：<strong>{declaration.reference_number}</strong>" in page
    assert declaration.areas.count() == 2
    assert declaration.consented_at is not None
    assert declaration.postal_code == "789-1901"
    assert declaration.name_kana == "かぶしきがいしゃくろしおしょうてん"
    assert not Declaration.objects.public().exists()


def test_going_back_from_confirmation_keeps_everything_typed(client):
    fill_in(client, content="宣言内容の下書き\n二行目", name_kana="クロシオ")
    response = client.post(CONFIRM, {"action": "back"})
    assert response.url == APPLY
    page = html(client.get(APPLY))
    assert 'value="株式会社くろしお商店"' in page
    assert 'value="クロシオ"' in page
    assert "宣言内容の下書き\n二行目</textarea>" in page
    assert page.count('type="checkbox" name="areas"') == 8
    assert len(re.findall(r'name="areas" value="\d+"[^>]*checked', page)) == 2
    assert re.search(r'name="agree_privacy"[^>]*checked', page)
    assert "入力内容に" not in page  # no error summary on a form that was valid


def test_submitting_twice_or_reloading_the_completion_page_creates_one_application(client):
    fill_in(client)
    session = client.session
    draft = session["declarations_draft"]
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    # A second press of the button after the first has finished
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    # Two presses read the same session before either finished: both carry the same one-time key.
    session = client.session
    session["declarations_draft"] = draft
    session.save()
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    first = html(client.get(COMPLETE))
    assert html(client.get(COMPLETE)) == first
    assert Declaration.objects.count() == 1
    assert OutboundEmail.objects.count() == 2


def test_a_new_input_after_completion_is_a_new_application(client):
    apply(client)
    apply(client, name="二つ目の団体")
    assert Declaration.objects.count() == 2
    assert len(set(Declaration.objects.values_list("reference_number", flat=True))) == 2


def test_the_confirmation_and_completion_pages_need_an_input_first(client):
    assert client.get(CONFIRM).url == APPLY
    assert client.post(CONFIRM, {"action": "submit"}).url == APPLY
    assert client.get(COMPLETE).url == APPLY
    assert not Declaration.objects.exists()


def test_errors_are_summarised_at_the_top_linked_to_fields_and_keep_what_was_typed(client):
    response = fill_in(client, name="", email_confirm="other@example.jp", areas=None, representative_name="高知　花子")
    assert response.status_code == 200
    page = html(response)
    summary = page[page.index('class="error-summary"') : page.index("</div>", page.index('class="error-summary"'))]
    assert 'role="alert"' in page[page.index("<div", page.index("error-summary") - 20) :][:200]
    assert "入力内容に3件の誤りがあります" in summary
    assert '<a href="#id_name">企業・団体名：企業・団体名を入力してください。</a>' in summary
    assert '<a href="#id_areas_0">取組分野：取組分野を選んでください。</a>' in summary
    assert 'href="#id_email_confirm"' in summary
    assert re.search(
        r'<input type="text" name="name"[^>]*aria-invalid="true"[^>]*aria-describedby="id_name_error"', page
    )
    assert 'id="id_name_error"' in page
    assert re.search(r'<fieldset aria-describedby="[^"]*id_areas_error', page)
    assert 'value="高知　花子"' in page
    assert 'value="jiro@kuroshio.example.jp"' in page
    assert "<title>入力内容に誤りがあります" in page
    assert not Declaration.objects.exists()


def test_a_logo_goes_through_confirmation_and_is_saved_re_encoded_under_a_generated_name(client):
    fill_in(client, files={"logo": upload(image_bytes("PNG"), name="弊社ロゴ 最終版.png")})
    logos_dir = settings.MEDIA_ROOT / "declarations" / "logos"
    before = set(logos_dir.iterdir()) if logos_dir.exists() else set()
    confirm = html(client.get(CONFIRM))
    assert 'src="data:image/png;base64,' in confirm
    # Nothing the applicant sent is in public media storage before the application exists.
    assert (set(logos_dir.iterdir()) if logos_dir.exists() else set()) == before
    client.post(CONFIRM, {"action": "submit"})
    declaration = Declaration.objects.get()
    assert re.fullmatch(r"declarations/logos/[0-9a-f]{32}\.png", declaration.logo.name)
    with Image.open(declaration.logo.path) as image:
        assert image.format == "PNG"
        assert image.size == (120, 80)


def test_a_valid_logo_is_kept_when_another_field_has_an_error_and_can_be_removed(client):
    page = html(fill_in(client, name="", files={"logo": upload(image_bytes("JPEG"), name="logo.jpg")}))
    assert "選択済みのロゴ画像を使います" in page
    assert fill_in(client).url == CONFIRM
    assert 'src="data:image/jpeg;base64,' in html(client.get(CONFIRM))
    client.post(CONFIRM, {"action": "back"})
    fill_in(client, remove_logo="1")
    client.post(CONFIRM, {"action": "submit"})
    assert not Declaration.objects.get().logo


def test_a_bad_logo_is_a_clear_error_that_asks_to_choose_again_never_a_500(client):
    svg = upload(b'<svg xmlns="http://www.w3.org/2000/svg"/>', name="logo.svg", content_type="image/svg+xml")
    response = fill_in(client, files={"logo": svg})
    assert response.status_code == 200
    page = html(response)
    assert "SVGなどの形式は使えません" in page
    assert "画像をもう一度選んでください" in page
    assert 'value="株式会社くろしお商店"' in page
    bomb = upload(image_bytes("PNG", size=(5000, 5000), color=(0, 0, 0)))
    response = fill_in(client, files={"logo": bomb})
    assert response.status_code == 200
    assert "1600万画素以下" in html(response)
    assert not Declaration.objects.exists()


def test_a_filled_honeypot_creates_nothing_and_says_nothing_about_why(client):
    page = html(client.get(APPLY))
    honeypot = page[page.index('<div class="hp-field"') :][:400]
    assert 'aria-hidden="true"' in honeypot
    assert 'tabindex="-1"' in honeypot
    response = fill_in(client, fax_number="088-000-0000")
    assert response.status_code == 200
    assert "申請を受け付けることができませんでした" in html(response)
    assert "declarations_draft" not in client.session
    assert client.get(CONFIRM).url == APPLY
    assert not Declaration.objects.exists()
    assert not OutboundEmail.objects.exists()


@override_settings(DECLARATIONS_RATE_LIMITS={"form": (3, 3600)})
def test_too_many_posts_from_one_address_get_a_japanese_429(client):
    for _ in range(3):
        assert fill_in(client, name="").status_code == 200
    response = fill_in(client)
    assert response.status_code == 429
    assert "しばらく時間をおいてから" in html(response)
    assert response["Retry-After"] == "3600"
    # Another address is not affected.
    assert client.post(APPLY, form_data(), REMOTE_ADDR="192.0.2.10").status_code == 302


@override_settings(DECLARATIONS_RATE_LIMITS={"submit": (2, 3600)})
def test_too_many_applications_from_one_address_get_a_429_and_create_nothing_more(client):
    apply(client)
    apply(client, name="二つ目")
    fill_in(client, name="三つ目")
    response = client.post(CONFIRM, {"action": "submit"})
    assert response.status_code == 429
    assert Declaration.objects.count() == 2

"""The application form: what it accepts as Japanese people type it, and what it refuses."""

import io

import pytest
from django.utils.datastructures import MultiValueDict
from PIL import Image

from declarations import logos
from declarations.forms import ApplicationForm, DeclarationForm
from declarations.models import CONTENT_MAX_LENGTH, PRIVATE_FIELDS, PUBLIC_FIELDS, SET_ON_APPROVAL, OrganisationType

from .factories import form_data, image_bytes, make_declaration, upload

pytestmark = pytest.mark.django_db


def bind(files=None, **overrides):
    data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in form_data(**overrides).items()})
    return ApplicationForm(data=data, files=files)


def test_a_complete_application_is_valid():
    form = bind()
    assert form.is_valid(), form.errors


def test_full_width_digits_and_dashes_in_postal_code_and_phone_are_stored_half_width():
    form = bind(postal_code="〒７８９ー１９０１", phone="０８８０（４３）００００")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postal_code"] == "789-1901"
    assert form.cleaned_data["phone"] == "0880-43-0000"


def test_postal_code_without_hyphen_gets_one():
    form = bind(postal_code="7891901")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postal_code"] == "789-1901"


@pytest.mark.parametrize("value", ["789-19", "abc-defg", "12345678"])
def test_a_postal_code_that_is_not_seven_digits_is_refused_in_japanese(value):
    form = bind(postal_code=value)
    assert not form.is_valid()
    assert form.errors["postal_code"] == ["郵便番号は7桁の数字で入力してください（例：780-8570）。"]


@pytest.mark.parametrize("value", ["12345", "088-823-909", "これは番号"])
def test_a_phone_number_that_is_not_japanese_is_refused(value):
    form = bind(phone=value)
    assert not form.is_valid()
    assert "電話番号は0から始まる10桁または11桁" in form.errors["phone"][0]


def test_furigana_in_katakana_or_half_width_katakana_is_stored_as_hiragana():
    assert bind(name_kana="カブシキガイシャ　クロシオ").is_valid()
    form = bind(name_kana="ｶﾌﾞｼｷｶﾞｲｼｬｸﾛｼｵ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name_kana"] == "かぶしきがいしゃくろしお"
    form = bind(name_kana=" カブシキガイシャ　クロシオ ")
    form.is_valid()
    assert form.cleaned_data["name_kana"] == "かぶしきがいしゃ くろしお"


def test_furigana_in_kanji_is_refused():
    form = bind(name_kana="黒潮商店")
    assert not form.is_valid()
    assert form.errors["name_kana"] == ["ふりがなは、ひらがな、またはカタカナで入力してください。"]


def test_surrounding_and_full_width_spaces_are_trimmed():
    form = bind(
        name="\u3000株式会社くろしお商店  ", representative_name="　黒潮一郎　", content="\u3000\n宣言します。\n "
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "株式会社くろしお商店"
    assert form.cleaned_data["representative_name"] == "黒潮一郎"
    assert form.cleaned_data["content"] == "宣言します。"


def test_every_empty_required_field_has_a_japanese_message():
    required = [
        "name",
        "name_kana",
        "organisation_type",
        "industry",
        "municipality",
        "representative_title",
        "representative_name",
        "areas",
        "content",
        "postal_code",
        "address",
        "contact_department",
        "contact_name",
        "phone",
        "email",
        "email_confirm",
        "agree_privacy",
        "agree_publication",
        "pledge_not_antisocial",
    ]
    form = ApplicationForm(data=MultiValueDict({"fax_number": [""]}))
    assert not form.is_valid()
    assert sorted(form.errors) == sorted(required)
    assert form.errors["name"] == ["企業・団体名を入力してください。"]
    assert form.errors["municipality"] == ["所在市町村を選んでください。"]
    assert form.errors["agree_privacy"] == ["個人情報の取扱いへの同意が必要です。"]
    for name in required:
        assert all(message.isascii() is False for message in form.errors[name]), name


def test_spaces_only_counts_as_empty():
    form = bind(name="\u3000\u3000")
    assert not form.is_valid()
    assert form.errors["name"] == ["企業・団体名を入力してください。"]


def test_over_long_text_is_refused_with_the_limit_and_the_count():
    form = bind(content="あ" * (CONTENT_MAX_LENGTH + 1), name="名" * 101)
    assert not form.is_valid()
    assert form.errors["content"] == [
        f"宣言内容は{CONTENT_MAX_LENGTH}字以内で入力してください（現在{CONTENT_MAX_LENGTH + 1}字）。"
    ]
    assert form.errors["name"] == ["企業・団体名は100字以内で入力してください（現在101字）。"]


def test_content_at_the_limit_with_windows_line_breaks_is_accepted():
    text = ("あ" * 9 + "\r\n") * (CONTENT_MAX_LENGTH // 10)
    form = bind(content=text)
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["content"]) <= CONTENT_MAX_LENGTH


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.jp/",
    ],
)
def test_only_http_and_https_home_pages_are_accepted(url):
    form = bind(website=url)
    assert not form.is_valid()
    assert form.errors["website"] == ["ホームページは、http:// または https:// で始まるアドレスを入力してください。"]


def test_a_home_page_without_scheme_becomes_https():
    form = bind(website="kuroshio.example.jp")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == "https://kuroshio.example.jp"


def test_the_two_email_addresses_must_match():
    form = bind(email_confirm="jiro@other.example.jp")
    assert not form.is_valid()
    assert form.errors["email_confirm"] == ["メールアドレス（確認）が、メールアドレスと一致しません。"]


def test_the_public_form_does_not_offer_the_prefecture_type():
    form = ApplicationForm()
    values = [value for value, _ in form.fields["organisation_type"].choices]
    assert OrganisationType.PREFECTURE not in values
    assert OrganisationType.SOCIAL_WELFARE_COUNCIL in values
    assert not bind(organisation_type=OrganisationType.PREFECTURE).is_valid()


def test_the_honeypot_marks_the_form_as_spam_without_an_error():
    form = bind(fax_number="088-000-0000")
    assert form.is_valid()
    assert form.is_spam
    assert not bind().is_spam


# The logo


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg"), ("WEBP", "webp", "image/webp")],
)
def test_png_jpeg_and_webp_logos_are_accepted_and_re_encoded(fmt, extension, content_type):
    form = bind(files={"logo": upload(image_bytes(fmt), name=f"社名ロゴ.{extension}", content_type=content_type)})
    assert form.is_valid(), form.errors
    logo = form.cleaned_data["logo"]
    assert logo.name == f"logo.{extension}"
    with Image.open(io.BytesIO(logo.read())) as image:
        assert image.format == fmt
        assert image.size == (120, 80)


def test_re_encoding_drops_exif_data_such_as_a_gps_position():
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    original = image_bytes("JPEG", exif=exif.tobytes())
    assert b"secret description" in original
    form = bind(files={"logo": upload(original, name="logo.jpg", content_type="image/jpeg")})
    assert form.is_valid(), form.errors
    assert b"secret description" not in form.cleaned_data["logo"].read()


def logo_errors(content, name="logo.png", content_type="image/png"):
    form = bind(files={"logo": upload(content, name=name, content_type=content_type)})
    assert not form.is_valid()
    return form.errors["logo"]


def test_an_svg_logo_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert logo_errors(svg, name="logo.svg", content_type="image/svg+xml") == [
        "ロゴ画像は、PNG・JPEG・WebP形式の画像ファイルを選んでください（SVGなどの形式は使えません）。"
    ]


def test_a_text_file_renamed_to_png_is_refused():
    assert "PNG・JPEG・WebP形式" in logo_errors(b"just some text pretending to be an image", name="logo.png")[0]


def test_a_gif_is_refused_even_though_pillow_can_read_it():
    assert "PNG・JPEG・WebP形式" in logo_errors(image_bytes("GIF"), name="logo.gif", content_type="image/gif")[0]


def test_a_truncated_png_is_refused():
    content = image_bytes("PNG", size=(400, 400), color=None)
    assert "PNG・JPEG・WebP形式" in logo_errors(content[: len(content) // 2])[0]


def test_a_decompression_bomb_is_refused_without_decoding_it():
    # 6000×6000 = 36 megapixels of one colour: a few kilobytes on disk.
    bomb = image_bytes("PNG", size=(6000, 6000), color=(0, 0, 0))
    assert len(bomb) < 200_000
    assert logo_errors(bomb) == ["ロゴ画像の画素数が多すぎます（6000×6000）。1600万画素以下の画像を選んでください。"]


def test_a_logo_over_2_megabytes_is_refused():
    noisy = Image.effect_noise((1200, 1200), 100).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    content = buffer.getvalue()
    assert len(content) > 2 * 1024 * 1024
    assert logo_errors(content)[0].startswith("ロゴ画像のファイルサイズが大きすぎます")


# Reuse for an existing declaration (the correction page)


def test_the_declaration_form_edits_an_existing_declaration_and_keeps_its_logo():
    declaration = make_declaration()
    declaration.logo.save("x.png", upload(image_bytes()), save=True)
    data = form_data(name="改称後の株式会社", email=declaration.email, email_confirm=declaration.email)
    form = DeclarationForm(
        data=MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}), instance=declaration
    )
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.pk == declaration.pk
    assert saved.name == "改称後の株式会社"
    assert saved.logo.name == declaration.logo.name


def test_an_email_address_typed_in_full_width_is_stored_half_width():
    form = bind(email="ｊｉｒｏ＠ｋｕｒｏｓｈｉｏ．ｅｘａｍｐｌｅ．ｊｐ", email_confirm="jiro@kuroshio.example.jp")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "jiro@kuroshio.example.jp"


def test_the_form_asks_for_every_public_field_but_those_staff_set_and_every_private_one():
    form = ApplicationForm()
    asked = [name for name in form.fields if name in PUBLIC_FIELDS + PRIVATE_FIELDS]
    assert asked == [name for name in PUBLIC_FIELDS if name not in SET_ON_APPROVAL] + PRIVATE_FIELDS
    assert [bound.name for bound in form.private_fields()] == PRIVATE_FIELDS + ["email_confirm"]


def test_the_logo_limits_the_applicant_reads_come_from_the_limits_the_form_applies():
    help_text = ApplicationForm().fields["logo"].help_text
    assert f"{logos.LOGO_MAX_BYTES // (1024 * 1024)}MB以下" in help_text
    assert f"{logos.LOGO_MAX_PIXELS // 10_000}万画素以下" in help_text
    assert "2MB以下" in help_text and "1600万画素以下" in help_text  # what the applicant reads today

"""Input nobody meant to send: control characters, line breaks in one-line fields, ids out of range,
digits of other scripts. The forms refuse them in Japanese; rows stored earlier (by the import or
before the forms refused them) break no page, file or mail."""

import csv
import io
import json
import logging
import re
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.conf import settings
from django.core import mail as outbox
from django.test import override_settings

from core.text import LogFormatter, clean, parse_id
from declarations import mail, normalise
from declarations.forms import DeclarationForm
from declarations.models import Declaration, Municipality, Status
from declarations.views import DRAFT_KEY, draft_form

from .factories import form_data, make_declaration, make_moderator

pytestmark = pytest.mark.django_db

APPLY = "/declarations/apply/"

# What the issue found accepted, and the other characters XML 1.0 or a terminal cannot take.
BAD_CHARACTERS = {
    "vertical tab": "\x0b",
    "start of heading": "\x01",
    "escape": "\x1b",
    "NUL": "\x00",
    "delete": "\x7f",
    "next line (C1)": "\x85",
    "control sequence introducer (C1)": "\x9b",
    "non-character U+FFFE": "\ufffe",
    "non-character U+FFFF": "\uffff",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
}
# Any character that can reach a page, a file, a mail or a log line and should not.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")

SINGLE_LINE_FIELDS = {
    "name": "企業・団体名",
    "name_kana": "企業・団体名（ふりがな）",
    "representative_title": "代表者役職",
    "representative_name": "代表者氏名",
    "address": "所在地",
    "contact_department": "担当者部署",
    "contact_name": "担当者氏名",
    "postal_code": "郵便番号",
    "phone": "電話番号",
}


def html(response):
    return response.content.decode()


# The application form refuses them, says where, and keeps what was typed.


@pytest.mark.parametrize("char", BAD_CHARACTERS.values(), ids=BAD_CHARACTERS.keys())
def test_the_form_refuses_a_control_character_in_the_declaration_content(client, char):
    typed = f"店頭での見守り{char}と声かけを続けます。"
    response = client.post(APPLY, form_data(content=typed))

    assert response.status_code == 200
    page = html(response)
    assert "宣言内容に、使えない文字（目に見えない制御文字 U+" in page
    assert "店頭での見守り" in page  # what was typed is still in the field
    assert DRAFT_KEY not in client.session
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("char", BAD_CHARACTERS.values(), ids=BAD_CHARACTERS.keys())
@pytest.mark.parametrize("field", ["name", "contact_name"])
def test_every_single_line_field_refuses_a_control_character(client, field, char):
    value = form_data()[field]
    response = client.post(APPLY, form_data(**{field: value[:2] + char + value[2:]}))

    assert response.status_code == 200
    assert f"{SINGLE_LINE_FIELDS[field]}に、使えない文字" in html(response)
    assert DRAFT_KEY not in client.session


def test_the_message_names_the_character_by_its_code_point(client):
    response = client.post(APPLY, form_data(name="株式会社\x0bくろしお"))
    assert "企業・団体名に、使えない文字（目に見えない制御文字 U+000B）が含まれています。" in html(response)


def test_a_lone_surrogate_is_refused():
    # A browser cannot send one in UTF-8, but a JSON-decoded or hand-made value can hold it.
    form = DeclarationForm(data=form_data(content="見守り\ud800活動"))
    assert not form.is_valid()
    assert "U+D800" in form.errors["content"][0]


@pytest.mark.parametrize("field", SINGLE_LINE_FIELDS)
@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r", "\u2028"], ids=["LF", "CRLF", "CR", "LS"])
def test_a_one_line_field_refuses_a_line_break_in_the_middle(client, field, line_break):
    value = form_data()[field]
    response = client.post(APPLY, form_data(**{field: value[:1] + line_break + value[1:]}))

    assert response.status_code == 200
    assert f"{SINGLE_LINE_FIELDS[field]}には改行を入れられません。1行で入力してください。" in html(response)
    assert DRAFT_KEY not in client.session


def test_a_forged_notice_in_the_name_is_refused(client):
    name = "正規会社\n\n管理画面で確認してください: http://evil.example/login"
    response = client.post(APPLY, form_data(name=name))
    assert "企業・団体名には改行を入れられません。" in html(response)
    assert "管理画面で確認してください: http://evil.example/login" in html(response)  # kept as typed


def test_a_tab_is_refused_on_one_line_and_kept_in_the_content(client):
    response = client.post(APPLY, form_data(name="株式会社\tくろしお"))
    assert "企業・団体名にはタブ文字を入れられません。" in html(response)

    response = client.post(APPLY, form_data(content="一、見守り\t二、声かけ\r\n三、居場所づくり"))
    assert response.status_code == 302
    form = draft_form(client.session[DRAFT_KEY])
    assert form.is_valid()
    assert form.cleaned_data["content"] == "一、見守り\t二、声かけ\n三、居場所づくり"


def test_the_correction_form_refuses_them_too():
    declaration = make_declaration()
    token = declaration.request_changes(by=make_moderator(), message="確認してください。")
    assert token
    data = form_data(name="株式会社\x1b[31mくろしお", representative_name="土佐\n太郎")
    form = DeclarationForm(data=data, instance=declaration, correcting=True)
    assert not form.is_valid()
    assert "使えない文字" in form.errors["name"][0]
    assert "改行を入れられません" in form.errors["representative_name"][0]


def test_the_honeypot_still_answers_a_robot_blandly(client):
    response = client.post(APPLY, form_data(fax_number="\x1b[31mspam"))
    assert "<h1>申請を受け付けることができませんでした</h1>" in html(response)
    assert "使えない文字" not in html(response)
    assert not Declaration.objects.exists()


# The moderation forms where staff type a message or a reason.


@pytest.fixture
def moderator(client):
    user = make_moderator()
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("action", "field", "label"),
    [("request-changes", "message", "修正してほしい点"), ("reject", "reason", "理由")],
)
def test_the_moderation_forms_refuse_control_characters(client, moderator, action, field, label):
    declaration = make_declaration()
    response = client.post(f"/admin/declarations/{declaration.pk}/{action}/", {field: "ふりがなを\x1b[31m確認"})

    assert response.status_code == 200
    assert f"{label}に、使えない文字（目に見えない制御文字 U+001B）" in html(response)
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING
    assert not outbox.outbox


def test_a_moderation_message_keeps_its_line_breaks(client, moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/declarations/{declaration.pk}/request-changes/",
            {"message": "1. ふりがな\r\n2. 代表者役職"},
        )
    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED
    assert declaration.staff_message == "1. ふりがな\n2. 代表者役職"


# Rows stored before the forms refused them: every output answers and carries none of them.


@pytest.fixture
def stored():
    """A published declaration as the import or an older form stored it, control characters and all."""
    return make_declaration(
        status=Status.PUBLISHED,
        name="株式会社\x0bくろしお\x01商会\x1b[31m",
        representative_name="土佐\x1b]0;pwned\x07太郎",
        content="店頭での見守り\x0bと声かけ\x01を続け、\x1b[31m地域の\x9b居場所\x85づくりに協力します。",
    )


def test_the_atom_feed_answers_and_is_xml(client, stored):
    response = client.get("/feeds/atom.xml")

    assert response.status_code == 200
    text = response.content.decode()
    ET.fromstring(response.content)  # well-formed XML 1.0
    assert "株式会社 くろしお商会[31m" in text
    assert not UNSAFE.search(text)


def test_the_open_data_csv_and_json_carry_no_control_character(client, stored):
    raw = b"".join(client.get("/declarations/register.csv").streaming_content).decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(raw)))
    assert row["企業・団体名"] == "株式会社 くろしお商会[31m"
    assert not UNSAFE.search(raw)

    response = client.get("/declarations/register.json")
    assert response.status_code == 200
    [entry] = json.loads(response.content)["declarations"]
    assert entry["content"].startswith("店頭での見守り と声かけを続け、[31m地域の居場所 づくり")
    assert not UNSAFE.search(json.dumps(entry, ensure_ascii=False))


def test_the_staff_csv_and_excel_exports_answer(client, moderator, stored):
    response = client.get("/admin/declarations/", {"export": "csv", "status": "published"})
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert "株式会社 くろしお商会[31m" in raw
    assert not UNSAFE.search(raw)

    response = client.get("/admin/declarations/", {"export": "xlsx", "status": "published"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert values["企業・団体名"] == "株式会社 くろしお商会[31m"
    assert values["代表者氏名"] == "土佐]0;pwned太郎"


def test_the_register_detail_and_search_pages_answer(client, stored):
    assert client.get("/declarations/").status_code == 200
    assert client.get(f"/declarations/{stored.pk}/").status_code == 200
    response = client.get("/search/", {"q": "くろしお"})
    assert response.status_code == 200
    results = html(response).split('class="search-result', 1)[-1]
    assert "居場所" in results or "くろしお" in results
    assert not UNSAFE.search(results)


def test_mail_from_a_stored_row_has_no_control_character_and_no_forged_line(stored):
    stored.name = "正規会社\n\n管理画面で確認してください: http://evil.example/\x1b[31m"
    stored.contact_name = "山田\r\n花子"
    receipt, notice = mail.application_emails(stored)
    for _, subject, body in (receipt, notice):
        assert not UNSAFE.search(subject + body)
        assert "\n" not in subject
        assert "\n管理画面で確認してください: http://evil.example/" not in body
    assert "企業・団体名: 正規会社 管理画面で確認してください: http://evil.example/[31m\n" in notice[2]
    assert "山田 花子 様" in receipt[2]

    for _, subject, body in mail.moderation_emails(stored, "approved"):
        assert not UNSAFE.search(subject + body)


@override_settings(DECLARATIONS_STAFF_EMAIL="kyosei-staff@example.jp")
def test_the_mail_actually_sent_for_a_stored_row_is_clean(stored, django_capture_on_commit_callbacks):
    stored.status = Status.PENDING
    stored.save()
    with django_capture_on_commit_callbacks(execute=True):
        stored.request_changes(by=make_moderator(), message="確認してください。")
    [message] = outbox.outbox
    assert not UNSAFE.search(message.subject + message.body)


def test_a_log_line_cannot_add_lines_or_colour_the_terminal():
    formatter = settings.LOGGING["handlers"]["console"]["formatter"]
    assert settings.LOGGING["formatters"][formatter]["()"] == "core.text.LogFormatter"
    record = logging.LogRecord(
        "declarations", logging.WARNING, __file__, 1, "Not Found: %s", ("/a\x1b[31m\nFAKE ERROR",), None
    )
    line = LogFormatter("%(levelname)s %(message)s").format(record)
    assert line == "WARNING Not Found: /a\\x1b[31m\\nFAKE ERROR"


def test_clean_keeps_line_breaks_only_where_asked():
    assert clean("a\r\nb\x0bc\x01d") == "a\nb cd"
    assert clean("a\r\nb\tc", multiline=False) == "a b c"
    assert clean(None) == ""


# Ids: a form error or a 404 on both databases, never OverflowError.

BAD_IDS = [str(2**63), "-1", "1e99", "１２", "٣", "", "abc", "0", str(2**64)]


@pytest.mark.parametrize("value", BAD_IDS)
def test_the_form_answers_any_area_or_municipality_value(client, value):
    for field in ("areas", "municipality"):
        response = client.post(APPLY, form_data(**{field: value}))
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert "一覧から選んでください" in html(response) or "選んでください" in html(response)


@pytest.mark.parametrize("value", [str(2**63), "-1", "1e99", "abc", "0"])
def test_an_impossible_id_is_a_form_error(client, value):
    response = client.post(APPLY, form_data(areas=[value]))
    assert response.status_code == 200
    assert "取組分野は一覧から選んでください。" in html(response)
    response = client.post(APPLY, form_data(municipality=value))
    assert "所在市町村は一覧から選んでください。" in html(response)


def test_an_id_in_full_width_digits_is_the_same_id(client):
    municipality = Municipality.objects.get(name="黒潮町")
    full_width = str(municipality.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post(APPLY, form_data(municipality=full_width))
    assert response.status_code == 302


@pytest.mark.parametrize("value", BAD_IDS)
def test_the_register_ignores_a_bad_filter(client, value):
    make_declaration(status=Status.PUBLISHED)
    for name in ["municipality", "type", "area", "sort"]:
        response = client.get("/declarations/", {name: value})
        assert response.status_code == 200
        if parse_id(value) is None:  # "１２" and "٣" are the ids 12 and 3: they do filter
            assert "株式会社くろしお商会" in html(response)  # the bad filter is ignored
    assert client.get("/declarations/", {"q": value + "\x1b\x00"}).status_code == 200
    # A page that does not exist is the site's 404 page.
    assert client.get("/declarations/", {"page": value}).status_code in (200, 404)


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "0", "00", "99999999999999999999"])
def test_a_detail_id_out_of_range_is_a_404(client, value):
    assert client.get(f"/declarations/{value}/").status_code == 404
    assert client.get(f"/feeds/events/{value}.ics").status_code == 404
    assert client.get(f"/declarations/logos/review/{value}/").status_code == 404


@pytest.mark.parametrize("value", BAD_IDS)
def test_the_admin_filters_and_pages_answer_any_id(client, moderator, value):
    make_declaration()
    assert client.get("/admin/declarations/", {"municipality": value}).status_code == 200
    assert client.get("/admin/declarations/", {"municipality": value, "export": "csv"}).status_code == 200
    if value.isascii() and value.isdigit():
        assert client.get(f"/admin/declarations/{value}/").status_code == 404
        assert client.get(f"/admin/declarations/{value}/approve/").status_code == 404


@pytest.mark.parametrize("token", ["x" * 500, "%00", "..", "١٢٣", "\u3000"])
def test_a_strange_correction_token_is_a_404(client, token):
    assert client.get(f"/declarations/correction/{token}/").status_code == 404


def test_parse_id():
    assert parse_id("12") == 12
    assert parse_id("１２") == 12
    assert parse_id("٣") == 3
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    for value in [str(2**63), "-1", "1e99", "", "abc", "0", None, True, 1.0, " "]:
        assert parse_id(value) is None


# Digits of any script are stored as ASCII.


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("٧٨٠-٨٥٧٠", "780-8570"),  # Arabic-Indic
        ("۷۸۰-۸۵۷۰", "780-8570"),  # Extended Arabic-Indic (Persian)
        ("७८०-८५७०", "780-8570"),  # Devanagari
        ("７８０ー８５７０", "780-8570"),  # full-width, with the long-vowel mark
    ],
)
def test_a_postal_code_in_any_digits_is_stored_in_ascii(typed, stored):
    assert normalise.postal_code(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0٨٨٨٢٣٩٠٩٧", "0888239097"), ("०८८-८२३-९०९७", "088-823-9097"), ("０８８（８２３）９０９７", "088-823-9097")],
)
def test_a_phone_number_in_any_digits_is_stored_in_ascii(typed, stored):
    assert normalise.phone_number(typed) == stored


def test_the_applicant_who_types_arabic_indic_digits_gets_ascii_on_the_register(client):
    client.post(APPLY, form_data(postal_code="٧٨٩-١٩٠١", phone="0٨٨٠-٤٣-٠٠٠٠"))
    client.post("/declarations/apply/confirm/", {"action": "submit"})
    declaration = Declaration.objects.get()
    assert declaration.postal_code == "789-1901"
    assert declaration.phone == "0880-43-0000"
    assert declaration.postal_code.isascii() and declaration.phone.isascii()

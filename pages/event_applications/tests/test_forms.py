"""The form: Japanese input accepted as typed, Japanese errors tied to fields, the event's own choices."""

import pytest

from pages.models import AttendanceModes

from ..forms import EventApplicationForm
from ..models import MAX_PARTY_SIZE
from .factories import form_data, make_open_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return make_open_event(
        application_questions=[
            ("question", {"question": "昼食は必要ですか", "required": True}),
            ("question", {"question": "ご意見", "required": False}),
        ]
    )


def bound(event, **overrides):
    data = form_data(**{"question_0": "必要です", **overrides})
    form = EventApplicationForm(event, data=data)
    form.is_valid()
    return form


def test_a_complete_form_is_valid_and_normalises_what_japanese_keyboards_type(event):
    form = bound(
        event, party_size="２人", email="ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", email_confirm="hanako@example.jp"
    )
    assert form.errors == {}
    assert form.cleaned_data["name_kana"] == "とさ はなこ"
    assert form.cleaned_data["phone"] == "088-823-9097"
    assert form.cleaned_data["party_size"] == 2
    assert form.cleaned_data["email"] == "hanako@example.jp"
    application = form.save()
    assert application.accommodations == ["captioning", "wheelchair"]
    assert application.answers == [
        {"question": "昼食は必要ですか", "answer": "必要です"},
        {"question": "ご意見", "answer": ""},
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "氏名を入力してください。"),
        ("name_kana", "Tosa", "ふりがなは、ひらがな、またはカタカナで入力してください。"),
        ("phone", "12345", "電話番号は0から始まる10桁または11桁"),
        ("email", "not-an-address", "メールアドレスの形式が正しくありません"),
        ("email_confirm", "other@example.jp", "メールアドレス（確認）が、メールアドレスと一致しません。"),
        ("party_size", "0", "参加人数は1人以上で入力してください。"),
        ("party_size", str(MAX_PARTY_SIZE + 1), f"{MAX_PARTY_SIZE}人までです"),
        ("party_size", "たくさん", "参加人数は数字で入力してください"),
        ("attendance", "", "参加方法を選んでください。"),
        ("attendance", "teleport", "参加方法は一覧から選んでください。"),
        ("accommodations", ["interpreter-robot"], "配慮の申出は一覧から選んでください。"),
        ("agree_privacy", "", "個人情報の取扱いへの同意が必要です。"),
        ("question_0", "", "「昼食は必要ですか」に答えてください。"),
        ("name", "土佐\x1b[31m花子", "制御文字 U+001B"),
        ("name", "土佐\n花子", "改行を入れられません"),
        ("question_0", "必要\x00です", "制御文字 U+0000"),
    ],
)
def test_each_mistake_gets_a_japanese_message_on_its_own_field(event, field, value, message):
    form = bound(event, **{field: value})
    assert field in form.errors
    assert any(message in error for error in form.errors[field]), form.errors[field]
    assert any(message in text for _, _, text in form.error_links())


def test_other_needs_its_description(event):
    form = bound(event, accommodations=["other"], accommodation_details="")
    assert form.errors["accommodation_details"] == ["「その他」を選んだときは、配慮の申出の内容を書いてください。"]
    assert bound(event, accommodations=["other"], accommodation_details="筆談をお願いします").errors == {}


def test_only_the_ways_of_attending_the_event_offers_are_choices():
    event = make_open_event(attendance_modes=AttendanceModes.ONLINE)
    form = EventApplicationForm(event)
    assert [value for value, _ in form.fields["attendance"].choices] == ["online"]
    assert form.fields["attendance"].initial == "online"
    assert bound(event, attendance="venue").errors["attendance"] == ["参加方法は一覧から選んでください。"]


def test_the_confirmation_rows_say_what_was_chosen_in_words(event):
    rows = dict(bound(event, organisation="").confirmation_rows())
    assert rows["参加人数"] == "2人"
    assert rows["参加方法"] == "会場で参加"
    assert rows["配慮の申出"] == "要約筆記、車椅子席"
    assert rows["所属"] == "（未入力）"
    assert rows["昼食は必要ですか"] == "必要です"
    assert rows["ご意見"] == "（未回答）"

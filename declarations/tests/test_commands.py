"""The management commands: import_declarations (staff's lists, UTF-8 or Shift_JIS, all or nothing) and
load_founding_declarants."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.datastructures import MultiValueDict
from wagtail.models import ModelLogEntry

from declarations.forms import ApplicationForm
from declarations.management.commands.import_declarations import columns
from declarations.models import CONTENT_MAX_LENGTH, PRIVATE_FIELDS, PUBLIC_FIELDS, Declaration, OrganisationType, Status

from .factories import form_data

pytestmark = pytest.mark.django_db

HEADER = ",".join(
    [
        "企業・団体名",
        "企業・団体名(ふりがな)",  # half-width brackets, as some staff type them
        "種別",
        "業種",
        "所在市町村",
        "代表者役職",
        "代表者氏名",
        "ホームページ",
        "取組分野",
        "宣言内容",
        "宣言日",
        "担当者氏名",
        "電話番号",
        "メールアドレス",
        "備考",  # not a column of ours: skipped
    ]
)
GOOD_ROWS = [
    "株式会社髙知ファーム,コウチファーム,企業,農業，林業,南国市,代表取締役,髙橋 一郎,https://farm.example.jp/,"
    "見守り・声かけ、居場所づくり,収穫体験で地域の居場所をつくります。,令和5年4月1日,山本 花子,"
    "０８８－８６３－１１１１,info@farm.example.jp,古い名簿から",
    "NPO法人よさこいサポート,よさこいさぽーと,NPO法人,R,高知市,理事長,浜口 洋子,,学び・啓発,"
    '"①研修を開きます。\n②毎年続けます。",2024/10/7,,,,',
    "土佐清水市社会福祉協議会ボランティアの会,とさしみずしボランティアのかい,その他の団体,,土佐清水市,会長,岡林 三郎,,,"
    "見守りを続けます。,2023-12-01,,,,",
]


def write(tmp_path, lines, encoding="utf-8", name="list.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_declarations", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args):
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_declarations", str(path), *args, stdout=StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_good_file_becomes_published_declarations(tmp_path, encoding):
    path = write(tmp_path, [HEADER, *GOOD_ROWS], encoding=encoding)

    out, _ = run(path)

    assert "3件を掲載中の推進宣言として登録しました。" in out
    assert Declaration.objects.public().count() == 3
    farm = Declaration.objects.get(name="株式会社髙知ファーム")  # 髙 survives Shift_JIS (cp932)
    assert farm.status == Status.PUBLISHED
    assert farm.name_kana == "こうちふぁーむ"
    assert farm.industry == "A"
    assert farm.municipality.name == "南国市"
    assert farm.declared_on == datetime.date(2023, 4, 1)
    assert farm.phone == "088-863-1111"
    assert sorted(area.name for area in farm.areas.all()) == ["居場所づくり", "見守り・声かけ"]
    assert farm.reference_number
    npo = Declaration.objects.get(name="NPO法人よさこいサポート")
    assert npo.content == "①研修を開きます。\n②毎年続けます。"  # ① survives Shift_JIS too
    assert npo.declared_on == datetime.date(2024, 10, 7)
    assert npo.industry == "R"
    entry = ModelLogEntry.objects.for_instance(farm).get()
    assert entry.action == "declarations.import"
    assert entry.data == {"file": "list.csv", "line": 2}


def test_the_encoding_is_reported(tmp_path):
    out, _ = run(write(tmp_path, [HEADER, GOOD_ROWS[0]], encoding="cp932"))
    assert "文字コード Shift_JIS" in out


def test_dry_run_checks_everything_and_writes_nothing(tmp_path):
    out, _ = run(write(tmp_path, [HEADER, *GOOD_ROWS]), "--dry-run")
    assert "3件すべて登録できます。何も書き込んでいません。" in out
    assert not Declaration.objects.exists()
    assert not ModelLogEntry.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(tmp_path, encoding):
    lines = [
        HEADER,
        GOOD_ROWS[0],
        "株式会社ひまわり,ひまわり,株式会社,,高知市,社長,田中,,,取り組みます。,2024-04-01,,,,",  # line 3: bad type
        GOOD_ROWS[1],  # lines 4-5: a value over two lines
        ",,企業,,東京都,社長,田中,javascript:alert(1),見守り,取り組みます。,2024-02-30,,12345,not-an-email,",  # line 6
        "有限会社みなと,Minato,企業,X,須崎市,社長,港,,,取り組みます。,令和6年4月1日,,,,",  # line 7
    ]
    message, err = run_failing(write(tmp_path, lines, encoding=encoding))

    assert "3行に誤りがあるため、何も登録していません。" in message
    assert "3行目: 「種別」の「株式会社」は選択肢にありません。" in err
    assert "6行目: 「企業・団体名」が空です。" in err
    assert "6行目: 「企業・団体名（ふりがな）」が空です。" in err
    assert "6行目: 「所在市町村」の「東京都」は県内の市町村名（または「県外」）ではありません。" in err
    # Field rules are the application form's, in the form's words.
    assert (
        "6行目: 「ホームページ」: ホームページは、http:// または https:// で始まるアドレスを入力してください。" in err
    )
    assert "6行目: 「取組分野」の「見守り」は取組分野の一覧にありません。" in err
    assert "6行目: 「宣言日」: 「2024-02-30」を日付として読めません" in err
    assert "6行目: 「電話番号」: 電話番号は0から始まる10桁または11桁の数字で入力してください" in err
    assert "6行目: 「メールアドレス」: メールアドレスの形式が正しくありません" in err
    assert "7行目: 「企業・団体名（ふりがな）」: ふりがなは、ひらがな、またはカタカナで入力してください。" in err
    assert "7行目: 「業種」の「X」は日本標準産業分類の大分類にありません。" in err
    assert "2行目" not in err and "4行目" not in err
    assert not Declaration.objects.exists()


def test_over_long_values_are_reported_in_japanese(tmp_path):
    row = f"{'長' * 101},ながい,企業,,高知市,社長,田中,,,取り組みます。,2024-04-01,,,,"
    _, err = run_failing(write(tmp_path, [HEADER, row]))
    assert "2行目: 「企業・団体名」: 企業・団体名は100字以内で入力してください（現在101字）。" in err


def test_rows_already_on_the_register_or_repeated_in_the_file_are_refused(tmp_path):
    run(write(tmp_path, [HEADER, GOOD_ROWS[0]], name="first.csv"))

    _, err = run_failing(write(tmp_path, [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[1]], name="second.csv"))

    assert "2行目: 「株式会社髙知ファーム」（南国市）はすでに登録されています（受付番号 KS-" in err
    # GOOD_ROWS[1] spans two lines: its copies start on lines 3 and 5.
    assert "5行目: 「NPO法人よさこいサポート」（高知市）は3行目と重複しています。" in err
    assert Declaration.objects.count() == 1


def test_a_missing_required_column_stops_before_any_row(tmp_path):
    message, _ = run_failing(write(tmp_path, ["企業・団体名,種別", "株式会社あ,企業"]))
    assert "1行目の見出しに必須の列がありません" in message
    assert "宣言内容" in message


def test_a_file_in_another_encoding_is_refused_clearly(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("企業・団体名".encode("cp932") + b"\x81\x39\x85\x40")  # neither UTF-8 nor Shift_JIS
    message, _ = run_failing(path)
    assert "文字コードを判別できません" in message


def test_a_long_file_shows_its_progress(tmp_path):
    rows = [
        f"株式会社テスト{n},てすと{n},企業,,高知市,社長,田中,,,取り組みます。,2024-04-01,,,," for n in range(1, 251)
    ]
    rows = [row.replace(f"てすと{n}", "てすと") for n, row in enumerate(rows, start=1)]

    out, err = run(write(tmp_path, [HEADER, *rows]), "--progress-every", "100")

    assert "検査中… 100/250行" in err
    assert "検査中… 250/250行" in err
    assert "登録中… 200/250行" in err
    assert Declaration.objects.count() == 250


def test_the_help_lists_the_columns(capsys):
    with pytest.raises(SystemExit):
        call_command("import_declarations", "--help")
    help_text = capsys.readouterr().out
    assert "*企業・団体名 / *企業・団体名（ふりがな） / *種別" in help_text
    assert "Shift_JIS" in help_text


# load_founding_declarants: the 70 founding declarants of 30 Oct 2022, once.


def load():
    call_command("load_founding_declarants", stdout=StringIO())


@pytest.mark.django_db
def test_founding_declarants_are_the_prefecture_34_municipalities_and_35_councils():
    load()
    founding = Declaration.objects.filter(is_founding=True)
    assert founding.count() == 1 + 34 + 1 + 34
    assert founding.filter(organisation_type=OrganisationType.PREFECTURE).get().name == "高知県"
    assert founding.filter(organisation_type=OrganisationType.MUNICIPALITY).count() == 34
    councils = founding.filter(organisation_type=OrganisationType.SOCIAL_WELFARE_COUNCIL)
    assert councils.count() == 35
    assert councils.filter(name="高知県社会福祉協議会").exists()
    assert councils.filter(name="黒潮町社会福祉協議会", municipality__name="黒潮町").exists()
    assert founding.get(name="檮原町").name_kana == "ゆすはらちょう"


@pytest.mark.django_db
def test_founding_declarants_are_public_with_the_forum_date_and_content():
    load()
    founding = Declaration.objects.filter(is_founding=True)
    assert set(founding.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert set(founding.values_list("declared_on", flat=True)) == {datetime.date(2022, 10, 30)}
    assert Declaration.objects.public().filter(is_founding=True).count() == 70
    assert all(d.content and d.name_kana for d in founding)
    assert not founding.exclude(email="").exists()


@pytest.mark.django_db
def test_running_twice_changes_nothing_and_keeps_staff_edits():
    load()
    kochi = Declaration.objects.get(name="高知市")
    kochi.content = "職員が書き換えた宣言内容"
    kochi.save()
    before = list(Declaration.objects.order_by("pk").values())
    out = StringIO()
    call_command("load_founding_declarants", stdout=out)
    assert list(Declaration.objects.order_by("pk").values()) == before
    assert "0件を追加" in out.getvalue()


# The import reads the same rules as the web form.


def test_the_import_columns_are_every_public_field_but_the_logo_and_every_private_one():
    assert [name for name, _, _ in columns()] == [name for name in PUBLIC_FIELDS if name != "logo"] + PRIVATE_FIELDS


@pytest.mark.parametrize(
    ("field", "column", "value"),
    [
        ("phone", "電話番号", "12345"),
        ("postal_code", "郵便番号", "78-08"),
        ("name_kana", "企業・団体名（ふりがな）", "Kochi"),
        ("website", "ホームページ", "javascript:alert(1)"),
        ("email", "メールアドレス", "not-an-email"),
        ("content", "宣言内容", "あ" * (CONTENT_MAX_LENGTH + 1)),
        ("name", "企業・団体名", "長" * 101),
    ],
)
def test_the_import_refuses_a_value_the_web_form_refuses(tmp_path, field, column, value):
    overrides = {field: value, "email_confirm": value} if field == "email" else {field: value}
    data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in form_data(**overrides).items()})
    assert field in ApplicationForm(data=data).errors  # the form refuses it …

    row = {
        "企業・団体名": "株式会社あ",
        "企業・団体名（ふりがな）": "あ",
        "種別": "企業",
        "所在市町村": "高知市",
        "代表者役職": "社長",
        "代表者氏名": "田中",
        "宣言内容": "取り組みます。",
        "宣言日": "2024-04-01",
        column: value,
    }
    _, err = run_failing(write(tmp_path, [",".join(row), ",".join(row.values())]))

    assert f"2行目: 「{column}」" in err  # … and so does the import, naming the column
    assert not Declaration.objects.exists()


def test_imported_and_founding_declarations_are_published_through_the_model_and_logged(tmp_path):
    run(write(tmp_path, [HEADER, GOOD_ROWS[0]]))
    load()

    imported = Declaration.objects.get(name="株式会社髙知ファーム")
    founding = Declaration.objects.get(reference_number="F-001")
    for declaration in (imported, founding):
        assert declaration.status == Status.PUBLISHED
        assert declaration.decided_at is not None
        assert ModelLogEntry.objects.for_instance(declaration).get().action == "declarations.import"


def test_a_heading_written_twice_is_refused_with_its_columns_and_nothing_is_written(tmp_path):
    # 「企業・団体名（ふりがな）」 in full-width brackets is the same heading as the half-width one in column B.
    header = HEADER + ",企業・団体名（ふりがな）"
    path = write(tmp_path, [header, *(row + ",べつのよみ" for row in GOOD_ROWS)])

    message, _ = run_failing(path)

    assert message.startswith("1行目: 見出し「企業・団体名（ふりがな）」が2回あります（B列とP列）。")
    assert "何も登録していません" in message
    assert not Declaration.objects.exists()

"""import_centres (UTF-8, UTF-8 with BOM, Shift_JIS, bad files, dry run, a second run) and load_sample_centres."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pages.centres.models import Centre

from .factories import HEADER, ROW_A, ROW_B, csv_text, make_centre

pytestmark = pytest.mark.django_db


def run(tmp_path, content, *args, encoding="utf-8"):
    path = tmp_path / "centres.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_centres", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


@pytest.mark.parametrize(
    ("encoding", "prefix", "label"),
    [("utf-8", b"", "UTF-8"), ("utf-8", b"\xef\xbb\xbf", "UTF-8（BOM付き）"), ("cp932", b"", "Shift_JIS")],
)
def test_reads_utf8_with_or_without_bom_and_shift_jis(tmp_path, encoding, prefix, label):
    out, err, failure = run(tmp_path, prefix + csv_text(ROW_A, ROW_B).encode(encoding))

    assert failure is None, err
    assert f"文字コード {label}、2行を検査します" in out
    assert "取り込みました: 追加 2件、更新 0件、変更なし 0件。" in out
    east = Centre.objects.get(key="aki-01")
    assert (east.name, east.municipality, east.region, east.phone) == (
        "あったかテスト東",
        "安芸市",
        "安芸",
        "0887-00-0001",
    )
    assert [s.name for s in east.services.all()] == ["集う", "相談"]
    centre = Centre.objects.get(key="kochi-01")
    assert centre.kana == "あったかてすとちゅうおう"  # katakana stored as hiragana
    assert [s.name for s in centre.services.all()] == ["集う", "送る"]
    assert str(centre.latitude) == "33.559000"
    assert not centre.is_sample


def test_shows_progress_on_stderr(tmp_path):
    rows = [ROW_A.replace("aki-01", f"aki-{n:02d}") for n in range(1, 6)]

    _, err, failure = run(tmp_path, csv_text(*rows), "--progress-every", "2")

    assert failure is None
    assert "検査中… 2/5行" in err and "検査中… 5/5行" in err
    assert "書き込み中… 5/5行" in err


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(tmp_path):
    rows = [
        ROW_A,
        ROW_B.replace("高知市,高知市テスト町", "東京都,東京都テスト町"),  # line 3
        ROW_A.replace("aki-01", "aki-02").replace("集う・相談", "集う・遊ぶ"),  # line 4
        ROW_A.replace("aki-01", "aki-03").replace("0887-00-0001", "電話"),  # line 5
        ",名前だけ,,安芸市,,,,,,,,,,,",  # line 6
        ROW_A,  # line 7: the same センターID as line 2
        ROW_A.replace("aki-01", "aki-04") + ",余分",  # line 8
        ROW_A.replace("aki-01", "aki-05").replace(",,", ",33.5,", 1).rstrip(","),  # line 9: latitude only
    ]

    _, err, failure = run(tmp_path, csv_text(*rows))

    assert "何も書き込んでいません" in failure
    assert "3行目: 「市町村」の「東京都」は高知県内の市町村名ではありません。" in err
    assert "4行目: 「サービス」の「遊ぶ」はサービスの一覧にありません" in err
    assert "5行目: 「電話番号」: 電話番号は市外局番から" in err
    assert "6行目: 「センターID」が空です。" in err
    assert "6行目: 「よみ」が空です。" in err
    assert "6行目: 「所在地」が空です。" in err
    assert "7行目: センターID「aki-01」は2行目と重複しています。" in err
    assert "8行目: 列の数が見出し行より多くなっています" in err
    assert "9行目: 緯度と経度は両方入力するか" in err
    assert "2行目" not in err.replace("2行目と重複", "")
    assert Centre.objects.count() == 0


def test_a_quoted_value_over_two_lines_keeps_the_line_numbers_excel_shows(tmp_path):
    multiline = ROW_B.replace("火・木", '"火・木\n（祝日は休み）"')
    bad = ROW_A.replace("安芸市,安芸市", "ＸＸ市,安芸市")

    _, err, failure = run(tmp_path, csv_text(multiline, bad))

    assert failure
    assert "4行目: 「市町村」の「XX市」" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "ファイルが空です"),
        ("センターID,センター名\r\naki-01,テスト\r\n", "必須の列がありません: よみ、市町村、所在地"),
        (HEADER + "\r\n", "取り込む行がありません"),
        (b"\xff\xfe\x00\x00\x81", "文字コードを判別できません"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(tmp_path, content, message):
    _, _, failure = run(tmp_path, content)

    assert message in failure
    assert Centre.objects.count() == 0


def test_a_heading_written_twice_is_refused_with_its_columns_and_nothing_is_written(tmp_path):
    # The second 「センター名」 (full-width space: the same heading) used to win silently.
    header = HEADER + ",センター\u3000名"
    out, _, failure = run(tmp_path, csv_text(ROW_A + ",別の名前", ROW_B + ",別の名前2", header=header))

    assert failure.startswith("1行目: 見出し「センター\u3000名」が2回あります（B列とP列）。")
    assert "何も登録していません" in failure
    assert Centre.objects.count() == 0


def test_a_missing_file_is_a_japanese_error(tmp_path):
    with pytest.raises(CommandError, match="ファイルを読めません"):
        call_command("import_centres", str(tmp_path / "none.csv"), stdout=io.StringIO())


def test_unknown_columns_are_read_over_and_said(tmp_path):
    out, err, failure = run(tmp_path, csv_text(ROW_A + ",安芸", header=HEADER + ",地域"))

    assert failure is None
    assert "次の列は読み飛ばします: 地域" in err


def test_dry_run_reports_what_would_change_and_writes_nothing(tmp_path):
    make_centre("旧い名前", key="aki-01", municipality="安芸市")

    out, _, failure = run(tmp_path, csv_text(ROW_A, ROW_B), "--dry-run")

    assert failure is None
    assert "3行目: 追加 kochi-01（あったかテスト中央）" in out
    assert "2行目: 更新 aki-01（あったかテスト東）: センター名、よみ、所在地" in out
    assert "検査のみ（--dry-run）: 追加 1件、更新 1件、変更なし 0件になります。何も書き込んでいません。" in out
    assert list(Centre.objects.values_list("key", "name")) == [("aki-01", "旧い名前")]


def test_a_second_run_updates_by_centre_id_and_a_third_changes_nothing(tmp_path):
    run(tmp_path, csv_text(ROW_A, ROW_B))
    first_ids = dict(Centre.objects.values_list("key", "pk"))

    out, _, failure = run(tmp_path, csv_text(ROW_A.replace("9時〜16時", "9時〜17時"), ROW_B))
    assert failure is None
    assert "2行目: 更新 aki-01（あったかテスト東）: 開所時間" in out
    assert "追加 0件、更新 1件、変更なし 1件" in out
    assert Centre.objects.get(key="aki-01").opening_hours == "9時〜17時"
    assert dict(Centre.objects.values_list("key", "pk")) == first_ids

    out, _, _ = run(tmp_path, csv_text(ROW_A.replace("9時〜16時", "9時〜17時"), ROW_B))
    assert "追加 0件、更新 0件、変更なし 2件" in out


def test_importing_a_sample_centres_id_makes_it_real(tmp_path):
    make_centre("見本", key="aki-01", municipality="安芸市", is_sample=True)

    run(tmp_path, csv_text(ROW_A))

    assert not Centre.objects.get(key="aki-01").is_sample


def test_sample_centres_are_loaded_once_and_only_into_an_empty_directory():
    call_command("load_sample_centres", stdout=io.StringIO())
    samples = list(Centre.objects.values_list("key", "name", "is_sample"))
    assert len(samples) == 5 and all(is_sample for _, _, is_sample in samples)
    assert all(Centre.objects.get(key=key).display_name.startswith("（見本）") for key, _, _ in samples)
    assert not Centre.objects.exclude(phone="").exclude(phone__startswith="000-").exists()
    # Japanese text keeps its full-width brackets through NFKC: （見本）安芸市…, never (見本).
    east = Centre.objects.get(key="sample-01")
    assert east.address.startswith("（見本）安芸市") and east.operator.startswith("（見本）")
    assert not Centre.objects.filter(address__contains="(").exists()

    out = io.StringIO()
    call_command("load_sample_centres", stdout=out)
    assert "見本は追加しません" in out.getvalue()
    assert list(Centre.objects.values_list("key", "name", "is_sample")) == samples


def test_the_help_lists_the_columns_and_the_services(capsys):
    with pytest.raises(SystemExit):
        call_command("import_centres", "--help")
    text = capsys.readouterr().out
    assert "*センターID / *センター名 / *よみ / *市町村 / *所在地 / 電話番号" in text
    assert "集う・訪ねる・泊まる・働く・預かる・送る・相談" in text


def test_a_clash_with_a_change_made_meanwhile_writes_nothing(tmp_path, monkeypatch):
    from pages.centres import importing

    original = importing.Checker.check

    def check_then_staff_add_the_same_id(self, row):
        result = original(self, row)
        if row.line == 3:
            make_centre("管理画面で追加", key="kochi-01")
        return result

    monkeypatch.setattr(importing.Checker, "check", check_then_staff_add_the_same_id)

    _, _, failure = run(tmp_path, csv_text(ROW_A, ROW_B))

    assert "ほかの変更と重なったため、何も書き込んでいません" in failure
    assert list(Centre.objects.values_list("key", flat=True)) == ["kochi-01"]


def test_a_column_the_file_lacks_leaves_that_field_as_it_is(tmp_path):
    make_centre(
        "東",
        key="aki-01",
        municipality="安芸市",
        latitude="33.5",
        longitude="133.9",
        parking="3台",
        services=["泊まる"],
    )
    header = "センターID,センター名,よみ,市町村,所在地"

    out, _, failure = run(tmp_path, csv_text("aki-01,東の新しい名前,ひがし,安芸市,安芸市1-1", header=header))

    assert failure is None
    centre = Centre.objects.get(key="aki-01")
    assert centre.name == "東の新しい名前"
    assert (str(centre.latitude), str(centre.longitude), centre.parking) == ("33.500000", "133.900000", "3台")
    assert [s.name for s in centre.services.all()] == ["泊まる"]
    assert "更新 aki-01（東の新しい名前）: センター名、よみ、所在地" in out


def test_an_imported_row_with_half_width_brackets_is_stored_full_width_but_keeps_its_ascii_id(tmp_path):
    source = tmp_path / "centres.csv"
    source.write_text(
        HEADER
        + "\nhigashi-1,東のセンター(本所),ひがし,高知市,高知市本町(2階),088-000-0000,"
        + "月曜日(祝日を除く),,,,,,(社福)東会,,\n",
        encoding="utf-8",
    )
    call_command("import_centres", str(source), stdout=io.StringIO(), stderr=io.StringIO())
    centre = Centre.objects.get(key="higashi-1")
    assert (centre.name, centre.address, centre.opening_days, centre.operator) == (
        "東のセンター（本所）",
        "高知市本町（2階）",
        "月曜日（祝日を除く）",
        "（社福）東会",
    )


@pytest.mark.database
def test_the_migration_gives_centres_saved_before_full_width_brackets():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pages.centres.migrations.0003_centre_fullwidth_brackets")
    old = make_centre("旧センター", address="(見本)安芸市○○町1-1", operator="(見本)○○会", phone="000-000-0001")
    migration.fullwidth(apps, None)
    old.refresh_from_db()
    assert (old.address, old.operator, old.phone) == ("（見本）安芸市○○町1-1", "（見本）○○会", "000-000-0001")

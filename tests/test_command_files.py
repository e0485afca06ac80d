"""Every command that reads a file someone names (the two CSV imports, the two TOML data files,
restore_site) ends a bad file with its own Japanese message and a CommandError, never a traceback,
and writes nothing."""

import csv
import io
import json
import random
import tarfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from declarations.management.commands.import_declarations import columns
from declarations.models import Declaration
from pages.centres.models import Centre
from pages.centres.tests.factories import HEADER as CENTRES_HEADER
from pages.centres.tests.factories import ROW_A
from pages.management.commands.load_initial_content import DEFAULT_FILE as SEED_FILE
from pages.news.models import ArticleIndexPage

pytestmark = pytest.mark.django_db

DECLARATIONS_HEADER = ",".join(heading for _, heading, _ in columns())
DECLARATION_ROW = "株式会社テスト,てすと,企業,,高知市,社長,田中 一郎,,,取り組みます。,2024-04-01,,,"
GARBAGE = random.Random(20).randbytes(4096)  # the same bytes every run
TOO_LONG = "x" * 10_000_000


def stored():
    """What the commands could have written: a count per kind, compared before and after."""
    return (Centre.objects.count(), Declaration.objects.count(), Page.objects.count())


def failure(*args, **options):
    before = stored()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    assert stored() == before
    return str(raised.value)


# The CSV imports ---------------------------------------------------------------------------------

CSV_IMPORTS = [("import_centres", CENTRES_HEADER, ROW_A), ("import_declarations", DECLARATIONS_HEADER, DECLARATION_ROW)]


@pytest.fixture(params=CSV_IMPORTS, ids=[command for command, _, _ in CSV_IMPORTS])
def csv_import(request):
    return request.param


def csv_file(tmp_path, content):
    path = tmp_path / "list.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_a_ten_megabyte_cell_names_its_line_and_the_limit(tmp_path, csv_import):
    command, header, row = csv_import
    path = csv_file(tmp_path, f'{header}\r\n{row}\r\n"{TOO_LONG}",{row}\r\n{row}\r\n')

    message = failure(command, str(path))

    assert message.startswith("3行目: セルが長すぎるため読めません")
    assert f"{csv.field_size_limit():,}文字まで" in message


def test_an_unclosed_quote_that_swallows_the_rest_of_a_big_file_names_the_line_it_starts_on(tmp_path, csv_import):
    command, header, row = csv_import
    rows = "\r\n".join([row] * (csv.field_size_limit() // len(row) + 1))
    path = csv_file(tmp_path, f'{header}\r\n{row}\r\n"閉じ忘れ,{rows}\r\n')

    assert failure(command, str(path)).startswith("3行目: セルが長すぎるため読めません")


def test_a_nul_byte_names_its_line(tmp_path, csv_import):
    command, header, row = csv_import
    path = csv_file(tmp_path, f"{header}\r\n{row}\r\n{row}\r\nab\x00c,{row}\r\n")

    message = failure(command, str(path))

    assert message.startswith("4行目にNUL文字（0x00）があります。")
    assert "「CSV（コンマ区切り）」" in message


@pytest.mark.parametrize(
    "content",
    [GARBAGE, "センター".encode("utf-16")],
    ids=["binary-garbage", "utf-16"],
)
def test_bytes_that_are_not_utf8_or_shift_jis_are_refused(tmp_path, csv_import, content):
    command, _, _ = csv_import
    message = failure(command, str(csv_file(tmp_path, content)))
    assert "文字コードを判別できません" in message


def test_a_file_marked_utf8_with_bytes_that_are_not_names_the_line(tmp_path, csv_import):
    command, header, row = csv_import
    path = csv_file(tmp_path, f"\ufeff{header}\r\n{row}\r\n".encode() + "株式会社".encode("cp932") + b",\r\n")

    assert failure(command, str(path)).startswith("3行目に、UTF-8として読めない文字があります")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("none.csv", "ファイルがありません"),
        (".", "ファイルではなくフォルダーです"),
        ("none/list.csv", "ファイルがありません"),
    ],
)
def test_a_missing_file_or_a_folder_says_so(tmp_path, csv_import, name, reason):
    command, _, _ = csv_import
    assert failure(command, str(tmp_path / name)) == f"ファイルを読めません: {tmp_path / name}（{reason}）"


# The TOML data files -----------------------------------------------------------------------------

TOML_COMMANDS = [("load_initial_content", "初期コンテンツのファイル"), ("load_sample_articles", "記事の見本のファイル")]


@pytest.fixture(params=TOML_COMMANDS, ids=[command for command, _ in TOML_COMMANDS])
def toml_command(request):
    return request.param


def toml_file(tmp_path, content):
    path = tmp_path / "data.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('title = "a"\nslug = "a\n', "の書式が正しくありません: {path}: 2行目"),
        ('title = "a"\n\nslug = 1\x00\n', "の書式が正しくありません: {path}: 3行目"),
        ('title = "a', "の書式が正しくありません: {path}: ファイルの終わり: "),
        (b'title = "a"\nslug = "\x82\xa0"\n', "を読めません: {path}: 2行目にUTF-8でない文字があります。"),
        (GARBAGE, "を読めません: {path}: 1行目にUTF-8でない文字があります。"),
    ],
    ids=["unclosed-string", "nul-byte", "end-of-file", "shift-jis", "binary-garbage"],
)
def test_a_data_file_that_is_not_toml_names_its_line(tmp_path, toml_command, content, expected):
    command, what = toml_command
    path = toml_file(tmp_path, content)

    message = failure(command, file=str(path))

    assert message.startswith(what + expected.format(path=path))


@pytest.mark.parametrize(
    ("name", "reason"), [("none.toml", "ファイルがありません"), (".", "ファイルではなくフォルダーです")]
)
def test_a_missing_data_file_or_a_folder_says_so(tmp_path, toml_command, name, reason):
    command, what = toml_command
    assert failure(command, file=str(tmp_path / name)) == f"{what}を読めません: {tmp_path / name}（{reason}）"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("index = 5\n", "index: 表（{ } または [[ ]]）にしてください"),
        (
            '[index]\ntitle = "a"\nslug = "a"\n[categories]\nname = "a"\n',
            "categories: [[categories]] の表の並びにしてください",
        ),
        ('[index]\ntitle = 5\nslug = "a"\n', 'index: title は文字列（"…"）で書いてください'),
        (
            '[index]\ntitle = "a"\nslug = "a"\n[[categories]]\nname = "a"\nslug = "a"\nsort_order = "一"\n',
            "categories[0]: sort_order は整数で書いてください",
        ),
        (
            '[index]\ntitle = "a"\nslug = "a"\n[[categories]]\nname = "a"\nslug = "a"\n[[articles]]\nslug = "s"\n'
            'title = "（見本）"\ncategory = "a"\npublished_on = "昨日"\nintroduction = "i"\nbody = ["段落"]\n',
            "articles[0]（s）: published_on は2026-11-30 のような日付で書いてください",
        ),
        (
            '[index]\ntitle = "a"\nslug = "a"\n[[categories]]\nname = "a"\nslug = "a"\n[[articles]]\nslug = "s"\n'
            'title = "（見本）"\ncategory = "a"\npublished_on = 2026-01-01\nintroduction = "i"\nbody = ["段落"]\n',
            "articles[0]（s） の body[0]: 表（[[articles.body]]）にしてください",
        ),
    ],
    ids=["index-not-a-table", "categories-not-a-list", "title-not-text", "number-as-text", "date-as-text", "body-text"],
)
def test_sample_articles_of_the_wrong_shape_name_the_entry(tmp_path, content, expected):
    path = toml_file(tmp_path, content)
    assert failure("load_sample_articles", file=str(path)) == f"{path}: {expected}"
    assert not ArticleIndexPage.objects.exists()


def test_a_seed_entry_that_is_not_a_table_names_it(tmp_path):
    text = SEED_FILE.read_text(encoding="utf-8")
    old = '{ label = "調整・援護調査担当（調整）", number = "088-823-9664" },'
    assert old in text
    path = toml_file(tmp_path, text.replace(old, '"088-823-9664",', 1))
    assert failure("load_initial_content", file=str(path)) == (
        f"{path}: contact.phone_lines[0]: 表（{{ }} または [[ ]]）にしてください"
    )


# restore_site ------------------------------------------------------------------------------------


# backup_site copies SQLite with its online backup API, which cannot read a database while the same connection
# holds a write transaction (a test's own, on SQLite, begins IMMEDIATE): these tests run outside one, as the
# command does in production.
BACKED_UP = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def backup(tmp_path):
    call_command("backup_site", "--output", str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


@pytest.fixture
def kept_media():
    """A file in the media folder that a refused restore must leave where it is."""
    path = settings.MEDIA_ROOT / "kept-by-a-refused-restore.txt"
    path.write_text("残る", encoding="utf-8")
    yield path
    path.unlink(missing_ok=True)


@BACKED_UP
@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (b"\xff{", "は backup_site のバックアップではありません（manifest.json が壊れています: "),
        (b"[]", "の内容が backup_site の書いた形ではありません。"),
        (b'{"database": "sqlite", "database_file": "../../etc/passwd", "media": {}}', "書いた形ではありません。"),
        (b'{"database": "sqlite", "database_file": "db", "media": {"SECRET_KEY": "x"}}', "書いた形ではありません。"),
    ],
    ids=["not-json", "not-an-object", "path-out-of-the-backup", "unknown-folder"],
)
def test_restore_refuses_a_manifest_it_did_not_write(backup, kept_media, manifest, expected):
    (backup / "manifest.json").write_bytes(manifest)
    assert expected in failure("restore_site", str(backup), "--noinput")
    assert kept_media.exists()


@BACKED_UP
def test_restore_refuses_a_missing_or_damaged_database_file_and_changes_nothing(backup, kept_media):
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    dump = backup / manifest["database_file"]
    dump.write_bytes(GARBAGE)
    assert failure("restore_site", str(backup), "--noinput").startswith(
        f"データベースのバックアップ {dump} が壊れています"
    )

    dump.unlink()
    assert failure("restore_site", str(backup), "--noinput") == f"データベースのバックアップ {dump} がありません。"
    assert not dump.exists()  # never created by opening it
    assert kept_media.exists()


@BACKED_UP
@pytest.mark.parametrize("damage", ["truncated", "garbage", "missing"])
def test_restore_refuses_a_damaged_media_archive_before_replacing_anything(backup, kept_media, damage):
    archive = backup / "private-media.tar.gz"
    if damage == "truncated":
        content = archive.read_bytes()
        archive.write_bytes(content[: len(content) // 2])
    elif damage == "garbage":
        archive.write_bytes(GARBAGE)
    else:
        archive.unlink()

    message = failure("restore_site", str(backup), "--noinput")

    assert message.startswith(str(archive))
    assert kept_media.exists()


@BACKED_UP
def test_restore_refuses_an_archive_whose_entries_would_leave_the_folder(backup, kept_media, tmp_path):
    archive = backup / "media.tar.gz"
    outside = tmp_path / "outside.txt"
    outside.write_text("外", encoding="utf-8")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(outside, arcname="../outside.txt")

    assert "が壊れているため、何も復元していません" in failure("restore_site", str(backup), "--noinput")
    assert kept_media.exists()

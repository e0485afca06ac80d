"""The one rule for writing text someone typed (an application, a feedback comment) into a cell of a CSV
file that people open in Excel.

A cell that starts with one of FORMULA_PREFIXES is run as a formula by spreadsheet programs (CSV
injection); such a cell gets a leading apostrophe, which Excel shows as text and does not display.
The register's open data and staff export, and the feedback and event-application exports, use
`safe_cell`. Control characters stored by an import or before the form refused them are removed
(`core.text.clean`), here and in `export_value` for the Excel export, which openpyxl refuses
to write with them.

`read_table` is the one rule for reading the CSV files staff save from Excel (the imports): the
encoding, the rows and the line each starts on, and what makes a file unreadable, in Japanese.
"""

import csv
import io
import re
from dataclasses import dataclass

from core.text import clean

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def export_value(value):
    """A value for a spreadsheet cell (CSV or Excel): text without control characters, others as they are."""
    return clean(value) if isinstance(value, str) else value


def safe_cell(value):
    """A value as the text of one CSV cell: None is empty, a list is joined with 「、」, formulas are defused."""
    if isinstance(value, list | tuple):
        value = "、".join(str(item) for item in value)
    text = clean(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as a CSV file; the message says why in Japanese."""


def decode(raw):
    """(text, encoding name) for a CSV file saved as UTF-8 (with or without BOM) or Shift_JIS (cp932)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8（BOM付き）"
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, 3 + error.start) + 1
            raise UnreadableFile(
                f"{line}行目に、UTF-8として読めない文字があります（ファイルの先頭にはUTF-8の印（BOM）があります）。"
                "ExcelでCSVとして保存し直してください。"
            ) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # cp932 is Windows' Shift_JIS: it has the ① and 髙 that Excel files contain.
        return raw.decode("cp932"), "Shift_JIS"
    except UnicodeDecodeError:
        raise UnreadableFile(
            "ファイルの文字コードを判別できません。UTF-8 または Shift_JIS で保存したCSVを指定してください。"
        ) from None


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_of(text, index):
    """The line number (from 1) of text[index], counting line breaks as the csv module does."""
    return len(LINE_BREAK.findall(text, 0, index)) + 1


@dataclass
class Table:
    encoding: str
    header: list  # the cells of line 1, as written
    rows: list  # (the line the row starts on, its cells) for every row that is not blank


def column_name(index):
    """Excel's name of the column at `index` (from 0): A, B, … Z, AA."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def refuse_duplicate_headings(header, heading_key):
    """A heading written twice (as `heading_key` compares them) would leave one of its columns unread
    without a word: the file is refused, naming the heading and both columns."""
    seen = {}
    for index, heading in enumerate(header):
        key = heading_key(heading)
        if not key:
            continue
        if key in seen:
            first = seen[key]
            raise UnreadableFile(
                f"1行目: 見出し「{clean(heading, multiline=False).strip()}」が2回あります"
                f"（{column_name(first)}列と{column_name(index)}列）。どちらの列の値を使うか決められないため、"
                "何も登録していません。使わない方の列を削除するか、見出しを直してから、もう一度実行してください。"
            )
        seen[key] = index


def read_table(raw, heading_key=str.strip):
    """The heading row and the rows of a CSV file's bytes, or UnreadableFile saying why and where.
    `heading_key`: what makes two headings the same (the importer's own comparison); none may repeat."""
    text, encoding = decode(raw)
    nul = text.find("\x00")
    if nul >= 0:
        # Never in a CSV file Excel writes; an .xlsx workbook saved under another name has them.
        raise UnreadableFile(
            f"{line_of(text, nul)}行目にNUL文字（0x00）があります。CSVファイルではないか、壊れています。"
            "Excelで「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」の形式で保存し直してください。"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    header, rows = None, []
    read_up_to = 0
    try:
        for cells in reader:
            # A quoted value may span lines: a row's number is the line it starts on, as Excel shows it.
            start, read_up_to = read_up_to + 1, reader.line_num
            if header is None:
                header = cells
            elif any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as error:
        line = read_up_to + 1
        if "field limit" in str(error):
            raise UnreadableFile(
                f"{line}行目: セルが長すぎるため読めません（1つのセルは{csv.field_size_limit():,}文字まで）。"
                '「"」で囲んだセルの、閉じる側の「"」が抜けていないか確かめてください。'
            ) from None
        raise UnreadableFile(f"{line}行目をCSVとして読めません（{error}）。") from None
    if header is None:
        raise UnreadableFile("ファイルが空です。1行目に見出し行が必要です。")
    refuse_duplicate_headings(header, heading_key)
    return Table(encoding, header, rows)

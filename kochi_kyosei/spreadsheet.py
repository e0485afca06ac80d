"""The one rule for writing text someone typed (an application, a feedback comment) into a cell of a CSV
file that people open in Excel.

A cell that starts with one of FORMULA_PREFIXES is run as a formula by spreadsheet programs (CSV
injection); such a cell gets a leading apostrophe, which Excel shows as text and does not display.
The register's open data and staff export, and the feedback and event-application exports, use
`safe_cell`. Control characters stored by an import or before the form refused them are removed
(`kochi_kyosei.text.clean`), here and in `export_value` for the Excel export, which openpyxl refuses
to write with them.

`decode` is the one rule for reading the CSV files staff save from Excel (the imports).
"""

from kochi_kyosei.text import clean

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


class UnknownEncoding(ValueError):
    """The bytes are neither UTF-8 nor Shift_JIS."""


def decode(raw):
    """(text, encoding name) for a CSV file saved as UTF-8 (with or without BOM) or Shift_JIS (cp932)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8（BOM付き）"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # cp932 is Windows' Shift_JIS: it has the ① and 髙 that Excel files contain.
        return raw.decode("cp932"), "Shift_JIS"
    except UnicodeDecodeError:
        raise UnknownEncoding(
            "ファイルの文字コードを判別できません。UTF-8 または Shift_JIS で保存したCSVを指定してください。"
        ) from None

"""The one rule for writing applicant-typed text into a cell of a CSV file that people open in Excel.

A cell that starts with one of FORMULA_PREFIXES is run as a formula by spreadsheet programs (CSV
injection); such a cell gets a leading apostrophe, which Excel shows as text and does not display.
The register's open data and staff export and the event applications' export use `safe_cell`.
Control characters stored by an import or before the form refused them are removed
(`kochi_kyosei.text.clean`), here and in `export_value` for the Excel export, which openpyxl refuses to write with them.
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

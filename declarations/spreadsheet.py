"""The CSV cell rule, kept in kochi_kyosei/spreadsheet.py so that every app's export reads the same one."""

from kochi_kyosei.spreadsheet import FORMULA_PREFIXES, export_value, safe_cell

__all__ = ["FORMULA_PREFIXES", "export_value", "safe_cell"]

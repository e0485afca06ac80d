"""The register's CSV and Excel cells follow the site's one cell rule (`kochi_kyosei.spreadsheet`)."""

from kochi_kyosei.spreadsheet import FORMULA_PREFIXES, export_value, safe_cell

__all__ = ["FORMULA_PREFIXES", "export_value", "safe_cell"]

"""What the editor guide says about the directory, from the rules themselves (the import's columns)."""

from django import template

from pages.centres import importing

register = template.Library()


@register.simple_tag
def centre_import_columns():
    """「*センターID / *センター名 / …」: the import's headings, required ones marked with *."""
    return importing.columns_help()

"""`<id:pk>` in URL patterns: a database id, 1 to MAX_ID. A longer number matches no pattern (a 404):
with `<int:pk>` it reached the query, where SQLite raises OverflowError for integers over 64 bits.

Importing this module registers the converter; every URL module that uses `<id:…>` imports it."""

from django.urls import register_converter

from .text import MAX_ID, parse_id


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not a database id: {value}")
        return number

    def to_url(self, value):
        if parse_id(value) is None:
            raise ValueError(f"not a database id (1 to {MAX_ID}): {value}")
        return str(value)


register_converter(IdConverter, "id")

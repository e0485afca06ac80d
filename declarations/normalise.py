"""Japanese input normalisation, kept in core/japanese_input.py so that every form reads one rule."""

from core.japanese_input import (
    DASHES,
    KANA_READING,
    KATAKANA_TO_HIRAGANA,
    digits_and_dashes,
    is_kana_reading,
    phone_number,
    postal_code,
    single_line,
    strip_spaces,
    to_hiragana,
)

__all__ = [
    "DASHES",
    "KANA_READING",
    "KATAKANA_TO_HIRAGANA",
    "digits_and_dashes",
    "is_kana_reading",
    "phone_number",
    "postal_code",
    "single_line",
    "strip_spaces",
    "to_hiragana",
]

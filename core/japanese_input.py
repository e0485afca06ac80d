"""Turn text as Japanese people type it into one stored form.

Applicants type with an IME: full-width digits and hyphens, the long-vowel mark instead of a hyphen,
full-width spaces, ふりがな in katakana. The form accepts all of these and stores one spelling, so that
あいうえお order and searches work.
"""

import re
import unicodedata

from core.text import ascii_digits

# Characters people type for "-" in postal codes and phone numbers (after NFKC has run).
DASHES = "‐‑‒–—―−ーｰ─━"
_DASH_TABLE = str.maketrans(dict.fromkeys(DASHES, "-"))

KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}
# Hiragana, the long-vowel mark, the middle dot and spaces: what a reading may contain once stored.
KANA_READING = re.compile(r"^[\u3041-\u3096\u309d\u309eー・ ]+$")


def strip_spaces(value):
    """Remove surrounding spaces, full-width (U+3000) ones included; newlines become \\n."""
    if value is None:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip(" \t\n\u3000")


# NFKC turns the full-width brackets of Japanese text into ASCII ones; text shown in Japanese sentences
# (an address, an operator's name, （見本）) keeps the full-width form, as 公用文 writes it.
_JAPANESE_BRACKETS = str.maketrans("()", "（）")


def japanese_brackets(value):
    """Round brackets made full-width: (見本) → （見本）."""
    return (value or "").translate(_JAPANESE_BRACKETS)


def single_line(value):
    """NFKC (full-width letters and digits to half-width, half-width katakana to full-width) and trimmed."""
    return strip_spaces(unicodedata.normalize("NFKC", value or ""))


def to_hiragana(value):
    """ふりがな as stored: NFKC, katakana turned to hiragana, runs of spaces made one half-width space."""
    value = single_line(value).translate(KATAKANA_TO_HIRAGANA)
    return re.sub(r"\s+", " ", value)


def is_kana_reading(value):
    return bool(KANA_READING.match(value))


def digits_and_dashes(value):
    """NFKC, every decimal digit made ASCII (٧ → 7), every dash-like character made "-", spaces removed.

    Digits of other scripts are converted rather than refused: they mean the same numbers, the result
    is still checked against the Japanese format, and only ASCII digits are ever stored.
    """
    value = ascii_digits(single_line(value)).translate(_DASH_TABLE)
    return re.sub(r"\s+", "", value)


def postal_code(value):
    """ "７８０ー８５７０" or "〒7808570" → "780-8570"; None when it is not seven digits."""
    value = digits_and_dashes(value).lstrip("〒")
    digits = value.replace("-", "")
    if not re.fullmatch(r"[0-9]{7}", digits) or not re.fullmatch(r"[0-9]{3}-?[0-9]{4}", value):
        return None
    return f"{digits[:3]}-{digits[3:]}"


def phone_number(value):
    """ "０８８（８２３）９０９７" → "088-823-9097"; None unless it is a Japanese number of 10 or 11 digits."""
    value = digits_and_dashes(value)
    value = re.sub(r"\(([0-9]+)\)", r"-\1-", value).strip("-")
    value = re.sub(r"-+", "-", value)
    if not re.fullmatch(r"0[0-9-]+", value):
        return None
    if len(value.replace("-", "")) not in (10, 11):
        return None
    return value

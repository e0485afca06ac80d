"""Characters: which are kanji (what gets a reading) and katakana to hiragana."""

import re

# CJK ideographs (with extension A, compatibility ideographs and the supplementary planes' extensions)
# and the marks written as part of a kanji word: 々 (人々), 〆.
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆]")
KANJI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆]+")
_KATAKANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_KANA = re.compile(r"[\u3041-\u3096\u309d\u309eー]+")


def to_hiragana(text):
    """カタカナ as ひらがな (ヴ→ゔ; ヷ and the like, which have no hiragana, stay)."""
    return text.translate(_KATAKANA)


def is_kana(text):
    return bool(_KANA.fullmatch(text))

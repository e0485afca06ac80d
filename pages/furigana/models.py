"""Readings staff correct (ふりがなの修正): a word the analyser or the names table reads wrongly for this site.

A correction wins over both. Saving or deleting one replaces the page cache's generation like any model
(it is not on core.page_cache.IGNORED_MODELS), so every stored ふりがな page is rendered again with it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

from .text import KANJI

WORD_MAX_LENGTH = 50
READING_MAX_LENGTH = 100
# Hiragana, the long-vowel mark and the iteration marks: what a ruby reading is written in.
_READING = re.compile(r"[\u3041-\u3096\u309d\u309eー]+")


def validate_word(value):
    if not KANJI.search(value or ""):
        raise ValidationError(
            "ことばには漢字を1字以上含めてください（ふりがなは漢字の上に付きます）。", code="no_kanji"
        )


def validate_reading(value):
    if not _READING.fullmatch(value or ""):
        raise ValidationError("よみはひらがなで入力してください（例：しまんとちょう）。", code="not_hiragana")


class ReadingCorrection(models.Model):
    """A word and how this site reads it, used before the analyser and the names table."""

    word = models.CharField(
        "ことば",
        max_length=WORD_MAX_LENGTH,
        unique=True,
        validators=[validate_word],
        help_text="ページに書かれているとおりに入力します。例：梼原町",
        error_messages={"unique": "このことばのよみは登録済みです。一覧から修正してください。"},
    )
    reading = models.CharField(
        "よみ",
        max_length=READING_MAX_LENGTH,
        validators=[validate_reading],
        help_text="ことば全体のよみを、ひらがなで入力します。例：ゆすはらちょう",
    )
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "ふりがなの修正"
        verbose_name_plural = "ふりがなの修正"
        ordering = ["word"]

    def __str__(self):
        return f"{self.word}（{self.reading}）"

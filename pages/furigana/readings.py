"""Which reading each kanji word of a text gets: staff corrections first, then the names the site knows,
then the analyser.

- Corrections (`ReadingCorrection`, edited in the admin) and the names every app registers with the site
  search (`pages.search.registry.register_readings`: the prefecture, the 34 municipalities, the centres)
  form one lexicon, longest name first, a correction replacing a name's reading. They are matched in the
  text before the analyser runs, because the analyser reads a name by its parts when it splits it
  (四万十 alone is よんまんじゅう to it).
- What is left goes to the analyser (`analyser.py`), one token at a time.

A reading is put over the kanji only: the kana a word is written with stay outside the ruby
(取り組み → 取(と)り組(く)み), and a municipality's or the prefecture's suffix gets its own (四万十(しまんと)
町(ちょう)), so each kanji word reads as a child learns it.

The lexicon is built once per page-cache generation: any saved correction, municipality or centre
replaces the generation (core/page_cache.py), so the next ふりがな page reads the new table.
"""

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from pages.search import registry
from pages.search.readings import SUFFIX_READINGS

from . import analyser
from .text import KANJI, KANJI_RUN, is_kana, to_hiragana

# The day of a date is read apart from the number's own reading (10月1日 is ついたち, not いちにち).
DAY_READINGS = {
    1: "ついたち",
    2: "ふつか",
    3: "みっか",
    4: "よっか",
    5: "いつか",
    6: "むいか",
    7: "なのか",
    8: "ようか",
    9: "ここのか",
    10: "とおか",
    14: "じゅうよっか",
    20: "はつか",
    24: "にじゅうよっか",
}
_DIGITS = re.compile(r"[0-9０-９]+")


@dataclass(frozen=True)
class Lexicon:
    readings: dict
    pattern: re.Pattern | None

    def find(self, text):
        return self.pattern.finditer(text) if self.pattern is not None else ()


def build_lexicon(pairs):
    """A lexicon of (word, reading) pairs; a later pair for the same word replaces an earlier one."""
    readings = {}
    for word, reading in pairs:
        word, reading = (word or "").strip(), to_hiragana((reading or "").strip())
        if KANJI.search(word) and is_kana(reading):
            readings[word] = reading
    if not readings:
        return Lexicon({}, None)
    words = sorted(readings, key=len, reverse=True)
    return Lexicon(readings, re.compile("|".join(re.escape(word) for word in words)))


def site_pairs():
    """The registered names' readings, then the staff's corrections (which win)."""
    from .models import ReadingCorrection

    return [*registry.reading_pairs(), *ReadingCorrection.objects.values_list("word", "reading")]


_lexicons = {}
_lexicons_lock = threading.Lock()


def lexicon_for(generation):
    """The site's lexicon, kept for one page-cache generation (built afresh when there is none)."""
    if generation is None:
        return build_lexicon(site_pairs())
    with _lexicons_lock:
        found = _lexicons.get(generation)
    if found is None:
        found = build_lexicon(site_pairs())
        with _lexicons_lock:
            _lexicons.clear()
            _lexicons[generation] = found
    return found


def split_suffix(word, reading):
    """[(word, reading)], or the name and its administrative suffix apart: 四万十町 → 四万十, 町."""
    suffix = word[-1]
    if len(word) > 1 and KANJI.search(word[:-1]):
        for suffix_reading in SUFFIX_READINGS.get(suffix, ()):
            stem = reading[: -len(suffix_reading)]
            if reading.endswith(suffix_reading) and stem:
                return [(word[:-1], stem), (suffix, suffix_reading)]
    return [(word, reading)]


def align(word, reading):
    """[(text, reading or None)]: the reading over each run of kanji, the word's kana outside it.
    When the kana of the word are not in the reading (an unusual reading), the whole word gets it."""
    runs = []
    position = 0
    for match in KANJI_RUN.finditer(word):
        if match.start() > position:
            runs.append((word[position : match.start()], False))
        runs.append((match.group(), True))
        position = match.end()
    if position < len(word):
        runs.append((word[position:], False))
    if not any(is_kanji for _, is_kanji in runs):
        return [(word, None)]
    if len(runs) == 1:
        return split_suffix(word, reading)
    pattern = "".join("(.+?)" if is_kanji else f"({re.escape(to_hiragana(text))})" for text, is_kanji in runs)
    match = re.fullmatch(pattern, reading)
    if match is None:
        lead = to_hiragana(runs[0][0]) if not runs[0][1] else ""
        for cut in range(1, len(lead)):
            if reading.startswith(lead[cut:]):
                # A reading that leaves out the kana the name starts with (a centre's よみ is みほんひがし
                # for あったかふれあいセンターみほん東): those kana stay outside the ruby.
                return [(word[:cut], None), *align(word[cut:], reading)]
        return [(word, reading)]
    return [(text, match.group(index + 1) if is_kanji else None) for index, (text, is_kanji) in enumerate(runs)]


@lru_cache(maxsize=4096)
def _analysed(text):
    """The analyser's reading of a text without known names (the same header and footer on every page)."""
    pieces = []
    previous = ""
    for surface, katakana in analyser.tokens(text):
        reading = to_hiragana(katakana)
        if surface == "日" and _DIGITS.fullmatch(previous):
            reading = DAY_READINGS.get(int(previous.translate(_FULL_WIDTH_DIGITS)), reading)
        if KANJI.search(surface) and is_kana(reading):
            pieces += align(surface, reading)
        else:
            pieces.append((surface, None))
        previous = surface
    return tuple(pieces)


_FULL_WIDTH_DIGITS = {code: code - 0xFF10 + 0x30 for code in range(0xFF10, 0xFF1A)}


def _analyse(text):
    if not KANJI.search(text):
        return [(text, None)]
    try:
        return list(_analysed(text))
    except analyser.AnalyserUnavailable:
        return [(text, None)]


def annotate(text, lexicon):
    """[(text, reading or None)] covering `text` in order; only pieces with kanji have a reading."""
    pieces = []
    position = 0
    for match in lexicon.find(text):
        if match.start() > position:
            pieces += _analyse(text[position : match.start()])
        pieces += align(match.group(), lexicon.readings[match.group()])
        position = match.end()
    if position < len(text):
        pieces += _analyse(text[position:])
    return _merged(pieces)


def _merged(pieces):
    """Neighbouring pieces without a reading joined, so the markup stays as small as the text."""
    merged = []
    for text, reading in pieces:
        if not text:
            continue
        if reading is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + text, None)
        else:
            merged.append((text, reading))
    return merged

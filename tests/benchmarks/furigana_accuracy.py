"""How right the ふりがな view reads this site's own words: the analyser alone, and with the site's names
and corrections first, as the view reads them.

    .venv/bin/python tests/benchmarks/furigana_accuracy.py

The words: Kochi's 34 municipalities with their readings (core/data/kochi-municipalities.csv), each alone
and inside a sentence of the seed page's kind (「高知県の○○と」, where the analyser may split a name), and
words of the seed page with readings checked by hand (data/furigana_words.csv beside this file). "With
names" is the view's own reading: the municipalities and the first corrections (pages/furigana/data/). A word
counts as right when the readings over its kanji, joined with its kana, give its reading.
"""

import csv
import os
import sys
import tomllib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SENTENCE = "高知県の{}と地域"


def reading_of(word, pieces_of):
    """The word's reading as the view shows it, or None when the word is split across other text."""
    text = SENTENCE.format(word)
    start = text.index(word)
    position = 0
    reading = []
    for piece, piece_reading in pieces_of(text):
        end = position + len(piece)
        if end > start and position < start + len(word):
            if position < start or end > start + len(word):
                # A piece that runs past the word: only its part inside the word counts, read as written.
                if piece_reading is not None:
                    return None
                piece = text[max(position, start) : min(end, start + len(word))]
            reading.append(piece_reading if piece_reading is not None else piece)
        position = end
    return "".join(reading)


def main():
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kochi_kyosei.settings.test")
    import django

    django.setup()
    from pages.furigana import analyser, readings
    from pages.furigana.text import to_hiragana

    if not analyser.available():
        raise SystemExit("SudachiPy and sudachidict-core are not installed in this environment")
    with open(BASE_DIR / "core" / "data" / "kochi-municipalities.csv", encoding="utf-8") as file:
        municipalities = [(row["name"], row["kana"]) for row in csv.DictReader(file)]
    with open(Path(__file__).parent / "data" / "furigana_words.csv", encoding="utf-8") as file:
        words = [(row["word"], row["reading"]) for row in csv.DictReader(file)]
    data = tomllib.loads((BASE_DIR / "pages" / "furigana" / "data" / "corrections.toml").read_text(encoding="utf-8"))
    corrections = [(row["word"], row["reading"]) for row in data["corrections"]]
    site = readings.build_lexicon([("高知県", "こうちけん"), *municipalities, *corrections])
    bare = readings.build_lexicon([])

    def alone(word, lexicon):
        return "".join(reading or text for text, reading in readings.annotate(word, lexicon))

    def in_sentence(word, lexicon):
        return reading_of(word, lambda text: readings.annotate(text, lexicon))

    print(f"{'set':<34} {'words':>5} {'analyser alone':>15} {'with names':>11}")
    for label, pairs, read in (
        ("municipalities, alone", municipalities, alone),
        ("municipalities, in a sentence", municipalities, in_sentence),
        ("seed page words (hand-checked)", words, alone),
    ):
        results = {}
        for name, lexicon in (("bare", bare), ("site", site)):
            wrong = [
                (word, read(word, lexicon)) for word, reading in pairs if read(word, lexicon) != to_hiragana(reading)
            ]
            results[name] = wrong
        right_bare = len(pairs) - len(results["bare"])
        right_site = len(pairs) - len(results["site"])
        bare_share, site_share = right_bare / len(pairs), right_site / len(pairs)
        print(f"{label:<34} {len(pairs):>5} {right_bare:>8} ({bare_share:>4.0%}) {right_site:>4} ({site_share:>4.0%})")
        for word, got in results["bare"]:
            print(f"    analyser alone: {word} → {got}")
        for word, got in results["site"]:
            print(f"    with names: {word} → {got}")


if __name__ == "__main__":
    main()

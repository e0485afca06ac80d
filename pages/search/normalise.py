"""Text normalisation, query parsing and the bigram tokens shared by the index and the queries."""

import csv
import re
import unicodedata
from pathlib import Path

# A query longer than this is cut: nobody types more, and each character costs an index term.
MAX_QUERY_LENGTH = 100
MAX_WORDS = 10

_WHITESPACE = re.compile(r"\s+")


def _attaches_to_previous(char):
    # Half-width voiced marks (ﾞ ﾟ) become combining marks under NFKC and must be normalised
    # together with the kana before them: ｶﾞ is ガ, not カ followed by a mark.
    normalised = unicodedata.normalize("NFKC", char)
    return bool(normalised) and unicodedata.combining(normalised[0]) > 0


def _chunks(text):
    """Split text into pieces that normalise independently, with each piece's start offset."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not _attaches_to_previous(text[index]):
            yield start, text[start:index]
            start = index


VARIANT_KANJI_FILE = Path(__file__).resolve().parent / "data" / "variant_kanji.csv"


def _variant_kanji():
    with VARIANT_KANJI_FILE.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {row["variant"]: row["usual"] for row in rows}


# カタカナ ァ..ヶ and the iteration marks ヽヾ sit 0x60 above their ひらがな; ー, ・ and ヷ..ヺ
# (no ひらがな of their own) are shared by both and stay as they are.
_FOLD = str.maketrans(
    {
        **{chr(code): chr(code - 0x60) for code in [*range(0x30A1, 0x30F7), 0x30FD, 0x30FE]},
        **_variant_kanji(),
    }
)


def fold(text):
    """One form for what people type differently: カタカナ → ひらがな, 異体字 → usual kanji (髙 → 高).

    Character for character, so a folded text is as long as the text and offsets stay valid;
    applied after NFKC, which has already joined ｶﾞ into ガ and widened ｾﾝﾀｰ.
    """
    return text.translate(_FOLD)


def _normalise_chunk(chunk):
    return fold(unicodedata.normalize("NFKC", chunk).lower())


def normalise(text):
    """NFKC, lower case and folded: ８０５０ → 8050, ｾﾝﾀｰ → せんたー, ＮＰＯ → npo, 髙知 → 高知."""
    return "".join(_normalise_chunk(chunk) for _, chunk in _chunks(text or ""))


def normalise_with_offsets(text):
    """The normalised text and, for each of its characters, the offset it came from in `text`.

    The offsets let a snippet mark the original characters around a match found in the
    normalised text.
    """
    pieces = []
    offsets = []
    for start, chunk in _chunks(text or ""):
        normalised = _normalise_chunk(chunk)
        pieces.append(normalised)
        offsets.extend([start] * len(normalised))
    return "".join(pieces), offsets


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text):
    """Text without control characters: PostgreSQL refuses NUL in text, and PDFs' text may hold any."""
    return _CONTROL.sub(" ", text or "")


def normalise_for_index(text):
    """The normalised text as stored: runs of whitespace become one space."""
    return _WHITESPACE.sub(" ", normalise(text)).strip()


def parse_query(query):
    """The normalised words of a query: split on any whitespace (full-width spaces too).

    Duplicates are dropped and the query is capped in length and in number of words.
    """
    words = []
    for word in normalise(strip_control_characters((query or "")[:MAX_QUERY_LENGTH])).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _code(char):
    return f"{ord(char):06x}"


def index_tokens(normalised_text):
    """The distinct index terms of a normalised text: its character bigrams and its single characters.

    Each term is the code points in hex (a bigram is 12 digits, a character 6): plain ASCII words
    that the FTS5 tokenizer and a tsvector both keep exactly as they are, whatever the characters.
    Single characters make a one-character word one exact term rather than a prefix of many.
    """
    tokens = set()
    for char, following in zip(normalised_text, normalised_text[1:] + " ", strict=True):
        if char.isspace():
            continue
        tokens.add(_code(char))
        # Words never hold whitespace, so a bigram ending in a space is never searched for.
        if not following.isspace():
            tokens.add(_code(char) + _code(following))
    return sorted(tokens)


def word_terms(word):
    """The index terms every text containing `word` has.

    A word of one character is its own term; a longer word needs all its bigrams. A word of one or
    two characters is exactly one term, so the index alone decides whether a text contains it.
    """
    if len(word) == 1:
        return [_code(word)]
    return sorted({_code(a) + _code(b) for a, b in zip(word, word[1:], strict=False)})

"""Text normalisation, query parsing and the bigram tokens shared by the index and the queries."""

import re
import unicodedata

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


def _normalise_chunk(chunk):
    return unicodedata.normalize("NFKC", chunk).lower()


def normalise(text):
    """NFKC and lower case: ８０５０ → 8050, ｾﾝﾀｰ → センター, ＮＰＯ → npo."""
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


def normalise_for_index(text):
    """The normalised text as stored: runs of whitespace become one space."""
    return _WHITESPACE.sub(" ", normalise(text)).strip()


def parse_query(query):
    """The normalised words of a query: split on any whitespace (full-width spaces too).

    Duplicates are dropped and the query is capped in length and in number of words.
    """
    words = []
    for word in normalise((query or "")[:MAX_QUERY_LENGTH]).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _code(char):
    return f"{ord(char):06x}"


# A character at the end of the text is paired with a space, so that every character of the text
# starts exactly one bigram and a one-character word can be found by prefix.
_END = " "


def index_tokens(normalised_text):
    """The distinct bigram tokens of a normalised text, as index terms.

    Each token is the two characters' code points in hex: plain ASCII words that the FTS5
    tokenizer and a tsvector both keep exactly as they are, whatever the characters were.
    """
    tokens = set()
    for index, char in enumerate(normalised_text):
        if char.isspace():
            continue
        following = normalised_text[index + 1] if index + 1 < len(normalised_text) else _END
        tokens.add(_code(char) + _code(following))
    return sorted(tokens)


def word_terms(word):
    """The index terms every text containing `word` has, and whether the single term is a prefix.

    A word of two or more characters needs all its bigrams; a word of one character needs any
    bigram that starts with it.
    """
    if len(word) == 1:
        return [_code(word)], True
    return sorted({_code(a) + _code(b) for a, b in zip(word, word[1:], strict=False)}), False

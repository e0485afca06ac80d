"""Snippets around a match, with every matched word marked, taken from the original text.

Matching happens on the normalised (folded) text, which keeps for each of its characters the offset
of the character it came from, so a match marks the characters as written: せんたー marks センター.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text import clean

from .normalise import normalise_with_offsets
from .readings import names_read_as

SNIPPET_BEFORE = 40
SNIPPET_LENGTH = 120


def _match_spans(text, words):
    """(start, end) offsets in `text` of every occurrence of the normalised words, merged."""
    normalised, offsets = normalise_with_offsets(text)
    spans = []
    # A word the text holds only as a reading (こうちし) marks the name it reads (高知市).
    words = [*words, *(name for word in words if word not in normalised for name in names_read_as(word))]
    for word in words:
        start = normalised.find(word)
        while start != -1:
            end = start + len(word)
            original_end = offsets[end] if end < len(offsets) else len(text)
            spans.append((offsets[start], original_end))
            start = normalised.find(word, start + 1)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text, spans, start, end):
    pieces = []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    return "".join(pieces)


def highlight(text, words):
    """The whole text, HTML-escaped, with every occurrence of the words in <mark>."""
    text = clean(text, multiline=False)  # control characters make the page invalid HTML
    return mark_safe(_render(text, _match_spans(text, words), 0, len(text)))  # noqa: S308 (escaped above)


def snippet(text, words):
    """About SNIPPET_LENGTH characters of `text` around its first match, escaped, with matches marked.

    With no match in the text (the words were only in the title) it is the beginning of the text.
    """
    text = " ".join(clean(text, multiline=False).split())
    spans = _match_spans(text, words)
    start = max(0, spans[0][0] - SNIPPET_BEFORE) if spans else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    html = _render(text, spans, start, end)
    if start > 0:
        html = "…" + html
    if end < len(text):
        html += "…"
    return mark_safe(html)  # noqa: S308 (every piece is escaped in _render)

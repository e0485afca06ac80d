"""The morphological analyser: SudachiPy with sudachidict-core, loaded once per process on first use.

Why Sudachi: on this site's own names it reads 四万十町 and 梼原町 right where fugashi with unidic-lite
did not (figures in docs/performance.md#furigana). Mode C keeps compounds whole (社会福祉協議会), which
gives one reading per word as people read it.
"""

import logging
import re
import threading
import time

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state = {"tokenizer": None, "failed": False, "load_seconds": None}


class AnalyserUnavailable(Exception):
    """The analyser's package or dictionary is missing: ふりがな then come from the names tables only."""


def tokenizer():
    """The process's one tokenizer (about 0.1 s and 70 MB the first time; see the benchmark)."""
    if _state["tokenizer"] is not None:
        return _state["tokenizer"]
    if _state["failed"]:
        raise AnalyserUnavailable
    with _lock:
        if _state["tokenizer"] is None and not _state["failed"]:
            started = time.perf_counter()
            try:
                from sudachipy import Dictionary, SplitMode

                _state["tokenizer"] = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
            except Exception as error:  # noqa: BLE001 - a missing dictionary must not break a page
                _state["failed"] = True
                logger.error("furigana: the analyser could not be loaded (%s); only known names get readings", error)
                raise AnalyserUnavailable from error
            _state["load_seconds"] = time.perf_counter() - started
    if _state["tokenizer"] is None:
        raise AnalyserUnavailable
    return _state["tokenizer"]


def available():
    try:
        tokenizer()
    except AnalyserUnavailable:
        return False
    return True


def load_seconds():
    return _state["load_seconds"]


# Sudachi refuses an input longer than about 49,000 bytes; a long text is read a sentence at a time, in
# pieces of at most this many characters (3 bytes each in UTF-8).
MAX_CHUNK = 4000
_SENTENCE_END = re.compile(r"(?<=[。！？\n])")


def chunks(text):
    """`text` in pieces of at most MAX_CHUNK characters, cut after a sentence where one ends in reach."""
    pieces = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if len(current) + len(sentence) > MAX_CHUNK:
            pieces.append(current)
            current = ""
        while len(sentence) > MAX_CHUNK:
            pieces.append(sentence[:MAX_CHUNK])
            sentence = sentence[MAX_CHUNK:]
        current += sentence
    if current:
        pieces.append(current)
    return [piece for piece in pieces if piece]


def tokens(text):
    """(surface, reading in katakana) for each morpheme of `text`."""
    analyser = tokenizer()
    result = []
    for piece in chunks(text):
        with _lock:
            # A Sudachi tokenizer is not safe to share between threads (gunicorn's threads, the live server).
            result += [(morpheme.surface(), morpheme.reading_form()) for morpheme in analyser.tokenize(piece)]
    return result

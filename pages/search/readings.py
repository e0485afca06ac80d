"""Names found by their reading: こうちし finds 高知市 wherever 高知市 is written.

Sources register (name, reading) pairs (`registry.register_readings`). The indexer appends to an
entry's normalised text the readings of every name the text contains, so the bigram index and the
substring check find the reading like any other word; the body as written is untouched, and the
snippet marks the name for a word that only its reading holds.
"""

import time

from . import registry
from .normalise import normalise

# How long the pairs are reused before the sources are asked again: they change about never (a
# municipality's reading), and indexing a thousand entries should not ask a thousand times.
CACHE_SECONDS = 60

# An administrative suffix and how it is read, so that a name typed half in kana is found too:
# 高知けん and こうち県 for 高知県 (こうちけん), 四万十し for 四万十市.
SUFFIX_READINGS = {
    "都": ("と",),
    "道": ("どう",),
    "府": ("ふ",),
    "県": ("けん",),
    "市": ("し",),
    "区": ("く",),
    "町": ("ちょう", "まち"),
    "村": ("むら", "そん"),
}

_cache = {"at": None, "aliases": ()}


def _forms(name, reading):
    """What people may type for `name` (both already normalised): the reading and the mixed forms."""
    forms = [reading]
    for suffix_reading in SUFFIX_READINGS.get(name[-1], ()):
        if len(name) > 1 and len(reading) > len(suffix_reading) and reading.endswith(suffix_reading):
            forms += [name[:-1] + suffix_reading, reading[: -len(suffix_reading)] + name[-1]]
    return tuple(dict.fromkeys(form for form in forms if form and form != name))


def _build_aliases():
    aliases = {}
    for name, reading in registry.reading_pairs():
        name, reading = normalise(name).strip(), normalise(reading).strip()
        if name and reading:
            aliases[name] = tuple(dict.fromkeys([*aliases.get(name, ()), *_forms(name, reading)]))
    return tuple(aliases.items())


def aliases():
    """(name, forms) for every registered name, normalised, reused for CACHE_SECONDS."""
    now = time.monotonic()
    if _cache["at"] is None or now - _cache["at"] > CACHE_SECONDS:
        _cache["aliases"] = _build_aliases()
        _cache["at"] = now
    return _cache["aliases"]


def clear_cache():
    """Forget the pairs, so the next use asks the sources again (a source calls this when they change)."""
    _cache["at"] = None


def readings_in(normalised_text):
    """The reading forms of every registered name that the (normalised) text contains."""
    forms = []
    for name, name_forms in aliases():
        if name in normalised_text:
            forms += [form for form in name_forms if form not in forms]
    return forms


def with_readings(normalised_text):
    """The normalised text followed by the readings of the names it holds, one space apart."""
    return " ".join([normalised_text, *readings_in(normalised_text)]).strip()


def names_read_as(word):
    """The (normalised) names one of whose reading forms contains `word`: what to mark for it."""
    return [name for name, forms in aliases() if any(word in form for form in forms)]

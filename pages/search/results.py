"""Which entries a search lists, in what order, and how many of each kind it says it found.

Within a kind, entries whose title holds every word come first, then the others, each newest first; across
kinds, title matches before the rest and then by the kinds' ranks (`registry.kind_ranks()`). A search lists
at most `CAP` entries of each kind and counts up to `CAP` (「1,000件以上」 past it): a word in most of the
index (ふれあい in 20,000 centre names) is answered from the first `CAP` + 1 matches of each kind rather
than by checking and sorting every one, which keeps an uncached search within its budget at any size.

On PostgreSQL a kind larger than `LARGE_KIND` has its candidates from an index scan in date order that stops
at `CAP` + 1 rows, the smaller kinds every match, in one UNION ALL query; a large kind whose matches passed the
cap then has its title matches read the same way (a second query), since the top `CAP` of a kind always lies
in the union of those two scans. Python orders the rows. SQLite
(FTS5 answers from its own index) returns every match ordered by the same rule (`SearchEntryQuerySet.ranked`).
Counting and cutting at the cap are the same code for both, so both list the same entries.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import Case, IntegerField, Q, Value, When

from . import query as search_query
from . import registry
from .models import SearchEntry

CAP = 1000
# A kind with more public entries than this has its matches read in index order up to the cap; a smaller
# one has every match read at once (cheaper than the ordered scans below this size).
LARGE_KIND = 2 * CAP
SIZES_SECONDS = 60
_sizes = {"at": None, "kinds": {}}
# 0: a row of a kind's title matches; 1: a row of all its matches (the count is read from these).
_TITLE_ROWS, _ALL_ROWS = 0, 1


@dataclass
class Results:
    """ids: every listed entry's id, in order (at most CAP of each kind). counts: {kind: matches, up to
    CAP + 1}; `more(kind)` says whether there are more than CAP."""

    ids: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def more(self, kind=""):
        if kind:
            return self.counts.get(kind, 0) > CAP
        return any(count > CAP for count in self.counts.values())

    def count(self, kind=""):
        """How many a kind (or all kinds, "") shows: the matches, at most CAP of each kind."""
        if kind:
            return min(self.counts.get(kind, 0), CAP)
        return sum(min(count, CAP) for count in self.counts.values())


def _title_match(words):
    title_match = Q()
    for word in words:
        title_match &= Q(normalised_title__contains=word)
    return title_match


def _title_rank(words):
    return Case(When(_title_match(words), then=Value(0)), default=Value(1), output_field=IntegerField())


def _newest_first():
    return (models.F("date").desc(nulls_last=True), "-id")


def _kind_sizes():
    """{kind: public entries}, counted at most once a minute per process. A figure a minute old only chooses
    how a kind's matches are read (in index order, or all at once), never which are listed or counted."""
    now = time.monotonic()
    if _sizes["at"] is None or now - _sizes["at"] > SIZES_SECONDS:
        _sizes["kinds"] = SearchEntry.objects.public().count_by_kind()
        _sizes["at"] = now
    return _sizes["kinds"]


def _rows(query):
    """(id, kind, title rank, date, which rows) of the candidates, and whether they are in order already."""
    words = list(query.words)
    columns = ("id", "kind", "title_rank", "date", "rows")
    public = SearchEntry.objects.public()
    matches = search_query.matching(public, query)
    if connection.vendor != "postgresql":
        # Every match, ordered by the database, with only what counting and cutting need (no dates to read).
        ordered = matches.ranked(words).values_list("id", "kind")
        return [(pk, kind, None, None, _ALL_ROWS) for pk, kind in ordered], True
    every_match = matches.annotate(title_rank=_title_rank(words), rows=Value(_ALL_ROWS))
    sizes = _kind_sizes()
    kinds = list(registry.kind_labels())
    large = [kind for kind in kinds if sizes.get(kind, 0) > LARGE_KIND]
    # The other kinds (and one that grew within the minute): every match, from the index, in one part.
    parts = [every_match.filter(kind__in=[kind for kind in kinds if kind not in large]).values_list(*columns)]

    def in_date_order(of_kind, rows):
        of_kind = of_kind.annotate(title_rank=_title_rank(words), rows=Value(rows)).order_by(*_newest_first())
        return of_kind.values_list(*columns)[: CAP + 1]

    parts += [in_date_order(every_match.filter(kind=kind), _ALL_ROWS) for kind in large]
    found = _union(parts)
    # A large kind's title matches are read apart only where its matches passed the cap: below it, the rows
    # hold every match with its title rank already. (A word rare in a large kind, センター in the register,
    # otherwise read the whole kind a second time in date order looking for titles that are not there.)
    found_of = Counter(row[1] for row in found)
    capped = [kind for kind in large if found_of[kind] > CAP]
    # The title condition first and as itself (not the rank computed from it): the planner then estimates it
    # from the column's statistics, and tests the short title before the long text.
    titles = [
        in_date_order(search_query.matching(public.filter(kind=kind).filter(_title_match(words)), query), _TITLE_ROWS)
        for kind in capped
    ]
    return found + _union(titles), False


def _union(parts):
    if not parts:
        return []
    if len(parts) == 1:
        return list(parts[0])
    return list(parts[0].union(*parts[1:], all=True))


def _order_key(kind_ranks, default_rank):
    def key(row):
        pk, kind, title_rank, date, _rows = row
        return (title_rank, kind_ranks.get(kind, default_rank), date is None, -(date.toordinal() if date else 0), -pk)

    return key


def search(query, kind=""):
    """The Results of a parsed query (`query.Query`), for one kind or ("") all of them."""
    if not query:
        return Results()
    rows, in_order = _rows(query)
    counts = {}
    for _pk, row_kind, _title_rank, _date, which in rows:
        if which == _ALL_ROWS:
            counts[row_kind] = counts.get(row_kind, 0) + 1
    ranks = registry.kind_ranks()
    key = _order_key(ranks, max(ranks.values(), default=0) + 1)
    unique = rows if in_order else sorted({row[0]: row for row in rows}.values(), key=key)
    listed, shown = [], {}
    for row in unique:
        pk, row_kind = row[0], row[1]
        if (kind and row_kind != kind) or shown.get(row_kind, 0) >= CAP:
            continue
        shown[row_kind] = shown.get(row_kind, 0) + 1
        listed.append(pk)
    # Every database answers alike: counted up to one past the cap (SQLite's rows hold every match).
    return Results(ids=listed, counts={of_kind: min(found, CAP + 1) for of_kind, found in counts.items()})


def count(query):
    """How many entries a query finds (all kinds), up to CAP + 1: for the hints beside an empty result."""
    if not query:
        return 0
    return search_query.matching(SearchEntry.objects.public(), query)[: CAP + 1].count()

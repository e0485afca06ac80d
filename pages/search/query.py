"""How a query is read, the one rule for the site search and for every list's keyword box.

The words are normalised as the index is (`normalise.parse_query`: NFKC, カタカナ → ひらがな, 髙 → 高),
then each word gets the other words that mean the same from the staff's table of 言い換え
(`curation.SearchSynonym`), read at query time so a new row works at once. A text matches when it
contains, for every word, the word or one of its alternatives.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from .curation import MAX_ALTERNATIVES, BestBet, SearchSynonym
from .models import SearchEntry
from .normalise import parse_query


@dataclass(frozen=True)
class Query:
    """words: the normalised words as typed. alternatives: for each word, the word and what means the same."""

    words: tuple
    alternatives: tuple

    @property
    def all_words(self):
        """Every word and alternative once: what a result's title and snippet mark."""
        return list(dict.fromkeys(word for group in self.alternatives for word in group))

    def __bool__(self):
        return bool(self.words)


def _synonym_table():
    """{normalised word: [the words it also finds]} from the staff's table."""
    table = {}

    def add(word, others):
        found = table.setdefault(word, [])
        found += [other for other in others if other != word and other not in found]

    for synonym in SearchSynonym.objects.all():
        term, alternatives = synonym.words()
        if not term or not alternatives:
            continue
        add(term, alternatives)
        if synonym.two_way:
            group = [term, *alternatives]
            for word in alternatives:
                add(word, group)
    return table


def alternatives_of(word, table):
    """`word` first, then what it also finds: a word of the table itself, or a word holding one (高知市社協
    holds 社協, so it also finds 高知市社会福祉協議会); the longest such word decides."""
    found = [word]
    if word in table:
        found += table[word]
    else:
        inside = sorted((term for term in table if len(term) > 1 and term in word), key=len, reverse=True)
        if inside:
            found += [word.replace(inside[0], other) for other in table[inside[0]]]
    return tuple(dict.fromkeys(found))[: MAX_ALTERNATIVES + 1]


def parse(text):
    """The Query for what someone typed."""
    words = parse_query(text)
    table = _synonym_table() if words else {}
    return Query(words=tuple(words), alternatives=tuple(alternatives_of(word, table) for word in words))


def matching(entries, query):
    """The entries (a SearchEntry queryset) that hold, for every word, the word or one of its alternatives.

    Words without alternatives go to the index together, as before; each word with alternatives adds
    one OR of the index's own condition per alternative.
    """
    if not query:
        return entries.none()
    plain = [group[0] for group in query.alternatives if len(group) == 1]
    found = entries.matching(plain) if plain else entries
    for group in query.alternatives:
        if len(group) > 1:
            found = found & reduce(operator.or_, (entries.matching([word]) for word in group))
    return found


def objects_matching(queryset, text):
    """`queryset` narrowed to the objects whose search entry matches `text` as the site search reads it.

    A list's keyword box (the register's) calls this, so it finds what the site search finds: the same
    folding, readings and 言い換え. Whether an object may be shown stays the queryset's own rule.
    """
    query = parse(text)
    if not query:
        return queryset
    entries = matching(SearchEntry.objects.for_model(queryset.model), query)
    return queryset.filter(pk__in=entries.values("object_id"))


def best_bets(query):
    """The BestBets pinned for this query: a line of theirs whose words are the query's words, in any order,
    each typed as it is or as one of its alternatives (a bet for 申請 answers 申込み)."""
    if not query:
        return []
    bets = []
    for bet in BestBet.objects.select_related("page"):
        for line in bet.query_words():
            if len(line) == len(query.words) and all(
                any(word in group for group in query.alternatives) for word in line
            ):
                bets.append(bet)
                break
    return bets

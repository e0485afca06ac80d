"""What the site search needs from each kind of content, and the sources content apps register.

The search service knows no app. An app describes each model it wants found as a `SearchSource`
and registers it in its `AppConfig.ready()`; indexing, the results page and the rebuild command
ask this registry instead of naming models.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchSource:
    """One model whose objects the site search indexes.

    model: the root model of the objects (the index keys entries by it, as Wagtail's own index does).
    kinds: each kind of entry the source writes, with the label results show (「ページ」).
    objects(): every object the index should hold, public or not.
    values(obj, entry): the entry's fields: kind, title, body, url, date (or None), is_public (the
        source's own "public" rule), and optionally fingerprint; `entry` is the current entry or None.
    current_urls(ids, request): {object id: URL as it is now}, for results whose URL may have moved
        since indexing; None when the indexed URL is always right.
    suggested_links(request): (title, URL) pairs the results page offers when nothing is found.
    connect(): wires the signals that keep this source's entries current; called once on register.
    rank: where the source's entries stand among results of equal relevance, lower first; also the
        order of its kinds in the results' filter. The CMS's pages and documents are 0, a register
        whose many entries share the same words ranks after them.
    """

    model: type
    kinds: dict[str, str]
    objects: Callable[[], Iterable]
    values: Callable
    current_urls: Callable | None = None
    suggested_links: Callable | None = None
    connect: Callable[[], None] | None = field(default=None, compare=False)
    rank: int = 0


_sources: dict[type, SearchSource] = {}


def register(source):
    """Add a source (replacing any earlier one for the same model) and connect its signals."""
    _sources[source.model] = source
    if source.connect is not None:
        source.connect()
    return source


def unregister(model):
    """Forget the source of `model` (its signal handlers stay connected but find no source)."""
    _sources.pop(model, None)


def sources():
    return list(_sources.values())


def source_for_model(model):
    """The source of `model` or of one of its parents (a page type's source is Page's), or None."""
    for klass in model.__mro__ if isinstance(model, type) else ():
        if klass in _sources:
            return _sources[klass]
    return None


def source_for_kind(kind):
    for source in _sources.values():
        if kind in source.kinds:
            return source
    return None


def _ranked_sources():
    # sorted() is stable: sources of equal rank keep their registration order.
    return sorted(_sources.values(), key=lambda source: source.rank)


def kind_labels():
    """Every registered kind and its label, by rank, then in registration order."""
    return {kind: label for source in _ranked_sources() for kind, label in source.kinds.items()}


def kind_ranks():
    """Every registered kind and its source's rank (see SearchSource.rank)."""
    return {kind: source.rank for source in _sources.values() for kind in source.kinds}


def suggested_links(request):
    links = []
    for source in _sources.values():
        if source.suggested_links is not None:
            links += source.suggested_links(request)
    return links


# Reading aliases: names that people search for by their reading (高知市 → こうちし). A source that
# knows readings registers a function returning (name, reading) pairs; the indexer appends the
# readings of every name an entry's text contains (see `readings`), so the service imports no app.
_reading_providers: dict[str, Callable[[], Iterable[tuple[str, str]]]] = {}


def register_readings(key, provider):
    """Add (or replace, under the same key) a function returning (name, reading) pairs."""
    _reading_providers[key] = provider
    return provider


def reading_pairs():
    """Every registered (name, reading) pair, provider by provider."""
    return [pair for provider in _reading_providers.values() for pair in provider()]

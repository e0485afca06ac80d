"""The site search index: one row per indexed object of a registered source (see `registry`).

The bigram index itself lives beside this table and is not a Django field: an FTS5 virtual table
(`pages_searchentry_fts`) on SQLite and a `search_vector` tsvector column with a GIN index on
PostgreSQL, both created by the migration and written by `pages.search.indexing`.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from modelsearch.backends.base import get_model_root

from core import page_cache

from . import registry
from .normalise import word_terms

FTS_TABLE = "pages_searchentry_fts"


def _terms(words):
    return sorted({term for word in words for term in word_terms(word)})


def _sqlite_match(words):
    return " AND ".join(f'"{term}"' for term in _terms(words))


def _postgres_tsquery(words):
    return " & ".join(f"'{term}'" for term in _terms(words))


class BigramMatch(models.Expression):
    """`search_vector @@ query` on PostgreSQL, on whatever alias the entry table has in the query.

    A condition on the row itself (rather than `id IN (SELECT ...)`) lets PostgreSQL answer from one
    bitmap scan of the GIN index; the column is not a model field, so the alias is looked up here.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, tsquery):
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_vector @@ %s::tsquery", [self.tsquery]


# The page cache's tag of every page that shows what the search index holds (core/page_cache.py).
SEARCH_TAG = "search"


class SearchEntryQuerySet(models.QuerySet):
    def public(self):
        """What the public search may show: entries whose source's own rule made them public."""
        return self.filter(is_public=True)

    def for_model(self, model):
        """Entries for objects of `model`'s root model (Page for every page type)."""
        return self.filter(base_content_type=ContentType.objects.get_for_model(get_model_root(model)))

    def matching(self, words):
        """Entries whose normalised text contains every one of the (already normalised) words.

        The bigram index narrows the candidates; the substring condition decides, so a text
        that merely has the bigrams scattered apart (共に生きる against 共生) never matches.
        """
        if not words:
            return self.none()
        queryset = self
        for word in words:
            # A word of one or two characters is exactly one index term (a character or a bigram), so the
            # index alone decides it; longer words need the substring check. PostgreSQL checks short words
            # by substring too: where it reads a kind in date order it then reads a row's bigram vector
            # (stored apart, compressed) only for rows that hold the word.
            if len(word) > 2 or connection.vendor != "sqlite":
                queryset = queryset.filter(normalised__contains=word)
        # The index's condition last: where PostgreSQL reads rows in order rather than from the index (a
        # word in most entries), it tests conditions of equal cost in the order written, and the substring
        # check costs less than reading a row's bigram vector, which it then skips for every row without it.
        if connection.vendor == "sqlite":
            queryset = queryset.filter(
                id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_sqlite_match(words)])
            )
        elif connection.vendor == "postgresql":
            queryset = queryset.filter(BigramMatch(_postgres_tsquery(words)))
        return queryset

    def ranked(self, words):
        """Entries whose title has every word first; among equally relevant ones, by their source's
        rank (registry.kind_ranks(): pages, documents and events before register entries); then the newest."""
        newest = (models.F("date").desc(nulls_last=True), "-id")
        ranks = registry.kind_ranks()
        kind_rank = Case(
            *[
                When(kind__in=[kind for kind in ranks if ranks[kind] == rank], then=Value(rank))
                for rank in sorted(set(ranks.values()))
            ],
            default=Value(max(ranks.values(), default=0) + 1),
            output_field=IntegerField(),
        )
        if not words:
            return self.annotate(kind_rank=kind_rank).order_by("kind_rank", *newest)
        title_match = models.Q()
        for word in words:
            title_match &= models.Q(normalised_title__contains=word)
        return self.annotate(
            title_rank=Case(When(title_match, then=Value(0)), default=Value(1), output_field=IntegerField()),
            kind_rank=kind_rank,
        ).order_by("title_rank", "kind_rank", *newest)

    def count_by_kind(self):
        """{kind: number of entries}, in one GROUP BY query."""
        return dict(self.order_by().values_list("kind").annotate(count=Count("id")))


class SearchEntryManager(models.Manager.from_queryset(SearchEntryQuerySet)):
    def get_queryset(self):
        # Every read of the index (the site search, the register's and the admin's keyword searches) tags
        # the page being rendered `search`: the indexer makes exactly those stale (core/page_cache.py).
        page_cache.tag(SEARCH_TAG)
        return super().get_queryset()


class SearchEntry(models.Model):
    """One searchable thing on the site, with its text normalised for matching."""

    # One of the kinds its source registered (registry.kind_labels() gives the label results show).
    kind = models.CharField("種類", max_length=20)
    # The source's root model (Page for every page type) and the object's id, as Wagtail's own index keys them.
    base_content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    title = models.CharField("タイトル", max_length=255)
    body = models.TextField("本文", blank=True, help_text="HTMLを除いた本文。抜粋の表示に使います。")
    normalised_title = models.CharField(max_length=255, blank=True)
    normalised = models.TextField(blank=True, help_text="NFKC・小文字にしたタイトルと本文。検索の照合に使います。")
    url = models.CharField("URL", max_length=500, blank=True)
    date = models.DateField("日付", null=True, blank=True)
    is_public = models.BooleanField("公開", default=False)
    # For documents: the file's hash, so the PDF's text is extracted again only when the file changes.
    fingerprint = models.CharField(max_length=64, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    objects = SearchEntryManager()

    class Meta:
        verbose_name = "検索索引"
        verbose_name_plural = "検索索引"
        constraints = [
            models.UniqueConstraint(fields=["base_content_type", "object_id"], name="unique_search_entry_per_object")
        ]
        # On PostgreSQL also (is_public, kind, date DESC NULLS LAST, id DESC), created by migration 0015
        # (SQLite cannot index NULLS LAST): a kind's public entries newest first, which the search reads
        # in order and stops at its cap (pages/search/results.py) rather than sorting every match.
        indexes = [models.Index(fields=["is_public", "kind"])]

    def __str__(self):
        return f"{self.kind_label}: {self.title}"

    @property
    def kind_label(self):
        """What results call this kind of entry (「ページ」「資料」), as its source registered it."""
        return registry.kind_labels().get(self.kind, self.kind)

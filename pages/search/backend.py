"""A Wagtail search backend on the site search index, so the admin's own search finds Japanese words.

Wagtail's database backends index whole runs of text between punctuation as single words, so
共生 inside 地域共生社会 is never found in the page explorer or the document listing. This backend
answers searches on the models of registered sources (pages, documents, the register) from the
bigram index (drafts included: the admin sees everything the queryset allows), and other models
(images, users, snippets) by plain substring matching, which also finds Japanese words mid-sentence.

Configured in settings as WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "pages.search.backend"}}.
"""

from django.db import models
from modelsearch.backends.base import BaseIndex
from modelsearch.backends.database.fallback import (
    MATCH_NONE,
    DatabaseSearchBackend,
    DatabaseSearchQueryCompiler,
    DatabaseSearchResults,
)
from modelsearch.query import Phrase, PlainText

from .indexing import index_object, is_indexed_model, rebuild_index, remove_object
from .models import SearchEntry
from .normalise import parse_query


class SiteSearchQueryCompiler(DatabaseSearchQueryCompiler):
    def _matching_ids(self, words):
        return SearchEntry.objects.for_model(self.queryset.model).matching(words).values("object_id")

    def build_database_filter(self, query, boost=1.0):
        if not is_indexed_model(self.queryset.model) or not isinstance(query, (PlainText, Phrase)):
            return super().build_database_filter(query, boost=boost)
        words = parse_query(query.query_string)
        if not words:
            return MATCH_NONE
        if isinstance(query, PlainText) and query.operator == "or":
            condition = models.Q()
            for word in words:
                condition |= models.Q(pk__in=self._matching_ids([word]))
            return condition
        return models.Q(pk__in=self._matching_ids(words))


class SiteSearchIndex(BaseIndex):
    def add_items(self, model, items):
        for item in items:
            index_object(item)

    def delete_item(self, item):
        remove_object(item)


class SiteSearchRebuilder:
    """Makes Wagtail's `manage.py update_index` do what `manage.py rebuild_site_search` does."""

    def __init__(self, index):
        self.index = index

    def start(self):
        rebuild_index()
        return BaseIndex(self.index.backend)  # everything is indexed already: the command's own adds do nothing

    def finish(self):
        pass


class SiteSearchBackend(DatabaseSearchBackend):
    query_compiler_class = SiteSearchQueryCompiler
    autocomplete_query_compiler_class = SiteSearchQueryCompiler
    results_class = DatabaseSearchResults
    index_class = SiteSearchIndex
    rebuilder_class = SiteSearchRebuilder


SearchBackend = SiteSearchBackend

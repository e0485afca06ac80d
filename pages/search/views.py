"""/search/?q=: one list of everything the registered sources index that contains every word, which
people may narrow to one kind (&kind=page) with the number found of each kind beside it."""

from django.urls import reverse
from django.views.generic import ListView

from core.text import clean

from . import query as search_query
from . import registry
from .did_you_mean import did_you_mean
from .models import SearchEntry
from .normalise import MAX_QUERY_LENGTH, strip_control_characters
from .snippets import highlight, snippet


def _current_urls(entries, request):
    """Each entry's URL as its source says it is now, else as it was indexed."""
    sources = {entry.pk: registry.source_for_kind(entry.kind) for entry in entries}
    ids_by_model = {}
    for entry in entries:
        source = sources[entry.pk]
        if source is not None and source.current_urls is not None:
            ids_by_model.setdefault(source.model, (source, []))[1].append(entry.object_id)
    urls = {model: source.current_urls(ids, request) for model, (source, ids) in ids_by_model.items()}
    for entry in entries:
        source = sources[entry.pk]
        current = urls.get(source.model, {}) if source is not None else {}
        entry.current_url = current.get(entry.object_id) or entry.url


class SearchView(ListView):
    template_name = "search/search.html"
    context_object_name = "results"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
        # Echoed in the title, heading, count and box: nothing core.text.clean removes (bidi overrides).
        self.query = clean(strip_control_characters(raw), multiline=False).strip()
        # One reading of the query (folding and the staff's 言い換え) for matching, marking and おすすめ.
        self.parsed = search_query.parse(self.query)
        self.words = list(self.parsed.words)
        self.kind_labels = registry.kind_labels()
        # An unknown kind (an old link, a typed URL) shows every kind rather than an error.
        kind = request.GET.get("kind", "")
        self.kind = kind if kind in self.kind_labels else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        found = search_query.matching(SearchEntry.objects.public(), self.parsed)
        # One GROUP BY query gives the filter's counts, the total and the selected kind's count.
        self.kind_counts = found.count_by_kind() if self.words else {}
        if self.kind:
            found = found.filter(kind=self.kind)
        # Only ids are sorted and paginated; the 20 entries of the page are loaded afterwards, so a
        # word found in thousands of entries does not carry their texts through the sort.
        return found.ranked(self.words).values_list("pk", flat=True)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        # The counts by kind already say how many there are: no second COUNT query.
        paginator.count = self.kind_counts.get(self.kind, 0) if self.kind else sum(self.kind_counts.values())
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = list(context["results"])
        entries = SearchEntry.objects.in_bulk(ids)
        results = [entries[pk] for pk in ids if pk in entries]
        _current_urls(results, self.request)
        marked = self.parsed.all_words
        for entry in results:
            entry.title_html = highlight(entry.title, marked)
            entry.snippet_html = snippet(entry.body, marked)
        context.update(
            results=results,
            query=self.query,
            words=self.words,
            result_count=context["paginator"].count if context["paginator"] else 0,
            total_count=sum(self.kind_counts.values()),
            kind=self.kind,
            kind_label=self.kind_labels.get(self.kind, ""),
            kind_filter=self._kind_filter(),
            max_query_length=MAX_QUERY_LENGTH,
            suggested_links=registry.suggested_links(self.request),
            searchable_kinds="、".join(self.kind_labels.values()),
            single_word_searches=self._single_word_searches(),
            did_you_mean=[] if context["paginator"] and context["paginator"].count else did_you_mean(self.words),
            breadcrumbs=[{"title": "サイト内検索", "url": reverse("search")}],
            best_bets=self._best_bets(context),
        )
        return context

    def _best_bets(self, context):
        """The staff's おすすめ for this query: on the first page of all kinds only, live pages only."""
        page_obj = context.get("page_obj")
        if self.kind or (page_obj is not None and page_obj.number > 1):
            return []
        bets = []
        for bet in search_query.best_bets(self.parsed):
            if bet.page_id and not (bet.page.live and not bet.page.get_view_restrictions().exists()):
                continue
            url = bet.link_url(self.request)
            if url:
                bets.append({"title": bet.link_title(), "url": url, "description": bet.link_description()})
        return bets

    def _kind_filter(self):
        """The filter's choices: (kind, label, count), 「すべて」 first (kind "")."""
        choices = [("", "すべて", sum(self.kind_counts.values()))]
        return choices + [(kind, label, self.kind_counts.get(kind, 0)) for kind, label in self.kind_labels.items()]

    def _single_word_searches(self):
        """When several words found nothing together, how many each finds alone."""
        if len(self.words) < 2 or self.kind_counts:
            return []
        public = SearchEntry.objects.public()
        return [
            (word, search_query.matching(public, search_query.Query(words=(word,), alternatives=(group,))).count())
            for word, group in zip(self.words, self.parsed.alternatives, strict=True)
        ]


search = SearchView.as_view()

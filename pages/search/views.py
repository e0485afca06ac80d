"""/search/?q=: one list of everything the registered sources index that contains every word."""

from django.urls import reverse
from django.views.generic import ListView

from . import registry
from .did_you_mean import did_you_mean
from .models import SearchEntry
from .normalise import MAX_QUERY_LENGTH, parse_query, strip_control_characters
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
        self.query = strip_control_characters(request.GET.get("q", "")[:MAX_QUERY_LENGTH]).strip()
        self.words = parse_query(self.query)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Only ids are sorted and paginated; the 20 entries of the page are loaded afterwards, so a
        # word found in thousands of entries does not carry their texts through the sort.
        return SearchEntry.objects.public().matching(self.words).ranked(self.words).values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = list(context["results"])
        entries = SearchEntry.objects.in_bulk(ids)
        results = [entries[pk] for pk in ids if pk in entries]
        _current_urls(results, self.request)
        for entry in results:
            entry.title_html = highlight(entry.title, self.words)
            entry.snippet_html = snippet(entry.body, self.words)
        context.update(
            results=results,
            query=self.query,
            words=self.words,
            result_count=context["paginator"].count if context["paginator"] else 0,
            max_query_length=MAX_QUERY_LENGTH,
            suggested_links=registry.suggested_links(self.request),
            searchable_kinds="、".join(registry.kind_labels().values()),
            single_word_searches=self._single_word_searches(),
            did_you_mean=[] if context["paginator"] and context["paginator"].count else did_you_mean(self.words),
            breadcrumbs=[{"title": "サイト内検索", "url": reverse("search")}],
        )
        return context

    def _single_word_searches(self):
        """When several words found nothing together, how many each finds alone."""
        if len(self.words) < 2 or self.object_list.exists():
            return []
        public = SearchEntry.objects.public()
        return [(word, public.matching([word]).count()) for word in self.words]


search = SearchView.as_view()

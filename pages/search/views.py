"""/search/?q=: one list of pages, documents, events and declarations that contain every word."""

from django.urls import reverse
from django.views.generic import ListView
from wagtail.models import Page

from .models import Kind, SearchEntry
from .normalise import MAX_QUERY_LENGTH, parse_query, strip_control_characters
from .snippets import highlight, snippet

SUGGESTED_LINKS = [
    ("行事等", "/events/"),
    ("パンフレット等", "/pamphlets/"),
    ("宣言企業・団体一覧", "/declarations/"),
    ("高知家地域共生社会推進宣言", "/declaration/"),
]


def _current_urls(entries, request):
    """Page and declaration URLs as they are now (a parent's slug may have changed since indexing)."""
    from declarations.models import Declaration

    from .indexing import declaration_url

    page_ids = [e.object_id for e in entries if e.kind in (Kind.PAGE, Kind.EVENT)]
    declaration_ids = [e.object_id for e in entries if e.kind == Kind.DECLARATION]
    pages = Page.objects.in_bulk(page_ids) if page_ids else {}
    declarations = Declaration.objects.in_bulk(declaration_ids) if declaration_ids else {}
    for entry in entries:
        if entry.kind in (Kind.PAGE, Kind.EVENT) and entry.object_id in pages:
            entry.current_url = pages[entry.object_id].get_url(request) or entry.url
        elif entry.kind == Kind.DECLARATION and entry.object_id in declarations:
            entry.current_url = declaration_url(declarations[entry.object_id])
        else:
            entry.current_url = entry.url


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
            suggested_links=SUGGESTED_LINKS,
            single_word_searches=self._single_word_searches(),
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

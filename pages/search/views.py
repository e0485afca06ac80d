"""/search/?q=: one list of everything the registered sources index that contains every word, which
people may narrow to one kind (&kind=page) with the number found of each kind beside it.

The page is in every language (/en/search/, /easy/search/): its words, counts and kinds' names follow the
address, but what it searches is the one index of the site's Japanese pages, registers and documents
(translations are not indexed, pages/search_sources.py), so on another language's page the results are
marked `lang="ja"`.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.views.generic import ListView

from core.text import clean

from . import query as search_query
from . import registry
from . import results as search_results
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


def count_text(count, more):
    """「12件」, or 「1,000件以上」 when a search stopped counting at its cap (in the active language)."""
    number = f"{count:,}"
    if more:
        return ngettext("%(count)s件以上", "%(count)s件以上", count) % {"count": number}
    return ngettext("%(count)s件", "%(count)s件", count) % {"count": number}


def kind_labels():
    """The registered kinds' labels in the active language (the catalogues translate the apps' labels)."""
    return {kind: gettext(label) for kind, label in registry.kind_labels().items()}


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
        self.kind_labels = kind_labels()
        # An unknown kind (an old link, a typed URL) shows every kind rather than an error.
        kind = request.GET.get("kind", "")
        self.kind = kind if kind in self.kind_labels else ""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The listed ids in order (at most results.CAP of each kind) and the counts by kind, from one query;
        # only the 20 entries of the page are loaded afterwards.
        self.results = search_results.search(self.parsed, self.kind)
        return self.results.ids

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
            entry.kind_name = self.kind_labels.get(entry.kind, entry.kind)
        context.update(
            results=results,
            query=self.query,
            words=self.words,
            result_count=self.results.count(self.kind),
            result_count_text=count_text(self.results.count(self.kind), self.results.more(self.kind)),
            total_count=self.results.count(),
            total_count_text=count_text(self.results.count(), self.results.more()),
            capped=self.results.more(self.kind),
            cap=f"{search_results.CAP:,}",
            kind=self.kind,
            kind_label=self.kind_labels.get(self.kind, ""),
            kind_filter=self._kind_filter(),
            max_query_length=MAX_QUERY_LENGTH,
            suggested_links=registry.suggested_links(self.request),
            # 「、」 in Japanese, ", " in English.
            searchable_kinds=gettext("、").join(self.kind_labels.values()),
            single_word_searches=self._single_word_searches(),
            did_you_mean=[] if self.results.ids else did_you_mean(self.words),
            breadcrumbs=[{"title": gettext("サイト内検索"), "url": reverse("search")}],
            # The index's language, on what it found, when the page is in another.
            index_language=settings.LANGUAGE_CODE if translation.get_language() != settings.LANGUAGE_CODE else "",
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
        """The filter's choices: (kind, label, count, 「12件」 or 「1,000件以上」), 「すべて」 first (kind "")."""
        return [
            (kind, label, self.results.count(kind), count_text(self.results.count(kind), self.results.more(kind)))
            for kind, label in {"": gettext("すべて"), **self.kind_labels}.items()
        ]

    def _single_word_searches(self):
        """When several words found nothing together, how many each finds alone."""
        if len(self.words) < 2 or self.results.count():
            return []
        searches = []
        for word, group in zip(self.words, self.parsed.alternatives, strict=True):
            found = search_results.count(search_query.Query(words=(word,), alternatives=(group,)))
            searches.append((word, count_text(min(found, search_results.CAP), found > search_results.CAP)))
        return searches


search = SearchView.as_view()

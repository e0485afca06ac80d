"""Articles in the site search as their own kind (「記事」), dated by their 掲載日.

Pages are the CMS's source already (pages/search_sources.py): it indexes every page, connects the
publish signals and knows who may see a page. This source only changes what an article's entry
says, by starting from the page source's values; the index finds it first for an ArticlePage
because it is registered for that model. Registered in `NewsConfig.ready()`.
"""

from wagtail.models import Page

from pages.search import registry

from .models import ArticlePage

KIND = "article"


def _page_source():
    return registry.source_for_model(Page)


def _objects():
    return ArticlePage.objects.all().iterator()


def _values(article, entry):
    values = dict(_page_source().values(article, entry))
    values.update(kind=KIND, date=article.published_on)
    return values


def _current_urls(ids, request):
    return _page_source().current_urls(ids, request)


def register_search_source():
    registry.register(
        registry.SearchSource(
            model=ArticlePage,
            kinds={KIND: "記事"},
            objects=_objects,
            values=_values,
            current_urls=_current_urls,
        )
    )

"""What other pages show of the articles: the home page's newest five."""

from django import template

from pages import site_context
from pages.news.models import HOME_PAGE_COUNT, ArticleIndexPage, ArticlePage

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_articles(context, limit=HOME_PAGE_COUNT):
    """{"articles": the newest public articles, "index": the article list page (or None)}."""
    request = context.get("request")
    articles = site_context.public(ArticlePage.objects.live(), request).newest_first()
    articles = site_context.without_streams(articles).select_related("category", "series")[:limit]
    return {"articles": list(articles), "index": article_index(request)}


def article_index(request):
    # The list page lives under the home page, among the top-level pages the request has fetched already.
    shared = site_context.for_request(request)
    if shared is None:
        return ArticleIndexPage.objects.live().public().first()
    return next((page for page in shared.top_level if isinstance(page, ArticleIndexPage)), None)

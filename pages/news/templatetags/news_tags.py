"""What other pages show of the articles: the home page's newest five."""

from django import template

from pages.news.models import HOME_PAGE_COUNT, ArticleIndexPage, ArticlePage

register = template.Library()


@register.simple_tag
def latest_articles(limit=HOME_PAGE_COUNT):
    """{"articles": the newest public articles, "index": the article list page (or None)}."""
    articles = ArticlePage.objects.for_public().newest_first().select_related("category", "series")[:limit]
    return {"articles": list(articles), "index": ArticleIndexPage.objects.live().public().first()}

"""The articles' contributions to the Atom feed (the sitemap lists them as pages already).

Registered in `NewsConfig.ready()`.
"""

import datetime

from django.utils import timezone

from pages.discovery import registry

from .models import ArticlePage


def published_at(article):
    """When the article counts as published: its 掲載日, at the moment it first went live when that
    was on the same day, else at 9:00 that day (a 掲載日 set in the past or ahead)."""
    first = article.first_published_at
    if first and timezone.localdate(first) == article.published_on:
        return first
    return timezone.make_aware(datetime.datetime.combine(article.published_on, datetime.time(9, 0)))


def _new_articles(request, limit):
    articles = ArticlePage.objects.for_public().newest_first().select_related("category")[:limit]
    return [
        registry.FeedItem(
            guid=f"article-{article.pk}",
            title=f"{article.category.name}：{article.full_title}",
            description=article.search_description or article.introduction or article.title,
            link=article.get_url(request),
            published=published_at(article),
        )
        for article in articles
    ]


def register_discovery():
    registry.add_feed_section(
        registry.FeedSection(name="記事", summary="お知らせ・取組紹介の記事", items=_new_articles)
    )

"""Small builders for the article tests: the list page, categories, series and published articles."""

import datetime
import itertools
import json

from pages.news.models import ArticleCategory, ArticleIndexPage, ArticlePage, ArticleSeries
from pages.tests.factories import make_home, make_image, publish

_numbers = itertools.count(1)


def make_index(home=None, **fields):
    fields.setdefault("title", "お知らせ・取組紹介")
    fields.setdefault("slug", "news")
    return publish(home or make_home(), ArticleIndexPage(**fields))


def category(name="お知らせ", slug="notice", sort_order=0):
    return ArticleCategory.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": sort_order})[0]


def series(name="取組紹介"):
    return ArticleSeries.objects.get_or_create(name=name)[0]


def paragraph(text):
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])


def make_article(index, title=None, *, text="", live=True, tags=(), **fields):
    """A published article (page_published is sent) under `index`, unless live=False."""
    number = next(_numbers)
    fields.setdefault("category", category())
    fields.setdefault("published_on", datetime.date(2026, 4, 1))
    fields.setdefault("introduction", f"記事{number}のリード文です。")
    page = ArticlePage(
        title=title or f"記事{number}",
        slug=f"article-{number}",
        body=fields.pop("body", None) or (paragraph(text) if text else "[]"),
        live=live,
        **fields,
    )
    page.tags.add(*tags)
    index.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def image_body(alt_text="見守り活動の様子", caption="活動の様子"):
    image = make_image("記事の写真", description=alt_text)
    return json.dumps(
        [{"type": "image", "value": {"image": image.pk, "alt_text": alt_text, "decorative": False, "caption": caption}}]
    ), image

"""What /news/ shows for a request: the filtered articles, 20 to a page, and what to tell the reader
about a filter or page number it could not use (an old link, an edited URL: never an error page)."""

import datetime

from django.core.paginator import Paginator
from taggit.models import Tag

from core.era import era_year
from core.text import clean, clean_query, parse_id

from .forms import ArticleFilterForm

PER_PAGE = 20


def year_label(year):
    """「2026年（令和8年）」; a year in which the era changed names both (2019年（平成31年・令和元年）)."""
    eras = []
    for day in (datetime.date(year, 1, 1), datetime.date(year, 12, 31)):
        name, number = era_year(day)
        if name and f"{name}{number}年" not in eras:
            eras.append(f"{name}{number}年")
    return f"{year}年（{'・'.join(eras)}）" if eras else f"{year}年"


class ArticleListing:
    # The page hands in its articles and the categories: the models import this module, not the reverse.
    def __init__(self, articles, categories, request):
        categories = list(categories)
        years = [(day.year, year_label(day.year)) for day in articles.dates("published_on", "year", order="DESC")]
        params = clean_query(request.GET)
        self.form = ArticleFilterForm(params, categories=categories, years=years)
        self.filters = self.form.filters()
        self.notices = [str(error) for error in self.form.errors.get("tag", [])]

        self.category = next((c for c in categories if c.slug == self.filters.get("category")), None)
        self.year = self.filters.get("year")
        self.tag = None
        if self.category:
            articles = articles.filter(category=self.category)
        if self.year:
            articles = articles.filter(published_on__year=self.year)
        if self.filters.get("tag"):
            self.tag = Tag.objects.filter(slug=self.filters["tag"], news_articlepagetag_items__isnull=False).first()
            if self.tag is None:
                self.notices.append(f"「{self.filters['tag']}」というタグの付いた記事はありません。")
                articles = articles.none()
            else:
                articles = articles.filter(tagged_items__tag=self.tag)

        articles = articles.newest_first().select_related("category", "series")
        self.paginator = Paginator(articles, PER_PAGE)
        self.page = self.paginator.page(self._page_number(params.get("page")))

    def _page_number(self, value):
        if value in (None, ""):
            return 1
        number = parse_id(value)
        if number is None or number > self.paginator.num_pages:
            shown = clean(value, multiline=False)[:20]
            self.notices.append(f"指定されたページ（{shown}）はありません。1ページ目を表示しています。")
            return 1
        return number

    @property
    def is_filtered(self):
        return bool(self.category or self.year or self.tag)

    @property
    def description(self):
        """What the list shows, in words: 「分類：取組紹介、掲載年：2026年（令和8年）」."""
        parts = []
        if self.category:
            parts.append(f"分類：{self.category.name}")
        if self.year:
            parts.append(f"掲載年：{year_label(self.year)}")
        if self.tag:
            parts.append(f"タグ：{self.tag.name}")
        return "、".join(parts)

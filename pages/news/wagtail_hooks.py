"""Article categories and series in the admin, as snippets in one 「記事の設定」 menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ArticleCategory, ArticleSeries


class ArticleCategoryViewSet(SnippetViewSet):
    model = ArticleCategory
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "pk"]


class ArticleSeriesViewSet(SnippetViewSet):
    model = ArticleSeries
    icon = "list-ol"
    list_display = ["name", "description"]


class ArticleSettingsGroup(SnippetViewSetGroup):
    menu_label = "記事の設定"
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (ArticleCategoryViewSet, ArticleSeriesViewSet)


register_snippet(ArticleSettingsGroup)

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index


class KyoseiPage(Page):
    """Fields and behaviour every page of the site shares (not a page type editors create)."""

    introduction = models.TextField(
        "リード文",
        blank=True,
        help_text="ページの最初に表示する短い紹介文です。検索結果やページ一覧の説明にも使います。",
    )

    search_fields = Page.search_fields + [index.SearchField("introduction")]
    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        """The page's meta description: the editor's 検索用の説明, else its lead, else its title."""
        text = self.search_description or self.introduction or f"{self.title}のページです。"
        return " ".join(text.split())[:160]

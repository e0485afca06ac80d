from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from pages.forms import KyoseiPageForm
from pages.site_context import UNRESTRICTED_ATTR


class KyoseiPage(Page):
    """Fields and behaviour every page of the site shares (not a page type editors create)."""

    introduction = models.TextField(
        "リード文",
        blank=True,
        help_text="ページの最初に表示する短い紹介文です。検索結果やページ一覧の説明にも使います。",
    )

    menu_title = models.CharField(
        "メニュー用の短い名前",
        max_length=30,
        blank=True,
        help_text="メインメニューとパンくずリストに出す短い名前です（例: 推進宣言）。空欄のときはタイトルを使います。",
    )

    # Fills a readable ASCII slug when the editor leaves it empty (Japanese titles give none).
    base_form_class = KyoseiPageForm

    search_fields = Page.search_fields + [index.SearchField("introduction")]
    content_panels = Page.content_panels + [FieldPanel("introduction")]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Routing (pages.site_context.route) already asked whether this page, its ancestors or an alias
        # among them is restricted, in the query that fetched them; Wagtail asks again otherwise.
        if getattr(self, UNRESTRICTED_ATTR, False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def short_title(self):
        """The name used in navigation: the short menu name when the editor gave one."""
        return self.menu_title or self.title

    @property
    def updated_at(self):
        """When an editor last published a change (更新日), or None while the page is as first published.

        Wagtail stamps first and last publication with the same moment on a page's first publication,
        and `load_initial_content` gives both the seed's date; so any later publication is an update.
        """
        if self.first_published_at and self.last_published_at and self.last_published_at > self.first_published_at:
            return self.last_published_at
        return None

    @property
    def meta_description(self):
        """The page's meta description: the editor's 検索用の説明, else its lead, else its title."""
        text = self.search_description or self.introduction or f"{self.title}のページです。"
        return " ".join(text.split())[:160]

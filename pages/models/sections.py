from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from pages.blocks import BodyStreamBlock

from .base import KyoseiPage


class SectionPage(KyoseiPage):
    """A section told in free blocks: 推進宣言, シンボルマーク, 研修, 交付金交付要綱, 調査等."""

    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)

    search_fields = KyoseiPage.search_fields + [index.SearchField("body")]
    content_panels = KyoseiPage.content_panels + [FieldPanel("body")]

    parent_page_types = ["pages.HomePage", "pages.SectionPage"]
    subpage_types = ["pages.SectionPage"]
    show_in_menus_default = True
    template = "pages/section_page.html"

    class Meta:
        verbose_name = "セクションページ"
        verbose_name_plural = "セクションページ"

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from pages import site_context
from pages.blocks import RICH_TEXT_FEATURES, BodyStreamBlock, PillarBlock

from .base import KyoseiPage
from .events import EventIndexPage, EventPage


class HomePage(KyoseiPage):
    """The front page: what 高知型地域共生社会 is, its two pillars, its hub, and the way into every section."""

    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)
    pillars_heading = models.CharField("2本柱の見出し", max_length=120, blank=True)
    pillars = StreamField(
        [("pillar", PillarBlock())],
        verbose_name="2本柱",
        blank=True,
        help_text="「たて糸」「よこ糸」のように、取り組みの柱を並べます。",
    )
    hub_heading = models.CharField("拠点の見出し", max_length=120, blank=True)
    hub_text = RichTextField("拠点の説明", features=RICH_TEXT_FEATURES, blank=True)

    search_fields = KyoseiPage.search_fields + [
        index.SearchField("body"),
        index.SearchField("pillars"),
        index.SearchField("hub_text"),
    ]
    content_panels = KyoseiPage.content_panels + [
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("pillars_heading"), FieldPanel("pillars")], heading="2本柱"),
        MultiFieldPanel([FieldPanel("hub_heading"), FieldPanel("hub_text")], heading="拠点"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.SectionPage",
        "pages.PamphletIndexPage",
        "pages.EventIndexPage",
        "accessibility.AccessibilityPolicyPage",
        "pages.PolicyPage",
        "news.ArticleIndexPage",
    ]
    max_count = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = "トップページ"
        verbose_name_plural = "トップページ"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self._live_children(request)
        context["sections"] = [page for page in children if page.show_in_menus]
        context["upcoming_events"], context["recent_events"] = EventPage.objects.live().descendant_of(self).for_home()
        context["event_index"] = next((page for page in children if isinstance(page, EventIndexPage)), None)
        return context

    def _live_children(self, request):
        """This page's live children, specific: shared with the menu when this page is the site's root."""
        pages = site_context.for_request(request)
        if pages is not None and pages.site.root_page_id == self.pk:
            return pages.top_level
        return site_context.specific_pages(self.get_children().live().order_by("path"))

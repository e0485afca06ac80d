from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from .base import KyoseiPage


class PamphletIndexPage(KyoseiPage):
    """The list of pamphlets and leaflets (パンフレット等), each with its cover and file."""

    content_panels = KyoseiPage.content_panels + [
        InlinePanel("pamphlets", label="パンフレット", heading="パンフレット")
    ]
    search_fields = KyoseiPage.search_fields + [
        index.RelatedFields("pamphlets", [index.SearchField("title"), index.SearchField("description")]),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    show_in_menus_default = True
    max_count = 1
    template = "pages/pamphlet_index_page.html"

    class Meta:
        verbose_name = "パンフレット一覧ページ"
        verbose_name_plural = "パンフレット一覧ページ"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Files, covers and the covers' renditions in three queries, however many pamphlets there are.
        context["pamphlets"] = self.pamphlets.select_related("document", "cover_image").prefetch_related(
            Prefetch("cover_image__renditions", to_attr="prefetched_renditions")
        )
        return context


class Pamphlet(Orderable):
    """One pamphlet on the pamphlet page: title, creation month, cover image and the file itself."""

    page = ParentalKey(PamphletIndexPage, on_delete=models.CASCADE, related_name="pamphlets")
    title = models.CharField("タイトル", max_length=200)
    created_on = models.DateField(
        "作成年月",
        help_text="作成した月の任意の日を選んでください。「令和5年10月作成」のように月まで表示します。",
    )
    description = models.TextField("説明", blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="ファイル",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="ファイルの種類と大きさ（[PDF:3MB] など）はファイルから自動で表示します。",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="表紙の画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt_text = models.CharField(
        "表紙の代替テキスト",
        max_length=250,
        blank=True,
        help_text="例: 「高知家地域共生社会リーフレット」の表紙。表紙の画像を選んだときは必須です。",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("created_on"),
        FieldPanel("description"),
        FieldPanel("document"),
        FieldPanel("cover_image"),
        FieldPanel("cover_alt_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "パンフレット"
        verbose_name_plural = "パンフレット"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # A cover carries content (it is how people recognise the leaflet), so it needs a text alternative.
        if self.cover_image_id and not self.cover_alt_text.strip():
            raise ValidationError({"cover_alt_text": "表紙の画像を選んだときは、代替テキストを入力してください。"})

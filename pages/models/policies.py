from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from pages.blocks import BodyStreamBlock

from .base import KyoseiPage


class SiteFactBlock(blocks.StructBlock):
    """A fact the site itself keeps (a setting, a retention period, a cookie), shown where the editor puts it.

    Typed once where the site enforces it and rendered here, so the policy never says something the
    site does not do.
    """

    fact = blocks.ChoiceBlock(
        label="表示する内容",
        choices=[
            ("handler", "個人情報を取り扱う部署（お問い合わせ先の設定から）"),
            ("collected", "申込みフォームで集める項目（公開する項目・公開しない項目）"),
            ("retention", "保存期間（サイトが実際に削除する期間）"),
            ("cookies", "サイトが使うクッキー"),
            ("licence", "オープンデータの利用条件（オープンデータ設定から）"),
        ],
    )

    class Meta:
        icon = "cog"
        label = "サイトの設定から表示"
        template = "blocks/site_fact_block.html"
        help_text = "サイトの設定や実際の動きから自動で表示します。文章で書き写さないでください。"


class PolicyStreamBlock(BodyStreamBlock):
    site_fact = SiteFactBlock()


class PolicyPage(KyoseiPage):
    """A site-wide policy (プライバシーポリシー, サイトポリシー): staff's text with facts the site itself keeps."""

    body = StreamField(PolicyStreamBlock(), verbose_name="本文", blank=True)

    search_fields = KyoseiPage.search_fields + [index.SearchField("body")]
    content_panels = KyoseiPage.content_panels + [FieldPanel("body")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    template = "pages/section_page.html"

    class Meta:
        verbose_name = "方針のページ"
        verbose_name_plural = "方針のページ"

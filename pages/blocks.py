"""StreamField blocks shared by every page type; each renders through templates/blocks/<name>_block.html."""

import copy
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

# Rich text kept to what the prefecture's pages use. No headings (HeadingBlock keeps the outline right)
# and no file links: files go through DocumentBlock, which always shows their type and size.
RICH_TEXT_FEATURES = ["bold", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    """A section heading at level 2 or 3, so the page outline stays correct for screen readers."""

    text = blocks.CharBlock(label="見出し", max_length=120)
    level = blocks.ChoiceBlock(
        label="レベル",
        choices=[("h2", "大見出し (h2)"), ("h3", "小見出し (h3)")],
        default="h2",
        help_text="ページ名の次の見出しは「大見出し」、その中の区切りは「小見出し」にしてください。",
    )

    class Meta:
        icon = "title"
        label = "見出し"
        template = "blocks/heading_block.html"


class ParagraphBlock(blocks.RichTextBlock):
    """Body text: paragraphs, lists and links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "本文"
        template = "blocks/paragraph_block.html"
        help_text = (
            "見出しは「見出し」ブロック、ファイルへのリンクは「文書（ダウンロード）」ブロックで入れてください"
            "（ファイルの種類と大きさを自動で表示します）。"
        )


class RenditionImageChooserBlock(ImageChooserBlock):
    """Wagtail's image chooser, whose images arrive with their renditions: a page's images and all their
    sizes in two queries, however many image blocks it has (Wagtail asks once per image otherwise)."""

    def bulk_to_python(self, values):
        objects = self.model_class.objects.prefetch_renditions().in_bulk(values)
        seen = set()
        result = []
        for pk in values:
            image = objects.get(pk)
            # The same image twice gets its own instance, as in ChooserBlock.bulk_to_python.
            result.append(copy.copy(image) if image is not None and pk in seen else image)
            seen.add(pk)
        return result

    def deconstruct(self):
        # Stored in migrations as the block it extends: the stored data and the admin form are the same.
        return ("wagtail.images.blocks.ImageChooserBlock", *super().deconstruct()[1:])


class ImageBlock(blocks.StructBlock):
    """A content image with its alternative text, or marked decorative (then it is hidden from screen readers)."""

    image = RenditionImageChooserBlock(label="画像")
    alt_text = blocks.CharBlock(
        label="代替テキスト",
        required=False,
        max_length=250,
        help_text="画像が見えない方にも内容が伝わるように、画像が伝えていることを書いてください。",
    )
    decorative = blocks.BooleanBlock(
        label="装飾のための画像",
        required=False,
        help_text="内容を伝えない飾りの画像のときだけチェックしてください（代替テキストは読み上げられません）。",
    )
    caption = blocks.CharBlock(label="キャプション", required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "画像"
        template = "blocks/image_block.html"

    def clean(self, value):
        value = super().clean(value)
        # JIS X 8341-3 / WCAG 1.1.1: every image that carries content needs a text alternative.
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [
                            ValidationError(
                                "代替テキストを入力するか、「装飾のための画像」にチェックしてください。",
                                code="alt_text_required",
                            )
                        ]
                    )
                }
            )
        return value


class DocumentBlock(blocks.StructBlock):
    """A downloadable file shown with its type and size, as in 宣言書[PDF:387KB]."""

    document = DocumentChooserBlock(label="文書")
    title = blocks.CharBlock(
        label="リンクの文言",
        required=False,
        max_length=200,
        help_text="空欄のときは文書のタイトルを使います。ファイルの種類と大きさは自動で付きます。",
    )

    class Meta:
        icon = "doc-full"
        label = "文書（ダウンロード）"
        template = "blocks/document_block.html"


def validate_site_url(value):
    """A path on this site (/declarations/), a place on the same page (#contact) or an http(s) address."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if re.fullmatch(r"#[A-Za-z][\w-]*", value):
        return
    URLValidator(schemes=["http", "https"])(value)


class LinkBlock(blocks.StructBlock):
    """A prominent link to a page of this site or to another site, such as 詳細・ご応募はこちら."""

    text = blocks.CharBlock(label="リンクの文言", max_length=120)
    page = blocks.PageChooserBlock(label="サイト内のページ", required=False)
    url = blocks.CharBlock(
        label="URL",
        required=False,
        max_length=500,
        validators=[validate_site_url],
        help_text=(
            "サイト内のページ以外へのリンク。/declarations/ のようなパス、https:// で始まるアドレス、"
            "または同じページの中の場所（お問い合わせ先なら #contact）。"
        ),
    )

    class Meta:
        icon = "link"
        label = "リンク"
        template = "blocks/link_block.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "「サイト内のページ」か「URL」のどちらか一方だけを指定してください。"
            raise StructBlockValidationError(
                block_errors={
                    "page": ErrorList([ValidationError(message, code="one_target")]),
                    "url": ErrorList([ValidationError(message, code="one_target")]),
                }
            )
        return value


class PillarBlock(blocks.StructBlock):
    """One pillar of the programme, such as たて糸 (administration) or よこ糸 (community)."""

    label = blocks.CharBlock(label="名称", max_length=20, help_text="例: たて糸")
    title = blocks.CharBlock(label="見出し", max_length=120)
    text = blocks.TextBlock(label="説明")

    class Meta:
        icon = "list-ul"
        label = "柱"
        template = "blocks/pillar_block.html"


class PhoneLineBlock(blocks.StructBlock):
    """One telephone line of the department with the team it reaches."""

    label = blocks.CharBlock(label="担当", max_length=80, help_text="例: 地域共生社会室")
    number = blocks.RegexBlock(
        label="電話番号",
        regex=r"^[0-9][0-9-]{8,14}$",
        error_messages={"invalid": "088-823-9840 のように半角数字とハイフンで入力してください。"},
    )

    class Meta:
        icon = "mobile-alt"
        label = "電話"
        template = "blocks/phone_line_block.html"


class BodyStreamBlock(blocks.StreamBlock):
    """What editors can put in a page body."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    document = DocumentBlock()
    link = LinkBlock()

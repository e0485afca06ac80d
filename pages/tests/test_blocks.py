import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from pages.blocks import BodyStreamBlock, DocumentBlock, ImageBlock, LinkBlock

from .factories import make_document, make_image

pytestmark = pytest.mark.django_db


def image_value(image, alt_text="", decorative=False, caption=""):
    block = ImageBlock()
    return block, block.to_python(
        {"image": image.pk, "alt_text": alt_text, "decorative": decorative, "caption": caption}
    )


def test_an_image_without_alt_text_is_rejected():
    block, value = image_value(make_image())
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(value)
    assert "alt_text" in caught.value.block_errors
    assert "代替テキスト" in str(caught.value.block_errors["alt_text"])


def test_whitespace_is_not_alt_text():
    block, value = image_value(make_image(), alt_text="   ")
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_an_image_with_alt_text_renders_it():
    block, value = image_value(make_image(), alt_text="推進宣言の集合写真", caption="令和4年10月30日")
    html = block.render(block.clean(value))
    assert 'alt="推進宣言の集合写真"' in html
    assert "<figcaption>令和4年10月30日</figcaption>" in html


def test_a_decorative_image_is_accepted_and_hidden_from_screen_readers():
    block, value = image_value(make_image(), alt_text="飾りの線", decorative=True)
    html = block.render(block.clean(value))
    assert 'alt=""' in html
    assert "飾りの線" not in html


def test_document_block_shows_type_and_size_after_the_title():
    document = make_document("「高知家地域共生社会推進宣言」宣言書", size=387 * 1024)
    block = DocumentBlock()
    html = block.render(block.to_python({"document": document.pk, "title": ""}))
    assert "「高知家地域共生社会推進宣言」宣言書" in html
    assert "[PDF:387KB]" in html
    assert f'href="{document.url}"' in html


def test_link_block_needs_exactly_one_target():
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"text": "詳細・ご応募はこちら", "url": "", "page": None}))
    value = block.clean(block.to_python({"text": "詳細・ご応募はこちら", "url": "/declarations/apply/", "page": None}))
    assert 'href="/declarations/apply/"' in block.render(value)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/", "declarations"])
def test_link_block_rejects_unsafe_or_relative_addresses(url):
    block = LinkBlock()
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(block.to_python({"text": "リンク", "url": url, "page": None}))


def test_body_headings_render_at_the_chosen_level():
    stream = BodyStreamBlock()
    value = stream.to_python([{"type": "heading", "value": {"text": "民間企業・団体の皆さまへ", "level": "h3"}}])
    assert "<h3" in stream.render(value) and "民間企業・団体の皆さまへ</h3>" in stream.render(value)

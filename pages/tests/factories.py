"""Small builders for real pages, PDFs and images used by the pages tests."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from pypdf import PdfWriter
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from pages.models import EventIndexPage, EventPage, HomePage


def pdf_bytes(size=None, title="テスト文書"):
    """A valid one-page PDF; with `size`, padded (in its document info) to exactly that many bytes."""

    def build(padding):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Title": title, "/Padding": "x" * padding})
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    data = build(0)
    if size is None:
        return data
    padding = 0
    # The cross-reference offsets grow by a digit now and then, so converge in a few steps.
    for _ in range(5):
        padding += size - len(data)
        data = build(padding)
        if len(data) == size:
            return data
    raise AssertionError(f"could not build a PDF of exactly {size} bytes")


def png_bytes(size=(40, 30), colour=(200, 120, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_document(title="テスト文書", size=None, filename="test.pdf"):
    data = pdf_bytes(size, title)
    # Size and hash set as Wagtail's upload form sets them.
    document = get_document_model()(title=title, file_size=len(data), file_hash=hashlib.sha1(data).hexdigest())
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def make_image(title="テスト画像", description=""):
    image = get_image_model()(title=title, description=description)
    image.file = ImageFile(io.BytesIO(png_bytes()), name="test.png")
    image.save()
    return image


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_home(**fields):
    """A published HomePage as the default site's root (replacing Wagtail's placeholder page)."""
    root = Page.get_first_root_node()
    Site.objects.all().delete()
    for placeholder in root.get_children():
        placeholder.delete()
    fields.setdefault("title", "高知型地域共生社会")
    fields.setdefault("slug", "home")
    home = publish(root, HomePage(**fields))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="テスト")
    return home


def make_event(index, slug, title, start_date, **fields):
    return publish(index, EventPage(title=title, slug=slug, start_date=start_date, **fields))


def make_event_index(home, title="行事等"):
    return publish(home, EventIndexPage(title=title, slug="events"))

"""Small factories for the search tests: pages, declarations and real PDF files."""

import itertools
import json

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from declarations.models import Declaration, Municipality, OrganisationType, Status
from pages.models import EventPage, SectionPage

_numbers = itertools.count(1)


def site_root():
    return Site.objects.get(is_default_site=True).root_page


def make_page(title, text="", *, live=True, parent=None, model=SectionPage, **fields):
    """A page with `text` as a paragraph of its body, published (page_published is sent) unless live=False."""
    body = json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}]) if text else "[]"
    page = model(title=title, slug=f"page-{next(_numbers)}", body=body, live=live, **fields)
    (parent or site_root()).add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return Page.objects.get(pk=page.pk).specific


def make_event(title, text="", start_date=None, **fields):
    import datetime

    return make_page(title, text, model=EventPage, start_date=start_date or datetime.date(2023, 10, 7), **fields)


def make_declaration(name, content="", *, kana="", status=Status.PUBLISHED, declared_on=None):
    number = next(_numbers)
    declaration = Declaration(
        reference_number=f"KS-TEST-{number:04d}",
        status=status,
        name=name,
        name_kana=kana or "てすと",
        organisation_type=OrganisationType.COMPANY,
        municipality=Municipality.objects.order_by("sort_order").first(),
        representative_title="代表取締役",
        representative_name="高知 太郎",
        content=content or "地域の行事に参加します。",
        declared_on=declared_on,
    )
    declaration.save()
    return declaration


def pdf_with_text(lines):
    """The bytes of a real one-page PDF whose text is `lines`, Japanese included.

    Japanese PDFs carry their text as two-byte glyph codes in a Type0 font with a ToUnicode map,
    which is what text extraction reads; this one does the same, using each character's code
    point as its glyph code (no font program is embedded, so viewers draw it with a substitute).
    """
    characters = sorted({char for line in lines for char in line})
    to_unicode = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(characters)} beginbfchar",
            *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in characters),
            "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    ).encode()
    text_ops = ["BT", "/F1 12 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        text_ops.append("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*")
    text_ops.append("ET")
    content = "\n".join(text_ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPro-Regular /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPro-Regular"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(to_unicode) + to_unicode + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def make_document(title, pdf_bytes, filename="pamphlet.pdf"):
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(pdf_bytes), save=False)
    document._set_document_file_metadata()  # what Wagtail's upload form does: size and hash
    document.save()
    return document

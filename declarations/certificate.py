"""The 宣言書: an A4 certificate PDF of one published declaration, drawn with fpdf2.

fpdf2 is pure Python (no system libraries, unlike WeasyPrint's pango), is actively maintained, and
embeds a TrueType font as a subset, so the file carries only the glyphs it uses and its text stays
extractable (`pdftotext` reads it). The font is IPAex明朝 from Debian's `fonts-ipaexfont-mincho`
(IPA Font License: embedding in documents and redistribution are allowed); the Makefile and the
Dockerfile install it. The symbol mark is the site's own SVG (static/img/favicon.svg), which fpdf2
draws as vector paths.

Nothing here reads the database: the model hands over the text (Declaration.issue_certificate).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from fpdf import FPDF

from core.era import format_date

TITLE = "高知家地域共生社会推進宣言書"
SYMBOL_MARK = "img/favicon.svg"
FONT_FAMILY = "ipaexm"
MARGIN = 20  # mm


class CertificateFontMissing(RuntimeError):
    """The Japanese font is not installed (see CERTIFICATE_FONT_PATH in docs/operations.md, "Environment variables")."""


@dataclass(frozen=True)
class CertificateText:
    reference_number: str
    name: str
    representative: str
    content: str
    declared_on: date
    issued_on: date
    issuer: str


def font_path():
    path = Path(settings.CERTIFICATE_FONT_PATH)
    if not path.is_file():
        raise CertificateFontMissing(
            f"宣言書の日本語フォントがありません: {path}（fonts-ipaexfont-mincho をインストールしてください）"
        )
    return path


def symbol_mark_path():
    return finders.find(SYMBOL_MARK) or str(Path(settings.STATIC_ROOT or "") / SYMBOL_MARK)


def render(text):
    """The certificate of `text` (a CertificateText) as PDF bytes."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{TITLE}（{text.name}）")
    pdf.set_author(text.issuer)
    pdf.set_creator(TITLE)
    pdf.set_lang("ja")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font(FONT_FAMILY, fname=str(font_path()))
    pdf.add_page()
    width = pdf.w - 2 * MARGIN

    # A double frame, as certificates have.
    pdf.set_draw_color(0, 49, 216)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(12.5, 12.5, pdf.w - 25, pdf.h - 25)

    mark = symbol_mark_path()
    if mark and Path(mark).is_file():
        pdf.image(mark, x=(pdf.w - 18) / 2, y=MARGIN + 2, w=18, h=18, alt_text="シンボルマーク")
    pdf.set_y(MARGIN + 26)

    pdf.set_font(FONT_FAMILY, size=24)
    pdf.cell(width, 14, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font(FONT_FAMILY, size=12)
    pdf.multi_cell(
        width,
        7,
        f"{text.name}は、誰もが支え合い、誰ひとり取り残されることのない高知家地域共生社会の実現に向けて、"
        "次のとおり宣言します。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)

    pdf.set_font(FONT_FAMILY, size=14)
    pdf.cell(width, 9, "宣言内容", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.set_draw_color(120, 120, 120)
    pdf.multi_cell(width, 6.5, text.content, border=1, padding=4, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font(FONT_FAMILY, size=12)
    pdf.cell(width, 8, f"宣言日　{format_date(text.declared_on)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, size=16)
    pdf.multi_cell(width, 9, text.name, align="R", new_x="LMARGIN", new_y="NEXT")
    if text.representative:
        pdf.set_font(FONT_FAMILY, size=12)
        pdf.multi_cell(width, 8, text.representative, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)

    pdf.set_font(FONT_FAMILY, size=11)
    pdf.multi_cell(
        width,
        6.5,
        "上記の宣言を、高知家地域共生社会推進宣言の宣言企業・団体として登録したことを証します。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.cell(width, 7, format_date(text.issued_on), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(width, 9, text.issuer, align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(FONT_FAMILY, size=8)
    pdf.set_y(pdf.h - MARGIN - 4)
    pdf.cell(width, 4, f"受付番号 {text.reference_number}", align="L")
    return bytes(pdf.output())


def content_disposition(filename):
    """A download header: an ASCII name for old clients, the Japanese one (RFC 6266 filename*) for the rest."""
    return f"attachment; filename=\"certificate.pdf\"; filename*=UTF-8''{quote(filename)}"

"""The 宣言書: an A4 certificate PDF of one published declaration, drawn with fpdf2.

fpdf2 is pure Python (no system libraries, unlike WeasyPrint's pango), is actively maintained, and
embeds a TrueType font as a subset, so the file carries only the glyphs it uses and its text stays
extractable (`pdftotext` reads it). The font is IPAex明朝 from Debian's `fonts-ipaexfont-mincho`
(IPA Font License: embedding in documents and redistribution are allowed); the Makefile and the
Dockerfile install it. The symbol mark is the site's own SVG (static/img/symbol-mark.svg), which fpdf2
draws as vector paths.

The page is laid out as a certificate meant to be framed: the mark and the title at the top, the issuer
(高知県知事 and the name from the 宣言書 setting) with the space for the 公印 at the foot, and the
declarant and the declaration centred between them, so no part of the sheet is left empty. Lines are
broken here rather than by fpdf2, which breaks Japanese anywhere: 「高知家」 is never split, and no line
starts with 、。」 or ends with 「（ (the usual 禁則).

The same text gives the same bytes: the PDF's creation date is the day of issue, not the moment of
drawing, so drawing a certificate again for the same entry and day changes nothing.

Nothing here reads the database: the model hands over the text (Declaration.issue_certificate).
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles import finders
from fpdf import FPDF

from core.era import format_date

TITLE = "高知家地域共生社会推進宣言書"
SYMBOL_MARK = "img/symbol-mark.svg"
FONT_FAMILY = "ipaexm"
JST = datetime.timezone(datetime.timedelta(hours=9))

# Geometry of the A4 sheet, in mm.
MARGIN = 25
MARK_SIZE = 30
MARK_TOP = 24
TITLE_TOP = MARK_TOP + MARK_SIZE + 6
SEAL_SIZE = 22
BOTTOM = 268  # the foot of the issuer's block
REFERENCE_TOP = 276
MIN_GAP = 3
MAX_GAP = 16
CONTENT_BOX_MIN_HEIGHT = 30

# Words never split across lines.
UNBREAKABLE = ("高知家",)
# 禁則: characters that never start a line, and characters that never end one.
NOT_AT_LINE_START = set(
    "、。，．,.!?！？)）]］」』】〕〉》ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・：；:;…"
)
NOT_AT_LINE_END = set("(（[［「『【〔〈《")
LATIN_WORD = re.compile(r"[A-Za-z0-9@._/:#%&+\-]+")

NAME_SIZES = (20, 18, 16, 14)
CONTENT_SIZES = (12, 11, 10, 9, 8)  # 8 pt only for the longest 宣言内容 the form accepts


class CertificateFontMissing(RuntimeError):
    """The Japanese font is not installed (see CERTIFICATE_FONT_PATH in docs/operations.md, "Environment variables")."""


@dataclass(frozen=True)
class CertificateText:
    reference_number: str
    name: str
    representative: str
    content: str
    declared_on: datetime.date
    issued_on: datetime.date
    issuer: str  # the office: 高知県知事
    issuer_name: str = ""  # the person who holds it

    @property
    def signature(self):
        return "　".join(part for part in (self.issuer, self.issuer_name) if part)


def font_path():
    path = Path(settings.CERTIFICATE_FONT_PATH)
    if not path.is_file():
        raise CertificateFontMissing(
            f"宣言書の日本語フォントがありません: {path}（fonts-ipaexfont-mincho をインストールしてください）"
        )
    return path


def symbol_mark_path():
    return finders.find(SYMBOL_MARK) or str(Path(settings.STATIC_ROOT or "") / SYMBOL_MARK)


# Line breaking ---------------------------------------------------------------------------------


def units(paragraph):
    """The paragraph cut where a line may break: single characters, whole Latin words, the unbreakable
    words, with 禁則 characters held to their neighbour."""
    pieces = []
    index = 0
    while index < len(paragraph):
        word = next((word for word in UNBREAKABLE if paragraph.startswith(word, index)), None)
        if word is None:
            latin = LATIN_WORD.match(paragraph, index)
            word = latin.group(0) if latin else paragraph[index]
        pieces.append(word)
        index += len(word)
    held = []
    for piece in pieces:
        if held and (piece[0] in NOT_AT_LINE_START or held[-1][-1] in NOT_AT_LINE_END):
            held[-1] += piece
        else:
            held.append(piece)
    return held


def wrap(pdf, text, width):
    """The lines of `text` in the current font, none wider than `width` (a unit wider than a whole line,
    such as a very long address, is cut where it must be)."""
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for unit in units(paragraph):
            if pdf.get_string_width(line + unit) <= width or not line.strip():
                line += unit
            else:
                lines.append(line.rstrip())
                line = unit.lstrip(" ")
            while pdf.get_string_width(line) > width and len(line) > 1:
                cut = len(line)
                while cut > 1 and pdf.get_string_width(line[:cut]) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def wrap_balanced(pdf, text, width):
    """As `wrap`, with lines of even length: the narrowest measure that needs no more lines, so a sentence
    never ends with a word or two alone on its last line."""
    lines = wrap(pdf, text, width)
    narrower = width
    while len(lines) > 1 and narrower > width / 2:
        candidate = wrap(pdf, text, narrower - 1)
        if len(candidate) > len(lines):
            break
        narrower, lines = narrower - 1, candidate
    return lines


# Layout ----------------------------------------------------------------------------------------


def line_height(size, spacing=1.7):
    return size * 0.3528 * spacing


@dataclass
class Block:
    """Lines in one font size and alignment, or an empty height; `boxed` draws the content frame."""

    lines: list
    size: float
    align: str = "L"
    spacing: float = 1.7
    boxed: bool = False
    min_height: float = 0

    @property
    def height(self):
        text = len(self.lines) * line_height(self.size, self.spacing)
        return max(text + (8 if self.boxed else 0), self.min_height)


def middle_blocks(pdf, text, width, content_size):
    """The declarant and the declaration, as blocks with a gap between each (None marks a gap)."""
    pdf.set_font(FONT_FAMILY, size=NAME_SIZES[-1])
    for name_size in NAME_SIZES:
        pdf.set_font(FONT_FAMILY, size=name_size)
        name_lines = wrap(pdf, text.name, width)
        if len(name_lines) <= 2:
            break
    declarant = [Block(name_lines, name_size, "C", 1.5)]
    if text.representative:
        pdf.set_font(FONT_FAMILY, size=13)
        declarant.append(Block(wrap(pdf, text.representative, width), 13, "C", 1.6))
    pdf.set_font(FONT_FAMILY, size=12)
    intro = Block(
        wrap(
            pdf,
            f"{text.name}は、誰もが支え合い、誰ひとり取り残されることのない高知家地域共生社会の実現に向けて、"
            "次のとおり宣言します。",
            width,
        ),
        12,
    )
    pdf.set_font(FONT_FAMILY, size=content_size)
    content = Block(
        wrap(pdf, text.content, width - 12), content_size, spacing=1.6, boxed=True, min_height=CONTENT_BOX_MIN_HEIGHT
    )
    heading = Block(["宣言内容"], 13, "C", 1.6)
    declared = Block([f"宣言日　{format_date(text.declared_on)}"], 12, "L", 1.6)
    return [None, *declarant, None, intro, None, heading, content, None, declared, None]


def bottom_blocks(pdf, text, width):
    """The issuer's certification, dated and signed, with the seal's square beside the signature."""
    pdf.set_font(FONT_FAMILY, size=11)
    sentence = Block(
        wrap_balanced(pdf, "上記のとおり宣言されたことを認め、宣言企業・団体として登録したことを証します。", width),
        11,
    )
    return [sentence, Block([], 0, min_height=4)]


def render(text):
    """The certificate of `text` (a CertificateText) as PDF bytes."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{TITLE}（{text.name}）")
    pdf.set_author(text.signature)
    pdf.set_creator(TITLE)
    pdf.set_lang("ja")
    # The day of issue, so the same entry drawn again on the same day is the same file.
    pdf.set_creation_date(datetime.datetime.combine(text.issued_on, datetime.time(), tzinfo=JST))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # the layout below places every line itself
    pdf.add_font(FONT_FAMILY, fname=str(font_path()))
    pdf.add_page()
    width = pdf.w - 2 * MARGIN

    draw_frame(pdf)
    mark = symbol_mark_path()
    if mark and Path(mark).is_file():
        pdf.image(mark, x=(pdf.w - MARK_SIZE) / 2, y=MARK_TOP, w=MARK_SIZE, h=MARK_SIZE, alt_text="シンボルマーク")
    pdf.set_font(FONT_FAMILY, size=26)
    pdf.set_xy(MARGIN, TITLE_TOP)
    pdf.cell(width, 14, TITLE, align="C")
    middle_top = TITLE_TOP + 14

    signature_height = max(SEAL_SIZE, line_height(16, 1.4))
    date_height = line_height(12, 1.6)
    bottom = bottom_blocks(pdf, text, width)
    bottom_height = sum(block.height for block in bottom) + date_height + signature_height
    bottom_top = BOTTOM - bottom_height

    # The largest content font whose page fits; the gaps share what is left, the rest centres the middle.
    for content_size in CONTENT_SIZES:
        middle = middle_blocks(pdf, text, width, content_size)
        gaps = middle.count(None)
        free = bottom_top - middle_top - sum(block.height for block in middle if block)
        if free >= gaps * MIN_GAP:
            break
    gap = min(max(free / gaps, MIN_GAP), MAX_GAP)
    y = middle_top + max(free - gap * gaps, 0) / 2
    for block in middle:
        y = y + gap if block is None else draw_block(pdf, block, y, width)
    # The foot stays in place; only a text longer than the form allows would push it to another sheet.
    if y > bottom_top + 0.1:
        y = new_page(pdf)
    y = max(y, bottom_top)
    for block in bottom:
        y = draw_block(pdf, block, y, width)
    draw_signature(pdf, text, y, width, date_height, signature_height)

    pdf.set_font(FONT_FAMILY, size=8)
    pdf.set_xy(MARGIN, REFERENCE_TOP)
    pdf.cell(width, 4, f"受付番号 {text.reference_number}", align="L")
    return bytes(pdf.output())


def new_page(pdf):
    pdf.add_page()
    draw_frame(pdf)
    return MARGIN


def draw_frame(pdf):
    """A double frame, as certificates have."""
    pdf.set_draw_color(0, 49, 216)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(12.5, 12.5, pdf.w - 25, pdf.h - 25)


def draw_block(pdf, block, y, width):
    """Draws the block's lines from `y` (on a new sheet for lines that do not fit); returns where the next
    block starts."""
    if not block.size:
        return y + block.height
    pdf.set_font(FONT_FAMILY, size=block.size)
    height = line_height(block.size, block.spacing)
    x = MARGIN
    if block.boxed:
        if y + block.height > BOTTOM:
            # Frameless when it cannot fit one sheet: a frame cut by the sheet's edge helps nobody.
            block = Block(block.lines, block.size, block.align, block.spacing)
        else:
            pdf.set_draw_color(120, 120, 120)
            pdf.set_line_width(0.3)
            pdf.rect(MARGIN, y, width, block.height)
            x, width = MARGIN + 6, width - 12
    start, text_y = y, y + (4 if block.boxed else 0)
    for line in block.lines:
        if text_y + height > BOTTOM:
            start = text_y = new_page(pdf)
        pdf.set_xy(x, text_y)
        pdf.cell(width, height, line, align=block.align)
        text_y += height
    return max(start + block.height, text_y) if block.boxed else text_y


def draw_signature(pdf, text, y, width, date_height, signature_height):
    """The day of issue and 「高知県知事 氏名」 right-aligned, the seal's square to the right of the name."""
    seal_x = MARGIN + width - SEAL_SIZE
    text_width = width - SEAL_SIZE - 4
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_xy(MARGIN, y)
    pdf.cell(text_width, date_height, format_date(text.issued_on), align="R")
    y += date_height
    pdf.set_font(FONT_FAMILY, size=16)
    pdf.set_xy(MARGIN, y)
    pdf.cell(text_width, signature_height, text.signature, align="R")
    # Space for the 公印: a faint dashed square, so the seal has its place when the sheet is stamped.
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.rect(seal_x, y + (signature_height - SEAL_SIZE) / 2, SEAL_SIZE, SEAL_SIZE)
    pdf.set_dash_pattern()


def content_disposition(filename):
    """A download header: an ASCII name for old clients, the Japanese one (RFC 6266 filename*) for the rest."""
    return f"attachment; filename=\"certificate.pdf\"; filename*=UTF-8''{quote(filename)}"

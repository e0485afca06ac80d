"""Reading a 宣言書 back as a reader would: its text with poppler's pdftotext, its page as pixels with
pdftoppm (poppler-utils, installed by `make certificate-tools`), looked at with Pillow."""

import io
import shutil
import subprocess

from fpdf import FPDF
from PIL import Image, ImageChops, ImageStat

from declarations import certificate

DPI = 72


def poppler(tool):
    assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils (make certificate-tools does)"
    return tool


def pdf_text(data, tmp_path, layout=True):
    """The text a reader's tool extracts from the PDF, line by line as laid out on the page."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    command = [poppler("pdftotext"), *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def compact(text):
    return "".join(text.split())


def pdf_page_png(data, tmp_path, page=1):
    """The page rasterised by poppler, as a Pillow RGB image."""
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    command = [poppler("pdftoppm"), "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), str(path)]
    png = subprocess.run(command, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def mm(value):
    return round(value * DPI / 25.4)


def mark_box():
    """Where the certificate draws the symbol mark, in pixels: (left, top, right, bottom)."""
    left = (210 - certificate.MARK_SIZE) / 2
    return (
        mm(left),
        mm(certificate.MARK_TOP),
        mm(left + certificate.MARK_SIZE),
        mm(certificate.MARK_TOP + certificate.MARK_SIZE),
    )


def mark_alone_png(tmp_path):
    """The site's symbol mark file alone, drawn where the certificate draws it, rasterised the same way."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_page()
    left = (pdf.w - certificate.MARK_SIZE) / 2
    pdf.image(
        certificate.symbol_mark_path(), x=left, y=certificate.MARK_TOP, w=certificate.MARK_SIZE, h=certificate.MARK_SIZE
    )
    return pdf_page_png(bytes(pdf.output()), tmp_path).crop(mark_box())


def inked(image, threshold=200):
    """The share of pixels darker than `threshold` in any channel (0.0–1.0)."""
    dark = image.convert("L").point(lambda value: 255 if value < threshold else 0)
    return dark.histogram()[255] / (image.width * image.height)


def difference(one, other):
    """The mean difference of two images of one size, per channel, 0 (same) to 255."""
    return ImageStat.Stat(ImageChops.difference(one, other).convert("L")).mean[0]


def bands_without_ink(page):
    """Tenths of the sheet's height, inside the frame, that carry nothing at all (an empty lower part shows
    here as its last bands)."""
    inside = page.crop((mm(16), mm(16), page.width - mm(16), page.height - mm(16)))
    tenth = inside.height / 10
    return [
        band
        for band in range(10)
        if inked(inside.crop((0, round(band * tenth), inside.width, round((band + 1) * tenth)))) == 0
    ]

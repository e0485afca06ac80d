"""The text inside uploaded PDFs, so that search finds what a pamphlet says, not only its title."""

import logging

from pypdf import PdfReader

logger = logging.getLogger(__name__)

# A very long report costs seconds on upload; its first pages and characters carry what people search for.
MAX_PAGES = 200
MAX_CHARACTERS = 200_000


def extract_pdf_text(file):
    """The text of a PDF file object, or "" when it has none or cannot be read."""
    try:
        file.seek(0)
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        parts = []
        length = 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
            if length >= MAX_CHARACTERS:
                break
        return "\n".join(parts)[:MAX_CHARACTERS]
    # pypdf raises many exception types on damaged or unusual files; an unreadable PDF must not stop
    # its upload, it is simply found by its title only.
    except Exception:
        logger.warning("Could not extract text from PDF %r", getattr(file, "name", file), exc_info=True)
        return ""

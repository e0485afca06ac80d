"""The ふりがな view of a rendered HTML page, and its address.

`/furigana/<path>` is the page at `<path>` with readings over its kanji. The text of `<body>` is
annotated (readings.py) and marked up as `<ruby>高知<rp>（</rp><rt>こうち</rt><rp>）</rp></ruby>`, hidden
from screen readers, which read a visually hidden copy of the text as written instead (annotate_text says
why); `<rp>` gives browsers without ruby layout 高知（こうち）. Left as they
are: the `<head>` (the title, and the canonical link, which names the page without ふりがな), attribute
values, and the text of elements whose characters must stay as written or cannot hold markup (script,
style, textarea, title, option, code, existing ruby, svg...). Links and forms to the site's own pages get
the prefix, so a reader stays in the view; `data-furigana-switch` marks the one link that leaves it.

The markup is read with a tokenizer that copies everything it does not change byte for byte, so a page
stays exactly as valid as it was; text is unescaped before it is annotated and every piece is escaped
again, so no reading or page text can add markup.
"""

import html
import re

from core.locale import language_from_path

from .readings import annotate
from .text import KANJI

PREFIX = "/furigana"
# Addresses that are never pages: the admin, files, feeds and open data stay outside the view.
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/", "/feeds/", PREFIX + "/", "/__")
SWITCH_ATTRIBUTE = "data-furigana-switch"

# Elements whose text is copied unchanged, with everything inside them.
SKIPPED = {
    "code",
    "kbd",
    "samp",
    "var",
    "pre",
    "ruby",
    "rt",
    "rp",
    "option",
    "optgroup",
    "select",
    "svg",
    "math",
    "noscript",
    "template",
}
# Elements whose content is raw text to the HTML parser: never tags inside, copied to their end tag.
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

_ATTRIBUTE = r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>|</[a-zA-Z][^>]*>"
    rf"|<[a-zA-Z][^\s/>]*(?:[\s/]+{_ATTRIBUTE})*[\s/]*>",
    re.S,
)
_NAME = re.compile(r"</?([a-zA-Z][^\s/>]*)")
_LINK = re.compile(r"""(\s(?:href|action)\s*=\s*)(["'])(/[^"']*)\2""", re.I)


def furigana_path(path):
    """The ふりがな view's address of a site path (None when it has none: files, the admin, feeds)."""
    if not path.startswith("/") or path.startswith("//") or path.startswith(EXCLUDED_PREFIXES):
        return None
    last = path.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    if "." in last:
        # sitemap.xml, register.csv, robots.txt: data, not pages.
        return None
    if not language_from_path(path).startswith("ja"):
        # Readings are for Japanese: the English pages have no ふりがな view, and a link to one (the language
        # switcher's) leaves the view.
        return None
    return PREFIX + path


def plain_path(path):
    """The path a ふりがな address shows, or None when `path` is not one."""
    if not path.startswith(PREFIX + "/"):
        return None
    plain = path[len(PREFIX) :]
    return plain if furigana_path(plain) else None


def ruby(text, reading):
    return (
        f"<ruby>{html.escape(text, quote=False)}<rp>（</rp>"
        f"<rt>{html.escape(reading, quote=False)}</rt><rp>）</rp></ruby>"
    )


def annotate_text(text, lexicon):
    """A text node as markup: the unchanged text when it has no kanji.

    Screen readers get the text as written, once, from a visually hidden copy; what is shown, the words
    with their readings, is hidden from them. Marking only each `<rt>` aria-hidden is not enough: Chromium
    then exposes every ruby as a word of its own (「高知 型 地域 共生 社会」), so speech may pause inside one
    word and lose the context that picks its reading."""
    if not KANJI.search(text):
        return text
    pieces = annotate(html.unescape(text), lexicon)
    if all(reading is None for _, reading in pieces):
        return text
    shown = "".join(
        html.escape(piece, quote=False) if reading is None else ruby(piece, reading) for piece, reading in pieces
    )
    return f'<span class="visually-hidden">{text}</span><span aria-hidden="true">{shown}</span>'


def _rewrite_links(tag):
    if SWITCH_ATTRIBUTE in tag:
        return tag

    def replace(match):
        target = html.unescape(match.group(3))
        furigana = furigana_path(target)
        if furigana is None:
            return match.group(0)
        quote = match.group(2)
        return f"{match.group(1)}{quote}{html.escape(furigana)}{quote}"

    return _LINK.sub(replace, tag)


def transform(document, lexicon):
    """The ふりがな view of an HTML document (a str)."""
    out = []
    position = 0
    in_body = False
    skipped = []
    length = len(document)
    while position < length:
        match = _TOKEN.search(document, position)
        end = match.start() if match else length
        if end > position:
            text = document[position:end]
            out.append(annotate_text(text, lexicon) if in_body and not skipped else text)
        if match is None:
            break
        tag = match.group(0)
        position = match.end()
        name_match = _NAME.match(tag)
        if name_match is None:
            # A comment, the doctype or a processing instruction.
            out.append(tag)
            continue
        name = name_match.group(1).lower()
        if tag.startswith("</"):
            if name in skipped:
                while skipped and skipped.pop() != name:
                    pass
            if name == "body":
                in_body = False
            out.append(tag)
            continue
        if name == "body":
            in_body = True
        elif in_body and name in {"a", "form", "area"}:
            tag = _rewrite_links(tag)
        out.append(tag)
        if name in RAW_TEXT:
            closing = re.compile(rf"</{name}[\s/>]", re.I).search(document, position)
            stop = closing.start() if closing else length
            out.append(document[position:stop])
            position = stop
        elif name in SKIPPED and not tag.endswith("/>") and name not in VOID:
            skipped.append(name)
    return "".join(out)

"""The ふりがな markup of a page: which text gets readings, which stays as written, links that stay in the
view, and no markup from a reading or from the page's own text."""

import pytest

from pages.furigana import analyser
from pages.furigana.readings import align, annotate, build_lexicon
from pages.furigana.transform import furigana_path, plain_path, transform

LEXICON = build_lexicon([("四万十町", "しまんとちょう"), ("高知県", "こうちけん"), ("高知家", "こうちけ")])
needs_analyser = pytest.mark.skipif(not analyser.available(), reason="SudachiPy is not installed here")


def ruby(word, reading):
    return f"<ruby>{word}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>"


def shown(text, markup):
    """A text node's markup: the text for screen readers, the ruby for the eye."""
    return f'<span class="visually-hidden">{text}</span><span aria-hidden="true">{markup}</span>'


def page(body):
    return f'<!DOCTYPE html><html lang="ja"><head><title>高知県</title></head><body>{body}</body></html>'


def body_of(document):
    return document.split("<body>", 1)[1].split("</body>", 1)[0]


def test_a_known_name_reads_as_the_site_reads_it_with_its_suffix_apart():
    assert body_of(transform(page("<p>四万十町</p>"), LEXICON)) == (
        "<p>" + shown("四万十町", ruby("四万十", "しまんと") + ruby("町", "ちょう")) + "</p>"
    )


def test_a_correction_wins_over_the_names_table():
    lexicon = build_lexicon([("四万十町", "しまんとちょう"), ("四万十町", "しまんとまち")])
    assert ruby("町", "まち") in transform(page("<p>四万十町</p>"), lexicon)


def test_the_longest_known_name_wins():
    lexicon = build_lexicon([("高知", "たかち"), ("高知家", "こうちけ")])
    assert (
        body_of(transform(page("<p>高知家</p>"), lexicon))
        == "<p>" + shown("高知家", ruby("高知家", "こうちけ")) + "</p>"
    )


def test_the_head_attributes_and_elements_that_must_stay_as_written_are_untouched():
    body = (
        '<p title="高知県"><img alt="高知県" src="/a.png"></p>'
        "<script>let a = '<p>高知県</p>';</script><style>/* 高知県 */</style>"
        "<textarea>高知県</textarea><select><option>高知県</option></select>"
        "<code>高知県</code><ruby>高知県<rt>こうちけん</rt></ruby><svg><title>高知県</title></svg>"
    )
    document = page(body)
    assert transform(document, LEXICON) == document


def test_readings_and_page_text_are_escaped_so_neither_adds_markup():
    lexicon = build_lexicon([("高知県", "こうちけん")])
    output = body_of(transform(page("<p>&lt;script&gt;高知県&amp;&lt;/script&gt;</p>"), lexicon))
    assert "<script>" not in output
    source = "&lt;script&gt;高知県&amp;&lt;/script&gt;"
    assert (
        output
        == "<p>"
        + shown(source, "&lt;script&gt;" + ruby("高知", "こうち") + ruby("県", "けん") + "&amp;&lt;/script&gt;")
        + "</p>"
    )
    # A reading is kana only: a table row with markup in it is never used.
    assert build_lexicon([("高知県", "<b>こうち</b>")]).readings == {}


def test_links_to_pages_stay_in_the_view_and_files_the_admin_and_the_switch_do_not():
    body = (
        '<a href="/about/?page=2&amp;x=1">a</a><a href="/documents/3/a.pdf">b</a><a href="/admin/">c</a>'
        '<a href="/declarations/register.csv">d</a><a href="https://example.jp/">e</a><a href="#main">f</a>'
        '<a href="/about/" data-furigana-switch>g</a><form action="/search/" method="get"></form>'
    )
    output = body_of(transform(page(body), LEXICON))
    assert '<a href="/furigana/about/?page=2&amp;x=1">a</a>' in output
    assert '<form action="/furigana/search/" method="get">' in output
    for unchanged in (
        '"/documents/3/a.pdf"',
        '"/admin/"',
        '"/declarations/register.csv"',
        '"https://example.jp/"',
        '"#main"',
        '<a href="/about/" data-furigana-switch>',
    ):
        assert unchanged in output


def test_addresses_of_the_view():
    assert furigana_path("/centres/?region=中央") == "/furigana/centres/?region=中央"
    assert furigana_path("/") == "/furigana/"
    assert furigana_path("/media/x.png") is None
    assert plain_path("/furigana/about/") == "/about/"
    assert plain_path("/furigana/admin/") is None
    assert plain_path("/furigana/furigana/") is None
    assert plain_path("/about/") is None


def test_the_english_pages_have_no_view_and_the_switchers_link_to_them_leaves_it():
    assert furigana_path("/easy/about/") == "/furigana/easy/about/"
    assert furigana_path("/en/about/") is None
    assert plain_path("/furigana/en/about/") is None
    output = body_of(transform(page('<a href="/en/about/" hreflang="en" lang="en">English</a>'), LEXICON))
    assert '<a href="/en/about/" hreflang="en" lang="en">English</a>' in output


def test_a_reading_goes_over_the_kanji_only():
    assert align("取り組み", "とりくみ") == [("取", "と"), ("り", None), ("組", "く"), ("み", None)]
    assert align("いの町", "いのちょう") == [("いの", None), ("町", "ちょう")]
    # A centre's よみ names only what follows あったかふれあいセンター.
    assert align("あったかふれあいセンターみほん東", "みほんひがし") == [
        ("あったかふれあいセンター", None),
        ("みほん", None),
        ("東", "ひがし"),
    ]


@needs_analyser
def test_the_analyser_reads_what_the_names_table_does_not_know():
    pieces = annotate("地域共生社会の取り組み", build_lexicon([]))
    assert ("地域", "ちいき") in pieces
    assert ("組", "く") in pieces
    # Days of a date: 10月1日 is ついたち.
    assert ("日", "ついたち") in annotate("10月1日", build_lexicon([]))


@needs_analyser
def test_without_the_names_table_the_analyser_misreads_shimanto():
    # Why the names come first: in this sentence the analyser splits 四万十町 and reads 四万十 as a number.
    sentence = "高知県の四万十町と梼原町"
    assert ("四万十", "しまんと") not in annotate(sentence, build_lexicon([]))
    assert ("四万十", "しまんと") in annotate(sentence, LEXICON)


def test_without_the_analyser_known_names_still_get_readings(monkeypatch):
    def unavailable(text):
        raise analyser.AnalyserUnavailable

    monkeypatch.setattr(analyser, "tokens", unavailable)
    from pages.furigana import readings

    readings._analysed.cache_clear()
    try:
        assert annotate("四万十町の行事", LEXICON) == [("四万十", "しまんと"), ("町", "ちょう"), ("の行事", None)]
    finally:
        readings._analysed.cache_clear()


@needs_analyser
def test_a_text_longer_than_the_analyser_takes_at_once_is_read_whole():
    text = "地域共生社会の実現に向けて取り組みます。" * 4000  # 80,000 characters, 240 KB
    pieces = annotate(text, build_lexicon([]))
    assert "".join(piece for piece, _ in pieces) == text
    assert pieces.count(("地域", "ちいき")) == 4000


def test_long_texts_are_cut_after_a_sentence():
    text = "あ。" * 3000 + "い" * 9000
    pieces = analyser.chunks(text)
    assert "".join(pieces) == text
    assert all(len(piece) <= analyser.MAX_CHUNK for piece in pieces)
    assert pieces[0].endswith("。")

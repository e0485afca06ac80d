"""Normalisation, query parsing, index terms and snippets: the rules both databases share."""

from pages.search.normalise import (
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    index_tokens,
    normalise,
    normalise_with_offsets,
    parse_query,
    word_terms,
)
from pages.search.snippets import highlight, snippet


def test_full_width_digits_and_half_width_katakana_are_normalised():
    assert normalise("８０５０問題") == "8050問題"
    assert normalise("ｾﾝﾀｰ") == normalise("センター")
    assert normalise("ｶﾞｲﾄﾞﾌﾞｯｸ") == normalise("ガイドブック")


def test_latin_is_lower_cased_in_both_widths():
    assert normalise("ＮＰＯ法人 Kochi") == "npo法人 kochi"


def test_offsets_point_back_to_the_original_characters():
    text = "あｶﾞｲﾄﾞX"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "あがいどx"
    assert [text[offset] for offset in offsets] == ["あ", "ｶ", "ｲ", "ﾄ", "X"]


def test_query_splits_on_ascii_and_full_width_spaces():
    assert parse_query("共生　宣言 ｾﾝﾀｰ") == ["共生", "宣言", "せんたー"]


def test_query_drops_repeated_words_and_blank_queries():
    assert parse_query("共生 共生") == ["共生"]
    assert parse_query("　 ") == []
    assert parse_query(None) == []


def test_overlong_query_is_capped():
    words = parse_query("あ" * 5000)
    assert words == ["あ" * MAX_QUERY_LENGTH]
    assert len(parse_query(" ".join(f"語{i}" for i in range(50)))) == MAX_WORDS


def test_index_terms_are_the_characters_and_the_bigrams_within_words():
    tokens = index_tokens("共生 社会")
    assert len(tokens) == 6  # 共, 生, 社, 会, 共生, 社会: nothing across the space
    assert all(word_terms(char)[0] in tokens for char in "共生社会")
    assert word_terms("生社")[0] not in tokens


def test_a_word_needs_all_its_bigrams():
    terms = word_terms("共に生きる")
    assert len(terms) == 4
    assert not set(terms) <= set(index_tokens("地域共生社会"))
    assert set(word_terms("共生")) <= set(index_tokens("地域共生社会"))


def test_snippet_marks_the_match_in_the_original_text_around_it():
    text = "前置き。" * 30 + "あったかふれあいｾﾝﾀｰは地域の拠点です。" + "後書き。" * 30
    html = snippet(text, parse_query("センター"))
    assert "<mark>ｾﾝﾀｰ</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 200


def test_snippet_escapes_html_in_the_text():
    html = snippet("<script>alert(1)</script> 共生", ["共生"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>共生</mark>" in html


def test_highlight_marks_every_word_everywhere():
    assert highlight("共生と宣言と共生", ["共生", "宣言"]) == "<mark>共生</mark>と<mark>宣言</mark>と<mark>共生</mark>"

"""Search finds what people type: ひらがな for カタカナ, usual kanji for 異体字, names by their reading,
and 「もしかして」 when nothing is found. On SQLite and PostgreSQL alike (run both)."""

import importlib
import random
import re
import unicodedata

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from declarations.models import Municipality
from declarations.search import KIND as DECLARATION
from pages.search import readings
from pages.search.did_you_mean import did_you_mean
from pages.search.indexing import _write_index
from pages.search.models import SearchEntry
from pages.search.normalise import normalise, normalise_with_offsets, parse_query
from pages.search.readings import with_readings
from pages.search.snippets import highlight, snippet
from pages.search_sources import PAGE

from .search_helpers import make_declaration, make_page

pytestmark = pytest.mark.database

# The cases of issue 14: what people typed, the text they meant, and what was found (nothing).
ISSUE_CASES = [
    ("せんたー", "あったかふれあいセンター"),
    ("フレアイ", "あったかふれあいセンター"),
    ("ヤングけあらー", "ヤングケアラーの相談窓口"),
    ("髙知", "高知家の取り組み"),
    ("高知けん", "高知県の推進宣言"),
]


@pytest.fixture(autouse=True)
def fresh_readings():
    # The readings are reused for a minute; a test that changes one must not leak it into the next.
    readings.clear_cache()
    yield
    readings.clear_cache()


def public_hits(query):
    return set(SearchEntry.objects.public().matching(parse_query(query)).values_list("kind", "object_id"))


def result_titles(response):
    return re.findall(r'<h2 class="card__title"><a href="[^"]*">(.*?)</a></h2>', response.content.decode())


# The folding itself


def test_katakana_and_hiragana_fold_to_one_form_with_the_long_vowel_mark_kept():
    assert normalise("センター") == normalise("せんたー") == normalise("ｾﾝﾀｰ")
    assert normalise("ヤングケアラー") == normalise("ヤングけあらー") == normalise("やんぐけあらー")
    assert normalise("ヴィ ヽヾ") == normalise("ゔぃ ゝゞ")


def test_small_kana_and_voiced_marks_stay_as_nfkc_leaves_them():
    # ケアラー is not ケアラ, キャ is not キヤ, が is not か: only the script is folded.
    assert normalise("きゃ") != normalise("きや")
    assert normalise("ガイド") != normalise("カイド")
    assert normalise("ｶﾞｲﾄﾞ") == normalise("がいど")
    assert normalise("パン") != normalise("ハン")


def test_variant_kanji_fold_to_their_usual_form():
    for variant, usual in ["髙高", "﨑崎", "德徳", "濵浜", "邊辺", "邉辺", "齋斎", "栁柳", ("𠮷", "吉")]:
        assert normalise(variant) == usual, variant
    # Different characters that share a reading are not variants of each other.
    assert normalise("斉藤") != normalise("斎藤")


def test_folding_keeps_one_offset_per_character_for_snippets():
    text = "髙知のｾﾝﾀｰ"
    folded, offsets = normalise_with_offsets(text)
    assert folded == "高知のせんたー"
    assert [text[offset] for offset in offsets] == ["髙", "知", "の", "ｾ", "ﾝ", "ﾀ", "ｰ"]


def test_every_word_found_before_folding_is_still_found():
    # Before: NFKC and lower case only. Folding maps characters one to one on both sides, so a word
    # the old rules found inside a text is found by the new rules too.
    def before(text):
        return unicodedata.normalize("NFKC", text).lower()

    pieces = [
        "センター",
        "せんたー",
        "髙知",
        "高知",
        "ｶﾞｲﾄﾞ",
        "ガイド",
        "ヵ所",
        "ヶ",
        "ー",
        "ＮＰＯ",
        "共生",
        "共に生きる",
    ]
    generator = random.Random(14)
    for _ in range(300):
        text = "".join(generator.choices(pieces, k=8))
        start = generator.randrange(len(text))
        word = text[start : start + generator.randint(1, 5)].strip()
        if word and before(word) in before(text):
            assert normalise(word) in normalise(text), (word, text)


# The issue's table, in the index and on the results page


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "text"), ISSUE_CASES)
def test_what_people_type_finds_what_the_page_says(client, typed, text):
    page = make_page("お知らせ", text)
    make_page("関係のないページ", "ほかの話題")
    assert public_hits(typed) == {(PAGE, page.pk)}
    html = client.get("/search/", {"q": typed}).content.decode()
    assert f"「{typed}」の検索結果：1件" in html


@pytest.mark.django_db
def test_variant_kanji_are_found_from_either_side():
    written_variant = make_declaration("株式会社髙橋商店", "山﨑が代表です。")
    written_usual = make_declaration("高橋建設", "山崎が代表です。")
    both = {(DECLARATION, written_variant.pk), (DECLARATION, written_usual.pk)}
    assert public_hits("高橋") == public_hits("髙橋") == both
    assert public_hits("山崎") == public_hits("山﨑") == both


@pytest.mark.django_db
def test_a_compound_still_does_not_match_its_words_apart():
    make_page("共に生きる地域", "ともに生きる")
    assert public_hits("共生") == set()


# Names by their reading


@pytest.mark.django_db
def test_register_entries_are_found_by_their_furigana_in_either_script():
    katakana = make_declaration("株式会社土佐和紙工房", kana="トサワシコウボウ")
    hiragana = make_declaration("黒潮ケアサポート合同会社", kana="くろしおけあさぽーと")
    assert public_hits("とさわし") == {(DECLARATION, katakana.pk)}
    assert public_hits("クロシオケア") == {(DECLARATION, hiragana.pk)}


@pytest.mark.django_db
def test_a_municipality_is_found_by_its_reading_wherever_it_is_written():
    council = make_declaration("四万十市社会福祉協議会", kana="しまんとししゃかいふくしきょうぎかい")
    page = make_page("幡多地域の集い", "会場は四万十市の公民館です。")
    town = make_page("窪川の集い", "会場は四万十町です。")
    seat = make_page("中央地域の集い", "会場は高知市です。")
    assert public_hits("しまんと") == {(DECLARATION, council.pk), (PAGE, page.pk), (PAGE, town.pk)}
    assert public_hits("しまんとし") == {(DECLARATION, council.pk), (PAGE, page.pk)}
    assert public_hits("こうちし") == {(PAGE, seat.pk)}
    assert public_hits("四万十し") == {(DECLARATION, council.pk), (PAGE, page.pk)}


@pytest.mark.django_db
def test_a_changed_reading_is_used_for_the_next_entry_indexed():
    municipality = Municipality.objects.get(name="高知市")
    municipality.kana = "こうちしない"
    municipality.save()
    page = make_page("中央地域の集い", "会場は高知市です。")
    assert public_hits("こうちしない") == {(PAGE, page.pk)}


@pytest.mark.django_db
def test_the_snippet_marks_the_name_for_a_word_only_its_reading_holds(client):
    make_page("中央地域の集い", "会場は高知市の公民館です。")
    html = client.get("/search/", {"q": "こうちし"}).content.decode()
    assert "会場は<mark>高知市</mark>の公民館です。" in html


# Snippets show the text as written


@pytest.mark.django_db
def test_results_mark_the_text_as_written_not_as_folded(client):
    make_page("髙知のあったかふれあいｾﾝﾀｰ", "ヤングケアラーの相談はセンターへ。")
    html = client.get("/search/", {"q": "高知 せんたー やんぐけあらー"}).content.decode()
    assert "<mark>髙知</mark>のあったかふれあい<mark>ｾﾝﾀｰ</mark>" in html
    assert "<mark>ヤングケアラー</mark>の相談は<mark>センター</mark>へ。" in html


def test_highlight_and_snippet_take_the_original_characters():
    assert highlight("あったかふれあいセンター", parse_query("フレアイ")) == "あったか<mark>ふれあい</mark>センター"
    assert "<mark>濵田</mark>" in snippet("代表は濵田です。", parse_query("浜田"))


# もしかして


@pytest.mark.django_db
def test_nothing_found_offers_up_to_three_titles_sharing_the_most_bigrams(client):
    make_page("あったかふれあいセンター", "拠点")
    make_page("ふれあい広場", "集い")
    make_page("センターのご案内", "窓口")
    make_page("ふれあいセンター通信", "便り")
    make_page("防災訓練", "避難")

    response = client.get("/search/", {"q": "ふれあいせんたーだより"})

    html = response.content.decode()
    assert "見つかりませんでした" in html
    section = html.split("<h2>もしかして</h2>")[1].split("</ul>")[0]
    titles = re.findall(r'<a href="/search/\?q=([^"]*)">([^<]*)</a>', section)
    # 7 bigrams shared, then 7 in a longer title, then 3 in the shortest of the titles sharing 3.
    assert [title for _, title in titles] == ["ふれあいセンター通信", "あったかふれあいセンター", "ふれあい広場"]
    follow = client.get("/search/?q=" + titles[0][0])
    assert result_titles(follow) == ["<mark>ふれあいセンター通信</mark>"]


@pytest.mark.django_db
def test_did_you_mean_offers_only_public_entries_and_nothing_when_nothing_is_close(client):
    make_page("下書きのふれあい", "まだ", live=False)
    make_page("防災訓練", "避難")
    assert did_you_mean(parse_query("ふれあいの会")) == []
    html = client.get("/search/", {"q": "ふれあいの会"}).content.decode()
    assert "もしかして" not in html


@pytest.mark.django_db
def test_no_did_you_mean_when_something_is_found(client):
    make_page("ふれあい広場", "集い")
    make_page("ふれあい通信", "便り")
    html = client.get("/search/", {"q": "ふれあい広場"}).content.decode()
    assert "「ふれあい広場」の検索結果：1件" in html
    assert "もしかして" not in html


# The admin's search (same backend)


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.jp", "password")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_page_search_folds_the_same_way(admin_client):
    make_page("高知家の取り組み", "たて糸とよこ糸")
    make_page("あったかふれあいセンター", "拠点")
    by_variant = admin_client.get("/admin/pages/search/", {"q": "髙知"}).content.decode()
    by_hiragana = admin_client.get("/admin/pages/search/", {"q": "せんたー"}).content.decode()
    assert "高知家の取り組み" in by_variant
    assert "あったかふれあいセンター" not in by_variant
    assert "あったかふれあいセンター" in by_hiragana
    assert "高知家の取り組み" not in by_hiragana


# Entries indexed before the folding


@pytest.mark.django_db
def test_the_migration_refolds_entries_indexed_by_the_old_rules():
    page = make_page("あったかふれあいセンター", "髙知市の拠点")
    entry = SearchEntry.objects.get(kind=PAGE, object_id=page.pk)
    old = unicodedata.normalize("NFKC", f"{entry.title} {entry.body}").lower()
    entry.normalised, entry.normalised_title = old, entry.title
    entry.save()
    _write_index(entry)  # the index as the old rules wrote it
    assert public_hits("せんたー") == set()
    migration = importlib.import_module("pages.migrations.0009_refold_search_index")

    migration.refold(django_apps, None)

    refolded = SearchEntry.objects.get(pk=entry.pk)
    assert refolded.normalised == with_readings(normalise(f"{entry.title} {entry.body}"))
    assert public_hits("せんたー こうちし") == {(PAGE, page.pk)}

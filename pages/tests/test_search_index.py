"""The index finds exactly the texts that contain every word, on SQLite and PostgreSQL alike.

Run on PostgreSQL with DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyosei_search.
"""

import json
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from declarations.models import Status
from declarations.search import KIND as DECLARATION
from pages.search.indexing import rebuild_index
from pages.search.models import SearchEntry
from pages.search.normalise import normalise, parse_query
from pages.search.readings import with_readings
from pages.search_sources import DOCUMENT, EVENT, PAGE

from .search_helpers import make_declaration, make_document, make_event, make_page, pdf_with_text

pytestmark = [pytest.mark.django_db, pytest.mark.database]

FIXED_QUERIES = [
    "共生",
    "宣言",
    "ふれあい",
    "センター",
    "ケアラー",
    "見守り",
    "8050",
    "社協",
    "生",
    "あ",
    "ｾﾝﾀｰ",
    "８０５０",
    "せんたー",
    "フレアイ",
    "髙知",
    "しまんと",
    "高知けん",
]

# Pieces the generated texts are made of: the words residents search for, near misses of them
# (共に生きる, 共 生, セン ター), other scripts and widths, and filler.
PIECES = [
    "地域共生社会",
    "共に生きる",
    "共 生",
    "推進宣言",
    "宣誓",
    "あったかふれあいセンター",
    "ふれあい",
    "ふれ合い",
    "ｾﾝﾀｰ",
    "セン ター",
    "センタ",
    "ヤングケアラー",
    "ケアラ",
    "見守り活動",
    "見まもり",
    "８０５０問題",
    "8050",
    "805",
    "高知県社協",
    "社会福祉協議会",
    "NPO法人",
    "ＮＰＯ",
    "の",
    "と",
    "、",
    "。",
    "生",
    "あ",
    "Kochi",
    "kochi",
    "髙知",
    "せんたー",
    "フレアイ",
    "四万十市",
    "こうちし",
    "高知けん",
]


def public_hits(query):
    words = parse_query(query)
    return set(SearchEntry.objects.public().matching(words).values_list("kind", "object_id"))


def substring_hits(texts, query):
    words = parse_query(query)
    # The reference: the folded text with the readings of the names it holds (高知県 → こうちけん).
    return {
        key for key, text in texts.items() if words and all(word in with_readings(normalise(text)) for word in words)
    }


def test_generated_corpus_gives_exactly_the_substring_matches():
    generator = random.Random(5)
    texts = {}
    for number in range(60):
        name = "".join(generator.choices(PIECES, k=3))
        content = "".join(generator.choices(PIECES, k=generator.randint(0, 25)))
        declaration = make_declaration(name, content, kana="こうち")
        texts[(DECLARATION, declaration.pk)] = f"{name}\nこうち\n{declaration.content}"
        if number % 6 == 0:
            body = "".join(generator.choices(PIECES, k=20))
            page = make_page(f"ページ{number}", body)
            texts[(PAGE, page.pk)] = f"ページ{number}\n{body}"

    queries = FIXED_QUERIES + ["共に生きる", "ケアラー 見守り", "ｾﾝﾀｰ　共生", "npo", "kochi 8050", "存在しない語"]
    for text in generator.sample(list(texts.values()), 15):
        start = generator.randrange(len(text))
        queries.append(text[start : start + generator.randint(1, 6)])

    assert any(substring_hits(texts, query) for query in FIXED_QUERIES)
    for query in queries:
        assert public_hits(query) == substring_hits(texts, query), query


def test_words_apart_do_not_match_a_compound():
    declaration = make_declaration("株式会社共生", "地域共生社会をめざします。")
    assert (DECLARATION, declaration.pk) in public_hits("共生")
    assert public_hits("共に生きる") == set()

    other = make_declaration("共に生きる会", "みんなで共に生きる。")
    assert public_hits("共生") == {(DECLARATION, declaration.pk)}
    assert public_hits("共に生きる") == {(DECLARATION, other.pk)}


def test_full_width_and_half_width_forms_find_each_other():
    declaration = make_declaration("株式会社ケアサポート", "８０５０問題とｾﾝﾀｰの連携に取り組みます。")
    key = (DECLARATION, declaration.pk)
    for query in ["8050", "８０５０", "センター", "ｾﾝﾀｰ", "ＣＡＲＥ", "ケアサポート"]:
        assert (key in public_hits(query)) == (query != "ＣＡＲＥ"), query


def test_a_single_character_matches_anywhere_including_the_last_character():
    declaration = make_declaration("株式会社みらい", "ともに歩む森")
    assert (DECLARATION, declaration.pk) in public_hits("森")
    assert (DECLARATION, declaration.pk) in public_hits("株")
    assert (DECLARATION, declaration.pk) not in public_hits("林")


def test_several_words_must_all_be_present():
    both = make_declaration("見守りの会", "ヤングケアラーの見守り")
    one = make_declaration("見守り隊", "登下校の見守り")
    assert public_hits("見守り ケアラー") == {(DECLARATION, both.pk)}
    assert public_hits("見守り") == {(DECLARATION, both.pk), (DECLARATION, one.pk)}


def test_page_title_body_and_search_description_are_found():
    page = make_page(
        "研修のご案内", "気づいてつなぐ高知家地域共生社会研修を開きます。", search_description="ソーシャルワーク"
    )
    for query in ["研修", "気づいて", "共生", "ソーシャルワーク"]:
        assert (PAGE, page.pk) in public_hits(query), query


def test_block_text_is_indexed_but_not_choice_labels_or_link_addresses():
    page = make_page("取り組み", "")
    page.body = json.dumps(
        [
            {"type": "heading", "value": {"text": "たて糸とよこ糸", "level": "h2"}},
            {"type": "link", "value": {"text": "宣言企業・団体一覧", "page": None, "url": "/declarations/"}},
        ]
    )
    page.save_revision().publish()
    entry = SearchEntry.objects.get(kind=PAGE, object_id=page.pk)
    assert "たて糸とよこ糸" in entry.body
    assert "宣言企業・団体一覧" in entry.body
    assert "大見出し" not in entry.body
    assert "/declarations/" not in entry.body


def test_events_are_indexed_as_events_with_their_date():
    event = make_event("高知家地域共生社会フェスタ", "つながる 支え合う", venue="高知市文化プラザかるぽーと")
    entry = SearchEntry.objects.get(kind=EVENT, object_id=event.pk)
    assert entry.date.isoformat() == "2023-10-07"
    assert (EVENT, event.pk) in public_hits("かるぽーと")


def test_an_unpublished_page_is_never_found():
    draft = make_page("下書きのページ", "秘密の共生計画", live=False)
    assert public_hits("秘密") == set()
    assert SearchEntry.objects.filter(object_id=draft.pk, is_public=False).exists()


def test_unpublishing_and_deleting_a_page_remove_it_from_the_public_search():
    page = make_page("公開中のページ", "ふれあいの集い")
    assert (PAGE, page.pk) in public_hits("ふれあい")

    page.unpublish()
    assert public_hits("ふれあい") == set()

    page.save_revision().publish()
    assert (PAGE, page.pk) in public_hits("ふれあい")

    Page.objects.get(pk=page.pk).delete()
    assert public_hits("ふれあい") == set()
    assert not SearchEntry.objects.filter(kind=PAGE, object_id=page.pk).exists()


def test_a_page_behind_a_password_is_not_public():
    section = make_page("職員向け", "内部の見守り資料")
    child = make_page("職員向けの子ページ", "内部の見守り手順", parent=section)
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert public_hits("見守り") == set()

    PageViewRestriction.objects.filter(page=section).delete()
    assert public_hits("見守り") == {(PAGE, section.pk), (PAGE, child.pk)}


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN])
def test_a_declaration_that_is_not_published_is_never_found(status):
    make_declaration("審査中の団体", "見守り活動をします", status=status)
    assert public_hits("見守り") == set()


def test_moderation_puts_a_declaration_on_and_off_the_public_search():
    moderator = get_user_model().objects.create_user("moderator", password="x")
    declaration = make_declaration("株式会社よこ糸", "ケアラー支援に取り組みます", status=Status.PENDING)
    assert public_hits("ケアラー") == set()

    declaration.approve(by=moderator)
    assert public_hits("ケアラー") == {(DECLARATION, declaration.pk)}

    declaration.withdraw(by=moderator, reason="事業を終了したため")
    assert public_hits("ケアラー") == set()


def test_deleting_a_declaration_removes_its_entry():
    declaration = make_declaration("株式会社たて糸", "見守り")
    declaration.delete()
    assert public_hits("見守り") == set()
    assert not SearchEntry.objects.filter(kind=DECLARATION).exists()


def test_the_text_inside_an_uploaded_pdf_is_found():
    pdf = pdf_with_text(["あったかふれあいセンターのご案内", "ヤングケアラー相談窓口 8050"])
    document = make_document("リーフレット（令和5年）", pdf)
    for query in ["ケアラー", "ふれあいｾﾝﾀｰ", "８０５０", "リーフレット"]:
        assert (DOCUMENT, document.pk) in public_hits(query), query

    document.delete()
    assert public_hits("ケアラー") == set()


def test_a_pdf_whose_text_holds_control_characters_is_indexed():
    document = make_document("制御文字", pdf_with_text(["見守り\x00活動"]))
    assert public_hits("活動") == {(DOCUMENT, document.pk)}


def test_a_document_in_a_private_collection_is_not_public():
    private = Collection.get_first_root_node().add_child(name="職員用")
    document = make_document("職員用マニュアル", pdf_with_text(["見守りの手順"]))
    document.collection = private
    document.save()
    assert public_hits("見守り") == {(DOCUMENT, document.pk)}

    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    assert public_hits("見守り") == set()

    restriction.delete()
    assert public_hits("見守り") == {(DOCUMENT, document.pk)}


def test_a_damaged_pdf_is_still_found_by_its_title():
    document = make_document("壊れた資料", b"%PDF-1.7\nthis is not really a pdf")
    assert public_hits("壊れた") == {(DOCUMENT, document.pk)}


def test_rebuild_command_is_idempotent_and_drops_stale_entries(capsys):
    page = make_page("ふれあいの広場", "集いの場")
    declaration = make_declaration("株式会社ふれあい", "集い")
    SearchEntry.objects.all().delete()
    assert public_hits("ふれあい") == set()

    call_command("rebuild_site_search")
    first = set(SearchEntry.objects.values_list("kind", "object_id", "normalised", "is_public"))
    call_command("rebuild_site_search")
    second = set(SearchEntry.objects.values_list("kind", "object_id", "normalised", "is_public"))
    assert first == second
    assert public_hits("ふれあい") == {(PAGE, page.pk), (DECLARATION, declaration.pk)}
    assert "宣言企業・団体 1件" in capsys.readouterr().out

    stale = SearchEntry.objects.get(kind=PAGE, object_id=page.pk)
    SearchEntry.objects.filter(pk=stale.pk).update(object_id=10**9)  # an object deleted behind the index's back
    rebuild_index()
    assert public_hits("ふれあい") == {(PAGE, page.pk), (DECLARATION, declaration.pk)}
    assert not SearchEntry.objects.filter(object_id=10**9).exists()

"""The staff's search tuning: 言い換え applied by the one query reader, 案内 as results of their own,
おすすめ pinned first, and the data file that seeds them."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from pages.search import query as search_query
from pages.search.curation import BestBet, SearchGuide, SearchSynonym

from .search_helpers import make_declaration, make_page

pytestmark = [pytest.mark.django_db, pytest.mark.database]


def result_titles(response):
    return [
        re.sub(r"</?mark>", "", title)
        for title in re.findall(r'<h2 class="card__title"><a href="[^"]*">(.*?)</a></h2>', response.content.decode())
    ]


def best_bet_titles(response):
    html = response.content.decode()
    if 'class="best-bets"' not in html:
        return []
    section = html[html.index('class="best-bets"') : html.index("</section>", html.index('class="best-bets"'))]
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">(.*?)</a></h3>', section)


# The query reader


def test_a_two_way_synonym_finds_every_word_of_the_row_from_any_of_them():
    SearchSynonym.objects.create(term="申請", alternatives="申込み、申し込み", two_way=True)

    assert search_query.parse("申込み").alternatives == (("申込み", "申請", "申し込み"),)
    assert search_query.parse("申請").alternatives == (("申請", "申込み", "申し込み"),)


def test_a_one_way_synonym_expands_only_its_own_word():
    SearchSynonym.objects.create(term="県社協", alternatives="高知県社会福祉協議会", two_way=False)

    assert search_query.parse("県社協").alternatives == (("県社協", "高知県社会福祉協議会"),)
    assert search_query.parse("高知県社会福祉協議会").alternatives == (("高知県社会福祉協議会",),)


def test_a_word_holding_a_short_form_finds_the_long_form_in_its_place():
    SearchSynonym.objects.create(term="社協", alternatives="社会福祉協議会")

    assert search_query.parse("高知市社協").alternatives == (("高知市社協", "高知市社会福祉協議会"),)


def test_synonyms_are_read_after_the_folding_so_variant_kanji_and_katakana_find_them_too():
    SearchSynonym.objects.create(term="高知県社協", alternatives="高知県社会福祉協議会", two_way=False)

    assert search_query.parse("髙知県社協").alternatives == (("高知県社協", "高知県社会福祉協議会"),)


def test_a_synonym_row_needs_one_word_and_a_different_alternative():
    with pytest.raises(ValidationError) as error:
        SearchSynonym(term="社 協", alternatives="社会福祉協議会").full_clean()
    assert "1語で" in str(error.value)
    with pytest.raises(ValidationError) as error:
        SearchSynonym(term="社協", alternatives="社協").full_clean()
    assert "ことばと違う言い換え" in str(error.value)


# The site search


def test_a_short_form_finds_the_long_form_in_the_site_search(client):
    make_declaration("土佐町社会福祉協議会", "地域の見守りを進めます。")
    make_page("関係ないページ", "清掃活動の報告です。")
    SearchSynonym.objects.create(term="社協", alternatives="社会福祉協議会")

    response = client.get("/search/", {"q": "社協"})

    assert result_titles(response) == ["土佐町社会福祉協議会"]
    assert "土佐町<mark>社会福祉協議会</mark>" in response.content.decode()


def test_every_word_must_match_with_or_without_its_alternatives(client):
    make_declaration("土佐町社会福祉協議会", "地域の見守りを進めます。")
    make_declaration("本山町社会福祉協議会", "子育ての応援をします。")
    SearchSynonym.objects.create(term="社協", alternatives="社会福祉協議会")

    assert result_titles(client.get("/search/", {"q": "社協 見守り"})) == ["土佐町社会福祉協議会"]


def test_a_guide_is_a_result_of_its_own_with_its_sentence_before_pages(client):
    make_page("推進宣言の申請について", "申請の方法を説明します。")
    SearchGuide.objects.create(
        title="推進宣言の申請フォーム",
        description="企業・団体がインターネットで申請するためのフォームです。",
        url="/declarations/apply/",
    )

    response = client.get("/search/", {"q": "申請"})

    html = response.content.decode()
    assert result_titles(response) == ["推進宣言の申請フォーム", "推進宣言の申請について"]
    assert '<span class="search-result__kind">案内</span>' in html
    assert 'href="/declarations/apply/"' in html
    assert "企業・団体がインターネットで<mark>申請</mark>するためのフォームです。" in html


def test_a_deleted_guide_is_no_longer_found(client):
    guide = SearchGuide.objects.create(title="消える案内", description="説明です。", url="/gone/")
    guide.delete()

    assert result_titles(client.get("/search/", {"q": "消える案内"})) == []


def test_a_best_bet_is_shown_first_marked_osusume_also_for_a_synonym_of_its_query(client):
    page = make_page("高知家地域共生社会推進宣言", "宣言の説明です。")
    SearchSynonym.objects.create(term="申請", alternatives="申込み、申し込み")
    BestBet.objects.create(queries="申請\n申請方法", url="/declarations/apply/", title="推進宣言の申請フォーム")
    BestBet.objects.create(queries="申請", page=page, sort_order=1)

    for query in ["申請", "申込み", "申し込み"]:
        response = client.get("/search/", {"q": query})
        assert best_bet_titles(response) == ["推進宣言の申請フォーム", "高知家地域共生社会推進宣言"], query
        html = response.content.decode()
        assert html.index('id="best-bets-heading">おすすめ</h2>') < html.index('class="result-count"')
    assert best_bet_titles(client.get("/search/", {"q": "申請 見守り"})) == []


def test_a_best_bet_for_an_unpublished_page_is_not_shown(client):
    page = make_page("下書きのページ", "説明です。", live=False)
    BestBet.objects.create(queries="下書き", page=page)

    assert best_bet_titles(client.get("/search/", {"q": "下書き"})) == []


def test_best_bets_are_not_repeated_on_later_pages_or_a_single_kind(client):
    BestBet.objects.create(queries="共生", url="/declaration/", title="推進宣言の説明")
    for number in range(21):
        make_declaration(f"共生の会{number}")

    assert best_bet_titles(client.get("/search/", {"q": "共生"})) == ["推進宣言の説明"]
    assert best_bet_titles(client.get("/search/", {"q": "共生", "page": 2})) == []
    assert best_bet_titles(client.get("/search/", {"q": "共生", "kind": "declaration"})) == []


def test_a_best_bet_needs_exactly_one_link_and_a_title_for_an_address():
    with pytest.raises(ValidationError) as error:
        BestBet(queries="申請").full_clean()
    assert "どちらか一方" in str(error.value)
    with pytest.raises(ValidationError) as error:
        BestBet(queries="申請", url="/declarations/apply/").full_clean()
    assert "タイトルを入力" in str(error.value)


# The seed


def test_the_seed_loads_synonyms_guides_and_best_bets_once_and_keeps_staff_edits_and_deletions(client):
    home_slug = make_page("高知家地域共生社会推進宣言", "宣言の説明です。")
    home_slug.slug = "declaration"
    home_slug.save()

    call_command("load_search_tuning", stdout=open("/dev/null", "w"))
    counts = (SearchSynonym.objects.count(), SearchGuide.objects.count(), BestBet.objects.count())
    assert counts[0] >= 5 and counts[1] >= 3 and counts[2] == 2
    SearchSynonym.objects.filter(term="社協").update(alternatives="社会福祉協議会、しゃきょう")
    SearchSynonym.objects.filter(term="子ども").delete()

    call_command("load_search_tuning", stdout=open("/dev/null", "w"))

    assert (SearchSynonym.objects.count() + 1, SearchGuide.objects.count(), BestBet.objects.count()) == counts
    assert not SearchSynonym.objects.filter(term="子ども").exists()
    assert SearchSynonym.objects.get(term="社協").alternatives == "社会福祉協議会、しゃきょう"
    for query in ["申請", "申込", "申込み", "申し込み", "宣言"]:
        response = client.get("/search/", {"q": query})
        assert best_bet_titles(response)[0] == "推進宣言の申請フォーム", query
        assert "推進宣言の申請フォーム" in result_titles(response), query
    assert "お問い合わせ先（電話・ファックス・メール）" in result_titles(client.get("/search/", {"q": "電話"}))


# The admin


@pytest.fixture
def admin_client(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("tuner", "tuner@example.jp", "password"))
    return client


def test_staff_add_a_synonym_and_a_guide_in_the_admin_and_the_search_follows_at_once(admin_client, client):
    make_declaration("大月町社会福祉協議会", "見守りをします。")

    admin_client.post("/admin/search-synonyms/new/", {"term": "町社協", "alternatives": "町社会福祉協議会"})
    admin_client.post(
        "/admin/search-guides/new/",
        {"title": "申請の窓口", "description": "申請の方法を案内します。", "url": "/declarations/apply/"},
    )

    assert SearchSynonym.objects.get().two_way is False  # an unticked box
    assert "大月町社会福祉協議会" in result_titles(client.get("/search/", {"q": "町社協"}))
    assert "申請の窓口" in result_titles(client.get("/search/", {"q": "窓口"}))
    listing = admin_client.get("/admin/search-synonyms/").content.decode()
    assert "町社協" in listing


def test_the_admin_refuses_a_best_bet_without_a_link_in_japanese(admin_client):
    response = admin_client.post("/admin/best-bets/new/", {"queries": "申請", "sort_order": "0"})

    assert "「ページ」か「リンク先（ページ以外）」のどちらか一方を入力してください。" in response.content.decode()
    assert not BestBet.objects.exists()


def test_an_editor_not_only_a_superuser_adds_a_synonym_in_the_admin(client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    editor = get_user_model().objects.create_user("henshu", "henshu@example.jp", "pass-for-tests-only")
    editor.groups.add(Group.objects.get(name__in=["Editors", "編集者"]))
    client.force_login(editor)
    assert client.get("/admin/search-synonyms/").status_code == 200
    response = client.post("/admin/search-synonyms/new/", {"term": "市社協", "alternatives": "社会福祉協議会"})
    assert response.status_code == 302
    assert SearchSynonym.objects.filter(term="市社協").exists()

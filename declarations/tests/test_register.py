"""The public register and each declaration's page."""

import datetime
import re

import pytest
from django.core.management import call_command

from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType, Status

from .factories import PRIVATE_VALUES, image_bytes, make_declaration, upload

pytestmark = pytest.mark.django_db

REGISTER = "/declarations/"


def html(response):
    return response.content.decode()


def names(response):
    return [d.name for d in response.context["declarations"]]


def test_only_published_declarations_are_listed(client):
    shown = make_declaration(name="掲載中の会社")
    for status in [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN]:
        make_declaration(status=status, name=f"非掲載{status}")
    response = client.get(REGISTER)
    assert names(response) == [shown.name]
    page = html(response)
    assert "非掲載" not in page
    assert "全1件中 1〜1件を表示" in page


def test_each_row_shows_organisation_municipality_type_areas_and_the_era_date(client):
    areas = ActivityArea.objects.filter(name__in=["見守り・声かけ", "子育て支援"])
    make_declaration(
        name="よさこい福祉会",
        organisation_type=OrganisationType.SOCIAL_WELFARE_CORPORATION,
        municipality=Municipality.objects.get(name="四万十市"),
        declared_on=datetime.date(2023, 10, 7),
        areas=areas,
    )
    page = html(client.get(REGISTER))
    row = page[page.index("よさこい福祉会") :][:600]
    assert "四万十市" in row
    assert "社会福祉法人" in row
    assert "見守り・声かけ、子育て支援" in row
    assert "令和5年10月7日" in row


def test_the_register_says_listing_is_not_a_certification(client):
    assert "認証・推薦するものではありません" in html(client.get(REGISTER))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("くろしお", ["株式会社くろしお食堂"]),  # inside the name
        ("クロシオ", ["株式会社くろしお食堂"]),  # katakana finds the reading stored in hiragana
        ("しょくどう", ["株式会社くろしお食堂"]),  # inside the reading only
        ("子ども食堂", ["よさこい会"]),  # inside the content
        ("食堂　運営", ["よさこい会"]),  # every word, separated by a full-width space
        ("存在しない言葉", []),
    ],
)
def test_keyword_search_finds_japanese_words_inside_name_reading_and_content(client, query, expected):
    make_declaration(
        name="株式会社くろしお食堂", name_kana="かぶしきがいしゃくろしおしょくどう", content="見守りをします。"
    )
    make_declaration(name="よさこい会", name_kana="よさこいかい", content="地域の子ども食堂を運営します。")
    make_declaration(name="関係ない社", name_kana="かんけいないしゃ", content="清掃活動をします。")
    assert sorted(names(client.get(REGISTER, {"q": query}))) == sorted(expected)


def test_filters_by_municipality_type_and_area_combine(client):
    aki = Municipality.objects.get(name="安芸市")
    childcare = ActivityArea.objects.get(name="子育て支援")
    make_declaration(name="安芸の会社", municipality=aki, areas=[childcare])
    make_declaration(name="安芸のNPO", municipality=aki, organisation_type=OrganisationType.NPO, areas=[childcare])
    make_declaration(name="高知の会社", areas=[childcare])
    make_declaration(
        name="安芸の会社（分野違い）", municipality=aki, areas=[ActivityArea.objects.get(name="学び・啓発")]
    )
    assert sorted(names(client.get(REGISTER, {"municipality": aki.pk}))) == [
        "安芸のNPO",
        "安芸の会社",
        "安芸の会社（分野違い）",
    ]
    response = client.get(REGISTER, {"municipality": aki.pk, "type": "company", "area": childcare.pk})
    assert names(response) == ["安芸の会社"]
    page = html(response)
    assert f'<option value="{aki.pk}" selected>安芸市</option>' in page
    assert "条件をすべて解除する" in page


def test_a_filter_value_that_is_not_in_the_list_is_ignored_not_an_error(client):
    make_declaration(name="ある会社")
    response = client.get(REGISTER, {"municipality": "99999", "type": "<script>", "area": "x", "sort": "drop"})
    assert response.status_code == 200
    assert names(response) == ["ある会社"]
    assert "<script>" not in html(response)


def test_sort_in_aiueo_order_of_the_reading_or_newest_first(client):
    make_declaration(name="わ社", name_kana="わしゃ", declared_on=datetime.date(2024, 1, 1))
    make_declaration(name="ア社", name_kana="あしゃ", declared_on=datetime.date(2023, 1, 1))
    make_declaration(name="か社", name_kana="かしゃ", declared_on=datetime.date(2025, 1, 1))
    assert names(client.get(REGISTER)) == ["ア社", "か社", "わ社"]
    assert names(client.get(REGISTER, {"sort": "new"})) == ["か社", "わ社", "ア社"]


def test_twenty_a_page_with_the_total_and_links_that_keep_the_filters(client):
    for n in range(45):
        make_declaration(name=f"会社{n:02d}", name_kana=f"かいしゃ{n:02d}")
    first = client.get(REGISTER, {"q": "会社"})
    assert len(first.context["declarations"]) == 20
    page = html(first)
    assert "全45件中 1〜20件を表示" in page
    assert 'href="?q=%E4%BC%9A%E7%A4%BE&amp;page=2#results"' in page
    third = client.get(REGISTER, {"q": "会社", "page": 3})
    assert names(third) == [f"会社{n}" for n in range(40, 45)]
    assert "全45件中 41〜45件を表示" in html(third)


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "9" * 30])
def test_a_page_out_of_range_or_not_a_number_is_a_404(client, page):
    for n in range(45):
        make_declaration(name=f"会社{n:02d}")
    response = client.get(REGISTER, {"page": page})
    assert response.status_code == 404
    assert "ページが見つかりません" in html(response)


def test_the_chart_and_the_table_give_the_same_number_per_municipality(client):
    call_command("load_founding_declarants", stdout=None)
    kochi = Municipality.objects.get(name="高知市")
    for _ in range(3):
        make_declaration(municipality=kochi)
    make_declaration(municipality=kochi, status=Status.PENDING)
    page = html(client.get(REGISTER))
    chart = page[page.index('class="bar-chart"') : page.index("</details>")]
    # 高知県, 高知市, 高知県社協 and 高知市社協 are in 高知市, plus the three published companies.
    assert re.search(
        r'bar-chart__label">高知市</span>.*?<rect class="bar-chart__bar" width="100.0".*?bar-chart__value">7<',
        chart,
        re.S,
    )
    assert '<tr><th scope="row">高知市</th><td>7</td></tr>' in chart
    assert re.search(r'bar-chart__label">黒潮町</span>.*?bar-chart__value">2<', chart, re.S)
    assert '<tr><th scope="row">黒潮町</th><td>2</td></tr>' in chart
    assert '<tr><th scope="row">県外</th><td>0</td></tr>' in chart
    assert "<td>73</td>" in chart  # the total: 70 founding + 3


def test_the_chart_is_plain_html_without_javascript(client):
    page = html(client.get(REGISTER))
    main = page[page.index("<main") : page.index("</main>")]
    assert "<script" not in main


def test_query_count_does_not_grow_with_the_number_of_declarations(client, django_assert_max_num_queries):
    areas = list(ActivityArea.objects.all()[:3])
    make_declaration(areas=areas)
    # The bound is loose (the site layout makes queries of its own); what matters is that it does not grow.
    with django_assert_max_num_queries(25) as few:
        assert client.get(REGISTER, {"sort": "new"}).status_code == 200
    municipalities = list(Municipality.objects.all())
    rows = Declaration.objects.bulk_create(
        Declaration(
            reference_number=f"B-{n:06d}",
            name=f"一括{n}",
            name_kana=f"いっかつ{n}",
            organisation_type=OrganisationType.COMPANY,
            municipality=municipalities[n % len(municipalities)],
            representative_title="代表",
            representative_name="氏名",
            content="内容",
            status=Status.PUBLISHED,
            declared_on=datetime.date(2024, 1, 1),
        )
        for n in range(3000)
    )
    Through = Declaration.areas.through
    Through.objects.bulk_create(
        Through(declaration_id=row.pk, activityarea_id=area.pk) for row in rows for area in areas
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(REGISTER, {"sort": "new", "page": 2})
    assert response.status_code == 200
    assert len(response.context["declarations"]) == 20
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(REGISTER, {"q": "一括", "area": areas[0].pk}).status_code == 200


# Each declaration's own page


def test_the_detail_page_shows_logo_representative_content_and_date(client):
    declaration = make_declaration(
        name="株式会社よさこい",
        representative_title="代表取締役",
        representative_name="坂本龍子",
        content="一行目\n二行目",
        declared_on=datetime.date(2019, 5, 1),
        website="https://yosakoi.example.jp/",
    )
    declaration.logo.save("logo.png", upload(image_bytes()), save=True)
    page = html(client.get(f"/declarations/{declaration.pk}/"))
    assert f'src="{declaration.logo.url}" alt="株式会社よさこい ロゴ"' in page
    assert "代表取締役　坂本龍子" in page
    assert "一行目<br>二行目" in page
    assert "令和元年5月1日" in page
    assert 'href="https://yosakoi.example.jp/"' in page


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN])
def test_the_detail_page_of_an_unpublished_declaration_is_a_404(client, status):
    declaration = make_declaration(status=status)
    assert client.get(f"/declarations/{declaration.pk}/").status_code == 404


def test_the_detail_page_of_a_founding_declarant_shows_the_title_without_a_name(client):
    call_command("load_founding_declarants", stdout=None)
    prefecture = Declaration.objects.get(name="高知県")
    page = html(client.get(f"/declarations/{prefecture.pk}/"))
    assert "令和4年10月30日" in page
    assert "<dd>知事</dd>" in page
    for value in PRIVATE_VALUES.values():
        assert value not in page

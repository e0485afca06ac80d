"""The public views: the register and each declaration's page, the application form step by step, open
data, and escaping of what applicants typed."""

import csv
import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

from declarations.models import (
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    ActivityArea,
    Declaration,
    Municipality,
    OrganisationType,
    OutboundEmail,
    Status,
)

from .factories import PRIVATE_VALUES, form_data, image_bytes, make_declaration, upload

pytestmark = pytest.mark.django_db

REGISTER = "/declarations/"


def html(response):
    return response.content.decode()


def names(response):
    return [d.name for d in response.context["declarations"]]


def test_only_published_declarations_are_listed(client):
    shown = make_declaration(Status.PUBLISHED, name="掲載中の会社")
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
        Status.PUBLISHED,
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


@pytest.mark.database
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
        Status.PUBLISHED,
        name="株式会社くろしお食堂",
        name_kana="かぶしきがいしゃくろしおしょくどう",
        content="見守りをします。",
    )
    make_declaration(
        Status.PUBLISHED, name="よさこい会", name_kana="よさこいかい", content="地域の子ども食堂を運営します。"
    )
    make_declaration(Status.PUBLISHED, name="関係ない社", name_kana="かんけいないしゃ", content="清掃活動をします。")
    assert sorted(names(client.get(REGISTER, {"q": query}))) == sorted(expected)


@pytest.mark.database
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("髙知", ["高知市社会福祉協議会"]),  # a variant kanji, folded as the site search folds it
        ("社協", ["高知市社会福祉協議会", "土佐町社会福祉協議会"]),  # the staff's 言い換え
        ("高知市社協", ["高知市社会福祉協議会"]),  # a short form inside a longer word
        ("こうちし", ["高知市社会福祉協議会"]),  # a municipality by its reading
    ],
)
def test_the_keyword_box_reads_words_as_the_site_search_does(client, query, expected):
    from pages.search.curation import SearchSynonym

    SearchSynonym.objects.create(term="社協", alternatives="社会福祉協議会")
    make_declaration(Status.PUBLISHED, name="高知市社会福祉協議会", name_kana="こうちししゃかいふくしきょうぎかい")
    make_declaration(Status.PUBLISHED, name="土佐町社会福祉協議会", name_kana="とさちょうしゃかいふくしきょうぎかい")
    make_declaration(Status.PUBLISHED, name="関係ない社", name_kana="かんけいないしゃ", content="清掃活動をします。")
    make_declaration(Status.PENDING, name="審査中の社会福祉協議会", name_kana="しんさちゅう")

    assert sorted(names(client.get(REGISTER, {"q": query}))) == sorted(expected)
    site_search = client.get("/search/", {"q": query}).content.decode()
    for name in expected:
        assert name in re.sub(r"</?mark>", "", site_search)


def test_filters_by_municipality_type_and_area_combine(client):
    aki = Municipality.objects.get(name="安芸市")
    childcare = ActivityArea.objects.get(name="子育て支援")
    make_declaration(Status.PUBLISHED, name="安芸の会社", municipality=aki, areas=[childcare])
    make_declaration(
        Status.PUBLISHED, name="安芸のNPO", municipality=aki, organisation_type=OrganisationType.NPO, areas=[childcare]
    )
    make_declaration(Status.PUBLISHED, name="高知の会社", areas=[childcare])
    make_declaration(
        Status.PUBLISHED,
        name="安芸の会社（分野違い）",
        municipality=aki,
        areas=[ActivityArea.objects.get(name="学び・啓発")],
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
    make_declaration(Status.PUBLISHED, name="ある会社")
    response = client.get(REGISTER, {"municipality": "99999", "type": "<script>", "area": "x", "sort": "drop"})
    assert response.status_code == 200
    assert names(response) == ["ある会社"]
    assert "<script>" not in html(response)


@pytest.mark.database
def test_sort_in_aiueo_order_of_the_reading_or_newest_first(client):
    make_declaration(Status.PUBLISHED, name="わ社", name_kana="わしゃ", declared_on=datetime.date(2024, 1, 1))
    make_declaration(Status.PUBLISHED, name="ア社", name_kana="あしゃ", declared_on=datetime.date(2023, 1, 1))
    make_declaration(Status.PUBLISHED, name="か社", name_kana="かしゃ", declared_on=datetime.date(2025, 1, 1))
    assert names(client.get(REGISTER)) == ["ア社", "か社", "わ社"]
    assert names(client.get(REGISTER, {"sort": "new"})) == ["か社", "わ社", "ア社"]


def test_twenty_a_page_with_the_total_and_links_that_keep_the_filters(client):
    for n in range(45):
        make_declaration(Status.PUBLISHED, name=f"会社{n:02d}", name_kana=f"かいしゃ{n:02d}")
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
        make_declaration(Status.PUBLISHED, name=f"会社{n:02d}")
    response = client.get(REGISTER, {"page": page})
    assert response.status_code == 404
    assert "ページが見つかりません" in html(response)


def test_the_chart_and_the_table_give_the_same_number_per_municipality(client):
    call_command("load_founding_declarants", stdout=None)
    kochi = Municipality.objects.get(name="高知市")
    for _ in range(3):
        make_declaration(Status.PUBLISHED, municipality=kochi)
    make_declaration(municipality=kochi, status=Status.PENDING)
    page = html(client.get(REGISTER))
    start = page.index('class="bar-chart"')
    chart = page[start : page.index("</details>", start)]
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


@pytest.mark.database
def test_query_count_does_not_grow_with_the_number_of_declarations(client, django_assert_max_num_queries):
    areas = list(ActivityArea.objects.all()[:3])
    make_declaration(Status.PUBLISHED, areas=areas)
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
        Status.PUBLISHED,
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


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHANGES_REQUESTED, Status.REJECTED])
def test_the_detail_page_of_an_unpublished_declaration_is_a_404(client, status):
    declaration = make_declaration(status=status)
    assert client.get(f"/declarations/{declaration.pk}/").status_code == 404


def test_the_detail_page_of_a_withdrawn_declaration_is_gone_and_names_nothing(client):
    # Only a published entry can be withdrawn: its old address says so (410) instead of "not found".
    declaration = make_declaration(status=Status.WITHDRAWN, name="株式会社とりさげ")
    response = client.get(f"/declarations/{declaration.pk}/")
    assert response.status_code == 410
    assert "この宣言企業・団体の掲載は取り下げられました" in response.content.decode()
    assert "株式会社とりさげ" not in response.content.decode()


def test_the_detail_page_of_a_founding_declarant_shows_the_title_without_a_name(client):
    call_command("load_founding_declarants", stdout=None)
    prefecture = Declaration.objects.get(name="高知県")
    page = html(client.get(f"/declarations/{prefecture.pk}/"))
    assert "令和4年10月30日" in page
    assert "<dd>知事</dd>" in page
    for value in PRIVATE_VALUES.values():
        assert value not in page


# The public application form, step by step, as an applicant's browser uses it.

APPLY = "/declarations/apply/"
CONFIRM = "/declarations/apply/confirm/"
COMPLETE = "/declarations/apply/complete/"


def fill_in(client, files=None, **overrides):
    data = form_data(**overrides)
    if files:
        data.update(files)
    return client.post(APPLY, data)


def apply(client, **overrides):
    """Fill in, confirm and submit; returns the completion page."""
    assert fill_in(client, **overrides).url == CONFIRM
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    return client.get(COMPLETE)


def test_the_form_shows_the_purpose_of_use_the_labels_and_which_fields_stay_private(client):
    page = html(client.get(APPLY))
    assert "個人情報の取扱いについて" in page
    assert page.index("個人情報の取扱いについて") < page.index('class="declaration-form"')
    for label in [
        "企業・団体名",
        "企業・団体名（ふりがな）",
        "種別",
        "業種",
        "所在市町村",
        "代表者役職",
        "代表者氏名",
        "ホームページ",
        "取組分野",
        "宣言内容",
        "ロゴ画像",
        "郵便番号",
        "所在地",
        "担当者部署",
        "担当者氏名",
        "電話番号",
        "メールアドレス",
        "メールアドレス（確認）",
        "個人情報の取扱いに同意する",
        "上記の公開項目が県のウェブサイトに掲載されることに同意する",
        "反社会的勢力に該当しないことを誓約する",
    ]:
        assert f"{label} <span" in page or f"{label}</label>" in page or f" {label}</label>" in page, label
    assert page.count('<span class="badge badge-private">非公開</span>') == 7
    assert "800字以内" in page
    assert '<legend class="form-field__label">取組分野' in page
    assert "確認画面へ進む" in page


def test_the_whole_path_creates_one_pending_application_with_a_reference_number(client):
    assert fill_in(client).url == CONFIRM
    response = client.get(CONFIRM)
    assert "no-store" in response["Cache-Control"]  # it shows the private contact details
    confirm = html(response)
    assert "株式会社くろしお商店" in confirm
    assert "jiro@kuroshio.example.jp" in confirm
    assert "入力内容を修正する" in confirm and "この内容で申請する" in confirm
    assert not Declaration.objects.exists()

    response = client.post(CONFIRM, {"action": "submit"})
    assert response.url == COMPLETE
    page = html(client.get(COMPLETE))
    declaration = Declaration.objects.get()
    assert declaration.status == Status.PENDING
    assert re.fullmatch(r"KS-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}", declaration.reference_number)
    assert f"受付番号：<strong>{declaration.reference_number}</strong>" in page
    assert declaration.areas.count() == 2
    assert declaration.consented_at is not None
    assert declaration.postal_code == "789-1901"
    assert declaration.name_kana == "かぶしきがいしゃくろしおしょうてん"
    assert not Declaration.objects.public().exists()


def test_going_back_from_confirmation_keeps_everything_typed(client):
    fill_in(client, content="宣言内容の下書き\n二行目", name_kana="クロシオ")
    response = client.post(CONFIRM, {"action": "back"})
    assert response.url == APPLY
    page = html(client.get(APPLY))
    assert 'value="株式会社くろしお商店"' in page
    assert 'value="クロシオ"' in page
    assert "宣言内容の下書き\n二行目</textarea>" in page
    assert page.count('type="checkbox" name="areas"') == 8
    assert len(re.findall(r'name="areas" value="\d+"[^>]*checked', page)) == 2
    assert re.search(r'name="agree_privacy"[^>]*checked', page)
    assert "入力内容に" not in page  # no error summary on a form that was valid


def test_submitting_twice_or_reloading_the_completion_page_creates_one_application(client):
    fill_in(client)
    session = client.session
    draft = session["declarations_draft"]
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    # A second press of the button after the first has finished
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    # Two presses read the same session before either finished: both carry the same one-time key.
    session = client.session
    session["declarations_draft"] = draft
    session.save()
    assert client.post(CONFIRM, {"action": "submit"}).url == COMPLETE
    first = html(client.get(COMPLETE))
    assert html(client.get(COMPLETE)) == first
    assert Declaration.objects.count() == 1
    assert OutboundEmail.objects.count() == 2


def test_a_new_input_after_completion_is_a_new_application(client):
    apply(client)
    apply(client, name="二つ目の団体")
    assert Declaration.objects.count() == 2
    assert len(set(Declaration.objects.values_list("reference_number", flat=True))) == 2


def test_the_confirmation_and_completion_pages_need_an_input_first(client):
    assert client.get(CONFIRM).url == APPLY
    assert client.post(CONFIRM, {"action": "submit"}).url == APPLY
    assert client.get(COMPLETE).url == APPLY
    assert not Declaration.objects.exists()


def test_errors_are_summarised_at_the_top_linked_to_fields_and_keep_what_was_typed(client):
    response = fill_in(client, name="", email_confirm="other@example.jp", areas=None, representative_name="高知　花子")
    assert response.status_code == 200
    page = html(response)
    summary = page[page.index('class="error-summary"') : page.index("</div>", page.index('class="error-summary"'))]
    assert 'role="alert"' in page[page.index("<div", page.index("error-summary") - 20) :][:200]
    assert "入力内容に3件の誤りがあります" in summary
    assert '<a href="#id_name">企業・団体名：企業・団体名を入力してください。</a>' in summary
    assert '<a href="#id_areas_0">取組分野：取組分野を選んでください。</a>' in summary
    assert 'href="#id_email_confirm"' in summary
    assert re.search(
        r'<input type="text" name="name"[^>]*aria-invalid="true"[^>]*aria-describedby="id_name_error"', page
    )
    assert 'id="id_name_error"' in page
    assert re.search(r'<fieldset aria-describedby="[^"]*id_areas_error', page)
    assert 'value="高知　花子"' in page
    assert 'value="jiro@kuroshio.example.jp"' in page
    assert "<title>入力内容に誤りがあります" in page
    assert not Declaration.objects.exists()


def test_a_logo_goes_through_confirmation_and_is_saved_re_encoded_under_a_generated_name(client):
    fill_in(client, files={"logo": upload(image_bytes("PNG"), name="弊社ロゴ 最終版.png")})
    logos_dir = settings.MEDIA_ROOT / "declarations" / "logos"
    before = set(logos_dir.iterdir()) if logos_dir.exists() else set()
    confirm = html(client.get(CONFIRM))
    assert 'src="data:image/png;base64,' in confirm
    # Nothing the applicant sent is in public media storage before the application exists.
    assert (set(logos_dir.iterdir()) if logos_dir.exists() else set()) == before
    client.post(CONFIRM, {"action": "submit"})
    declaration = Declaration.objects.get()
    assert re.fullmatch(r"declarations/logos/[0-9a-f]{32}\.png", declaration.logo.name)
    with Image.open(declaration.logo.path) as image:
        assert image.format == "PNG"
        assert image.size == (120, 80)


def test_a_valid_logo_is_kept_when_another_field_has_an_error_and_can_be_removed(client):
    page = html(fill_in(client, name="", files={"logo": upload(image_bytes("JPEG"), name="logo.jpg")}))
    assert "選択済みのロゴ画像を使います" in page
    assert fill_in(client).url == CONFIRM
    assert 'src="data:image/jpeg;base64,' in html(client.get(CONFIRM))
    client.post(CONFIRM, {"action": "back"})
    fill_in(client, remove_logo="1")
    client.post(CONFIRM, {"action": "submit"})
    assert not Declaration.objects.get().logo


def test_a_bad_logo_is_a_clear_error_that_asks_to_choose_again_never_a_500(client):
    svg = upload(b'<svg xmlns="http://www.w3.org/2000/svg"/>', name="logo.svg", content_type="image/svg+xml")
    response = fill_in(client, files={"logo": svg})
    assert response.status_code == 200
    page = html(response)
    assert "SVGなどの形式は使えません" in page
    assert "画像をもう一度選んでください" in page
    assert 'value="株式会社くろしお商店"' in page
    bomb = upload(image_bytes("PNG", size=(5000, 5000), color=(0, 0, 0)))
    response = fill_in(client, files={"logo": bomb})
    assert response.status_code == 200
    assert "1600万画素以下" in html(response)
    assert not Declaration.objects.exists()


def test_a_filled_honeypot_creates_nothing_and_says_nothing_about_why(client):
    page = html(client.get(APPLY))
    honeypot = page[page.index('<div class="hp-field"') :][:400]
    assert 'aria-hidden="true"' in honeypot
    assert 'tabindex="-1"' in honeypot
    response = fill_in(client, fax_number="088-000-0000")
    assert response.status_code == 200
    assert "申請を受け付けることができませんでした" in html(response)
    assert "declarations_draft" not in client.session
    assert client.get(CONFIRM).url == APPLY
    assert not Declaration.objects.exists()
    assert not OutboundEmail.objects.exists()


@override_settings(DECLARATIONS_RATE_LIMITS={"form": (3, 3600)})
def test_too_many_posts_from_one_address_get_a_japanese_429(client):
    for _ in range(3):
        assert fill_in(client, name="").status_code == 200
    response = fill_in(client)
    assert response.status_code == 429
    assert "しばらく時間をおいてから" in html(response)
    assert response["Retry-After"] == "3600"
    # Another address is not affected.
    assert client.post(APPLY, form_data(), REMOTE_ADDR="192.0.2.10").status_code == 302


@override_settings(DECLARATIONS_RATE_LIMITS={"submit": (2, 3600)})
def test_too_many_applications_from_one_address_get_a_429_and_create_nothing_more(client):
    apply(client)
    apply(client, name="二つ目")
    fill_in(client, name="三つ目")
    response = client.post(CONFIRM, {"action": "submit"})
    assert response.status_code == 429
    assert Declaration.objects.count() == 2


# The register as open data: CSV for Excel and JSON, public fields only.


def csv_rows(client):
    response = client.get("/declarations/register.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response["Access-Control-Allow-Origin"] == "*"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the BOM that makes Excel read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_a_bom_documented_headers_and_one_row_per_published_declaration(client):
    areas = ActivityArea.objects.filter(name__in=["見守り・声かけ", "居場所づくり"])
    shown = make_declaration(
        Status.PUBLISHED,
        name="株式会社よさこい",
        name_kana="かぶしきがいしゃよさこい",
        industry="E",
        declared_on=datetime.date(2024, 5, 1),
        areas=areas,
    )
    make_declaration(status=Status.PENDING, name="審査中の会社")
    rows = csv_rows(client)
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "番号",
        "企業・団体名",
        "ふりがな",
        "種別",
        "業種",
        "所在市町村",
        "代表者役職",
        "代表者氏名",
        "ホームページ",
        "取組分野",
        "宣言内容",
        "宣言日",
        "詳細ページ",
    ]
    assert row["企業・団体名"] == "株式会社よさこい"
    assert row["種別"] == "企業"
    assert row["業種"] == "製造業"
    assert row["所在市町村"] == "高知市"
    assert row["取組分野"] == "見守り・声かけ、居場所づくり"
    assert row["宣言日"] == "2024-05-01"
    assert row["詳細ページ"] == f"http://testserver/declarations/{shown.pk}/"


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client):
    make_declaration(
        Status.PUBLISHED, name='=HYPERLINK("http://evil.example")', content="+1+1", representative_title="@SUM(A1)"
    )
    row = csv_rows(client)[0]
    assert row["企業・団体名"] == '\'=HYPERLINK("http://evil.example")'
    assert row["宣言内容"] == "'+1+1"
    assert row["代表者役職"] == "'@SUM(A1)"


def test_json_has_the_column_documentation_and_the_published_declarations(client):
    area = ActivityArea.objects.get(name="子育て支援")
    make_declaration(Status.PUBLISHED, name="よさこい会", areas=[area], content='<script>alert("x")</script>')
    make_declaration(status=Status.WITHDRAWN, name="取り下げた会社")
    response = client.get("/declarations/register.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert [c["key"] for c in document["columns"]][:3] == ["id", "name", "name_kana"]
    assert all(c["description"] for c in document["columns"])
    [entry] = document["declarations"]
    assert entry["name"] == "よさこい会"
    assert entry["areas"] == ["子育て支援"]
    assert entry["content"] == '<script>alert("x")</script>'  # data, exactly as declared
    assert set(entry) == {c["key"] for c in document["columns"]}


def test_the_register_page_documents_every_open_data_column(client):
    page = client.get("/declarations/").content.decode()
    assert 'href="/declarations/register.csv"' in page
    assert 'href="/declarations/register.json"' in page
    document = json.loads(client.get("/declarations/register.json").content)
    for column in document["columns"]:
        assert f'<th scope="row">{column["name"]}</th><td><code>{column["key"]}</code></td>' in page


@pytest.mark.database
def test_open_data_query_count_does_not_grow_with_the_register(client, django_assert_max_num_queries):
    # Four for the rows, up to three for the site and its open-data licence setting (created on first use).
    for _ in range(3):
        make_declaration(Status.PUBLISHED, areas=ActivityArea.objects.all()[:2])
    with django_assert_max_num_queries(7):
        client.get("/declarations/register.json")
    for _ in range(60):
        make_declaration(Status.PUBLISHED, areas=ActivityArea.objects.all()[:2])
    with django_assert_max_num_queries(7):
        assert len(json.loads(client.get("/declarations/register.json").content)["declarations"]) == 63


# HTML and script typed into any text field are shown as text everywhere, never run.

SCRIPT = '<script>alert("x")</script><i onclick=x>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;i onclick=x&gt;"
TEXT_FIELDS = [
    "name",
    "representative_title",
    "representative_name",
    "content",
    "address",
    "contact_department",
    "contact_name",
]


def assert_escaped(text, where):
    assert "<script>alert" not in text, where
    assert "<i onclick" not in text, where


def test_script_in_every_text_field_is_escaped_on_the_form_confirmation_register_and_detail(client):
    overrides = {name: f"{n}{SCRIPT}" for n, name in enumerate(TEXT_FIELDS)}
    # With an error elsewhere, the form shows the typed values again.
    page = client.post("/declarations/apply/", form_data(**overrides, email_confirm="")).content.decode()
    assert_escaped(page, "form with errors")
    assert f'value="0{ESCAPED}"' in page

    assert client.post("/declarations/apply/", form_data(**overrides)).status_code == 302
    confirm = client.get("/declarations/apply/confirm/").content.decode()
    assert_escaped(confirm, "confirmation")
    for n, name in enumerate(TEXT_FIELDS):
        assert f"{n}{ESCAPED}" in confirm, name

    client.post("/declarations/apply/confirm/", {"action": "submit"})
    declaration = Declaration.objects.get()
    assert declaration.content == f"3{SCRIPT}"  # stored as typed; escaping happens on output
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.PUBLISHED, declared_on="2025-01-01")

    register = client.get("/declarations/").content.decode()
    assert_escaped(register, "register")
    assert f"0{ESCAPED}" in register
    detail = client.get(f"/declarations/{declaration.pk}/").content.decode()
    assert_escaped(detail, "detail")
    for n in range(4):  # the public fields: name, representative title and name, content
        assert f"{n}{ESCAPED}" in detail, TEXT_FIELDS[n]
    search = client.get("/declarations/", {"q": "script"}).content.decode()
    assert_escaped(search, "search results")


def test_a_javascript_url_is_refused_and_never_becomes_a_link(client):
    page = client.post("/declarations/apply/", form_data(website="javascript:alert(1)")).content.decode()
    assert 'href="javascript:' not in page
    assert "http:// または https:// で始まるアドレス" in page


def test_open_data_has_a_column_for_every_public_field_but_the_logo(client):
    document = client.get("/declarations/register.json").json()
    keys = [column["key"] for column in document["columns"]]
    assert keys == ["id", *(name for name in PUBLIC_FIELDS if name != "logo"), "url"]
    assert not set(keys) & set(PRIVATE_FIELDS)

"""The Wagtail admin as a logged-in 宣言審査担当 member: the moderation queue and its actions, the staff
export, and who may see what."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.spreadsheet import safe_cell
from declarations.models import (
    CORRECTION_LINK_VALID_FOR,
    PRIVATE_FIELDS,
    PUBLIC_FIELDS,
    ActivityArea,
    Declaration,
    OrganisationType,
    Status,
)

from .factories import (
    MODERATOR_GROUP,
    PRIVATE_VALUES,
    days_ago,
    make_declaration,
    make_editor,
    make_moderator,
    make_superuser,
    png_file,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/declarations/"


@pytest.fixture
def moderator(client):
    user = make_moderator()
    client.force_login(user)
    return user


def listed(response):
    return [declaration.name for declaration in response.context["object_list"]]


def page(pk, action=""):
    return f"/admin/declarations/{pk}/" + (f"{action}/" if action else "")


def test_the_admin_urls_are_where_the_issue_says():
    assert reverse("declaration_admin:index") == QUEUE
    assert reverse("declaration_admin:approve", args=[7]) == "/admin/declarations/7/approve/"


def test_the_queue_shows_waiting_applications_oldest_first(client, moderator):
    make_declaration(name="新しい申請", submitted_at=days_ago(1))
    make_declaration(name="古い申請", submitted_at=days_ago(9))
    make_declaration(name="中ほどの申請", submitted_at=days_ago(4))
    make_declaration(name="掲載済みの団体", status=Status.PUBLISHED, submitted_at=days_ago(30))
    make_declaration(name="却下した申請", status=Status.REJECTED, submitted_at=days_ago(20))

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert listed(response) == ["古い申請", "中ほどの申請", "新しい申請"]
    content = response.content.decode()
    assert "推進宣言の審査" in content
    assert "審査待ち" in content


def test_the_status_filter_shows_other_states_and_all(client, moderator):
    make_declaration(name="待っている申請")
    make_declaration(name="掲載中の団体", status=Status.PUBLISHED)
    make_declaration(name="修正待ちの申請", status=Status.CHANGES_REQUESTED)

    assert listed(client.get(QUEUE, {"status": "published"})) == ["掲載中の団体"]
    assert listed(client.get(QUEUE, {"status": "changes_requested"})) == ["修正待ちの申請"]
    assert sorted(listed(client.get(QUEUE, {"status": "all"}))) == sorted(
        ["待っている申請", "掲載中の団体", "修正待ちの申請"]
    )


def test_the_default_view_also_lists_what_waits_for_the_applicants_correction(client, moderator):
    make_declaration(name="新しい申請", submitted_at=days_ago(1))
    sent_back = make_declaration(name="修正をお願いした申請", submitted_at=days_ago(6))
    sent_back.request_changes(by=moderator, message="ふりがなを確認してください。")
    make_declaration(name="掲載済みの団体", status=Status.PUBLISHED, submitted_at=days_ago(30))
    make_declaration(name="却下した申請", status=Status.REJECTED, submitted_at=days_ago(20))

    response = client.get(QUEUE)

    assert listed(response) == ["修正をお願いした申請", "新しい申請"]
    content = response.content.decode()
    assert "2件" in content
    assert "審査待ちの申請はありません" not in content
    assert '<option value="attention" selected>審査待ち・修正待ち</option>' in content
    # 修正待ち is a state of its own in the list, shown apart from what waits for a decision.
    assert re.search(r'class="w-status(?! w-status--primary)[^"]*"[^>]*>\s*修正待ち\s*<', content)


def test_the_修正待ち_filter_lists_only_those_and_says_when_the_link_has_expired(client, moderator):
    make_declaration(name="新しい申請")
    waiting = make_declaration(name="期限内の申請")
    waiting.request_changes(by=moderator, message="宣言内容を確認してください。")
    expired = make_declaration(name="期限切れの申請")
    expired.request_changes(by=moderator, message="代表者を確認してください。")
    Declaration.objects.filter(pk=expired.pk).update(correction_expires_at=days_ago(1))

    response = client.get(QUEUE, {"status": "changes_requested"})

    assert sorted(listed(response)) == ["期限内の申請", "期限切れの申請"]
    content = response.content.decode()
    assert "修正待ち（リンク期限切れ）" in content
    assert '<option value="changes_requested" selected>修正待ち</option>' in content
    assert listed(client.get(QUEUE, {"status": "pending"})) == ["新しい申請"]


def test_with_nothing_to_act_on_or_watch_the_default_view_says_so(client, moderator):
    make_declaration(name="掲載済みの団体", status=Status.PUBLISHED)

    content = client.get(QUEUE).content.decode()

    assert "審査待ち・修正待ちの申請はありません。" in content


def test_filters_by_municipality_and_type(client, moderator):
    make_declaration(name="高知市の会社")
    make_declaration(name="四万十市の会社", municipality_name="四万十市")
    make_declaration(name="四万十市のNPO", municipality_name="四万十市", organisation_type=OrganisationType.NPO)
    shimanto = Declaration.objects.filter(name="四万十市の会社").get().municipality

    assert sorted(listed(client.get(QUEUE, {"municipality": shimanto.pk}))) == ["四万十市のNPO", "四万十市の会社"]
    assert listed(client.get(QUEUE, {"municipality": shimanto.pk, "organisation_type": "npo"})) == ["四万十市のNPO"]
    # The results-only URL Wagtail's filter panel calls gives the same rows.
    results = client.get(QUEUE + "results/", {"organisation_type": "npo"})
    assert listed(results) == ["四万十市のNPO"]


@pytest.mark.database
def test_search_finds_a_japanese_word_inside_a_name_or_contact(client, moderator):
    make_declaration(name="有限会社しまんと青のり")
    make_declaration(name="社会福祉法人やまびこ会", contact_name="高橋 一郎")

    assert listed(client.get(QUEUE, {"q": "青のり"})) == ["有限会社しまんと青のり"]
    assert listed(client.get(QUEUE, {"q": "高橋"})) == ["社会福祉法人やまびこ会"]


def test_the_dashboard_shows_how_many_wait(client, moderator):
    make_declaration()
    make_declaration(name="二件目")
    make_declaration(name="掲載済み", status=Status.PUBLISHED)

    content = client.get("/admin/").content.decode()

    assert "審査待ちの推進宣言" in content
    assert '<span class="w-font-bold">2</span>件' in content


def test_the_application_page_shows_every_field_the_logo_and_the_history(client, moderator):
    declaration = make_declaration(website="https://kuroshio.example.jp/", logo=png_file())
    declaration.request_changes(by=moderator, message="ふりがなを確認してください。")

    content = client.get(page(declaration.pk)).content.decode()

    for value in [
        declaration.reference_number,
        "株式会社くろしお商会",
        "くろしおしょうかい",
        "代表取締役",
        "土佐 太郎",
        "https://kuroshio.example.jp/",
        "見守り・声かけ",
        "地域の見守り活動",
        "780-0850",
        "高知市丸ノ内1-2-20",
        "総務部",
        "山田 花子",
        "088-823-9999",
        "hanako@kuroshio.example.jp",
    ]:
        assert value in content, value
    assert f'src="/declarations/logos/review/{declaration.pk}/"' in content
    assert "修正を依頼しました" in content  # the history entry
    assert "ふりがなを確認してください。" in content
    assert moderator.get_full_name() in content  # who acted


def test_escapes_what_the_applicant_typed(client, moderator):
    declaration = make_declaration(name="<script>alert(1)</script>商店", content='<img src=x onerror="alert(2)">')
    content = client.get(page(declaration.pk)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;商店" in content
    assert "<img src=x" not in content


def test_only_the_actions_the_status_allows_are_offered(client, moderator):
    waiting = make_declaration()
    published = make_declaration(name="掲載中", status=Status.PUBLISHED)

    waiting_page = client.get(page(waiting.pk)).content.decode()
    published_page = client.get(page(published.pk)).content.decode()

    for label in ["承認する", "修正を依頼する", "却下する"]:
        assert label in waiting_page
        assert label not in published_page
    assert "掲載を取り下げる" in published_page
    assert "掲載を取り下げる" not in waiting_page


def test_approve_asks_for_confirmation_with_todays_date_and_get_changes_nothing(client, moderator):
    declaration = make_declaration()

    response = client.get(page(declaration.pk, "approve"))

    assert response.status_code == 200
    assert response.context["form"]["declared_on"].value() == timezone.localdate()
    assert "承認すると" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_approve_on_post_publishes_and_returns_to_the_queue(client, moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(declaration.pk, "approve"), {"declared_on": "2026-11-03"})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    declaration.refresh_from_db()
    assert declaration.status == Status.PUBLISHED
    assert declaration.declared_on == datetime.date(2026, 11, 3)
    entry = ModelLogEntry.objects.for_instance(declaration).get()
    assert (entry.action, entry.user) == ("declarations.approve", moderator)
    assert len(mail.outbox) == 1
    queue = client.get(response["Location"]).content.decode()
    assert "「株式会社くろしお商会」を承認し、一覧に掲載しました。" in queue


def test_approving_a_rejected_application_is_refused_cleanly(client, moderator):
    declaration = make_declaration(status=Status.REJECTED)

    response = client.post(page(declaration.pk, "approve"), {"declared_on": "2026-11-03"}, follow=True)

    assert response.status_code == 200
    assert "この申請は現在「却下」のため、承認することはできません。" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.REJECTED
    assert not ModelLogEntry.objects.for_instance(declaration).exists()


def test_a_second_approval_from_a_stale_page_is_refused(client, moderator):
    declaration = make_declaration()
    client.get(page(declaration.pk, "approve"))  # both moderators opened the confirmation page
    Declaration.objects.get(pk=declaration.pk).approve(by=make_moderator("other"))

    response = client.post(page(declaration.pk, "approve"), {"declared_on": "2026-11-03"}, follow=True)

    assert "承認することはできません" in response.content.decode()
    assert ModelLogEntry.objects.for_instance(declaration).filter(action="declarations.approve").count() == 1


def test_request_changes_needs_a_message(client, moderator):
    declaration = make_declaration()

    response = client.post(page(declaration.pk, "request-changes"), {"message": ""})

    assert response.status_code == 200
    assert "修正してほしい点を入力してください。" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING
    assert mail.outbox == []


def test_request_changes_on_post_emails_the_link(client, moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(declaration.pk, "request-changes"), {"message": "業種を選び直してください。"})

    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED
    assert "/declarations/correction/" in mail.outbox[0].body
    assert "修正待ち" in client.get(page(declaration.pk)).content.decode()


def test_reject_needs_a_reason_and_emails_it(client, moderator, django_capture_on_commit_callbacks):
    declaration = make_declaration()
    assert "理由を入力してください。" in client.post(page(declaration.pk, "reject"), {"reason": ""}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(declaration.pk, "reject"), {"reason": "対象外の団体です。"})

    declaration.refresh_from_db()
    assert declaration.status == Status.REJECTED
    assert "対象外の団体です。" in mail.outbox[0].body


def test_withdraw_unpublishes_a_published_declaration(client, moderator):
    declaration = make_declaration(status=Status.PUBLISHED, declared_on=datetime.date(2025, 1, 10))

    client.post(page(declaration.pk, "withdraw"), {"reason": "団体の解散のため。"})

    declaration.refresh_from_db()
    assert declaration.status == Status.WITHDRAWN
    entry = ModelLogEntry.objects.for_instance(declaration).get()
    assert (entry.action, entry.user, entry.comment) == ("declarations.withdraw", moderator, "団体の解散のため。")


def test_withdraw_is_not_offered_for_a_waiting_application(client, moderator):
    declaration = make_declaration()
    response = client.get(page(declaration.pk, "withdraw"))
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_an_unknown_application_is_a_404(client, moderator):
    assert client.get(page(999999)).status_code == 404
    assert client.post(page(999999, "approve"), {"declared_on": "2026-11-03"}).status_code == 404


def test_the_history_page_lists_moderation_actions_in_japanese(client, moderator):
    declaration = make_declaration()
    declaration.approve(by=moderator)

    content = client.get(page(declaration.pk, "history")).content.decode()

    assert "承認して掲載しました" in content


def test_without_an_email_address_the_moderator_is_shown_the_correction_link_once(client, moderator):
    declaration = make_declaration(email="")
    confirmation = client.get(page(declaration.pk, "request-changes")).content.decode()
    assert "メールアドレスがないため、申請者へのメールは送られません" in confirmation

    response = client.post(
        page(declaration.pk, "request-changes"), {"message": "所在地を教えてください。"}, follow=True
    )

    content = response.content.decode()
    assert "修正用リンクは送られていません" in content
    link = content.split("申請者に直接お伝えください：", 1)[1].split("<", 1)[0].strip()
    assert link.startswith("http://testserver/declarations/correction/")
    assert client.get(link.removeprefix("http://testserver")).status_code == 200
    assert mail.outbox == []


def test_the_queue_counts_in_japanese_and_says_when_nothing_waits(client, moderator):
    assert "審査待ち・修正待ちの申請はありません。" in client.get(QUEUE).content.decode()
    make_declaration()
    make_declaration(name="二件目")
    assert "2件" in client.get(QUEUE).content.decode()
    assert "条件に当てはまる申請はありません。" in client.get(QUEUE, {"q": "存在しない団体"}).content.decode()


# The staff CSV export of the register: private fields included, Excel-friendly, moderators only.

EXPORT = "/admin/declarations/"


def download(client, **params):
    response = client.get(EXPORT, {"export": "csv", **params})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_csv_starts_with_a_bom_and_has_japanese_headings_and_private_fields(client, moderator):
    make_declaration(status=Status.PUBLISHED, declared_on=datetime.date(2025, 6, 1))

    response, raw = download(client, status="published")

    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel in Japan opens it without mojibake
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="declarations-')
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    [row] = rows
    assert row["企業・団体名"] == "株式会社くろしお商会"
    assert row["状態"] == "掲載中"
    assert row["所在市町村"] == "高知市"
    assert row["種別"] == "企業"
    assert row["宣言日"] == "2025-06-01"
    assert row["担当者氏名"] == "山田 花子"
    assert row["メールアドレス"] == "hanako@kuroshio.example.jp"
    assert row["電話番号"] == "088-823-9999"
    assert row["取組分野"] == "見守り・声かけ、居場所づくり"


def test_the_register_button_exports_published_declarations_only(client, moderator):
    make_declaration(name="掲載中の団体", status=Status.PUBLISHED)
    make_declaration(name="審査待ちの団体")
    queue = client.get(EXPORT).content.decode()
    assert "掲載中の名簿をCSVで書き出す" in queue
    assert "?status=published&amp;export=csv" in queue

    _, raw = download(client, status="published")

    names = [row["企業・団体名"] for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))]
    assert names == ["掲載中の団体"]


def test_the_export_follows_the_filters(client, moderator):
    make_declaration(name="高知市の団体")
    make_declaration(name="黒潮町の団体", municipality_name="黒潮町")
    kuroshio = make_declaration(name="黒潮町の別団体", municipality_name="黒潮町").municipality

    _, raw = download(client, municipality=kuroshio.pk)

    names = sorted(row["企業・団体名"] for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert names == ["黒潮町の別団体", "黒潮町の団体"]


def test_text_that_excel_would_run_as_a_formula_is_neutralised(client, moderator):
    make_declaration(name='=HYPERLINK("http://evil.example/","click")', representative_name="@SUM(1+1)")

    _, raw = download(client)

    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["企業・団体名"] == '\'=HYPERLINK("http://evil.example/","click")'
    assert row["代表者氏名"] == "'@SUM(1+1)"


def test_the_xlsx_download_has_the_same_columns(client, moderator):

    make_declaration(status=Status.PUBLISHED)
    response = client.get(EXPORT, {"export": "xlsx", "status": "published"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]
    values = dict(zip(header, row, strict=True))
    assert values["企業・団体名"] == "株式会社くろしお商会"
    assert values["担当者氏名"] == "山田 花子"


# Who may see the queue, an application's private data and the export: moderators, superusers, nobody else.


def urls(declaration):
    base = f"/admin/declarations/{declaration.pk}/"
    return {
        "queue": "/admin/declarations/",
        "results": "/admin/declarations/results/",
        "detail": base,
        "history": base + "history/",
        "approve": base + "approve/",
        "export": "/admin/declarations/?status=all&export=csv",
    }


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def menu_labels(response):
    """Every label in the admin's sidebar menu (rendered from JSON props by JavaScript)."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', body(response), re.S
    )
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return labels


def test_the_migration_made_the_moderator_group_with_admin_access_and_the_model_permissions():
    group = Group.objects.get(name=MODERATOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_declaration", "change_declaration", "change_activityarea"} <= codenames
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert not editors & {"view_declaration", "change_declaration", "add_declaration", "delete_declaration"}


@pytest.mark.parametrize("make_user", [make_moderator, make_superuser])
def test_moderators_and_superusers_see_everything(client, make_user):
    declaration = make_declaration()
    client.force_login(make_user())
    for name, url in urls(declaration).items():
        response = client.get(url)
        assert response.status_code == 200, name
    detail = body(client.get(urls(declaration)["detail"]))
    export = body(client.get(urls(declaration)["export"]))
    for value in PRIVATE_VALUES.values():
        assert value in detail
        assert value in export
    assert "推進宣言の審査" in menu_labels(client.get("/admin/"))


def test_an_editor_outside_the_group_gets_no_menu_item_no_queue_and_no_private_data(client):
    declaration = make_declaration()
    client.force_login(make_editor())

    home = client.get("/admin/")
    assert home.status_code == 200  # an editor may use the admin ...
    assert "推進宣言" not in menu_labels(home)  # ... but has no way into the queue
    assert "推進宣言の審査" not in menu_labels(home)
    assert "審査待ちの推進宣言" not in home.content.decode()
    for name, url in urls(declaration).items():
        response = client.get(url, follow=True)
        content = body(response)
        assert response.redirect_chain == [("/admin/", 302)], name
        assert "アクセス権がありません" in content
        for value in PRIVATE_VALUES.values():
            assert value not in content, (name, value)


def test_an_editor_cannot_approve_by_posting(client):
    declaration = make_declaration()
    client.force_login(make_editor())
    client.post(urls(declaration)["approve"], {"declared_on": "2026-11-03"})
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_a_user_with_view_permission_only_cannot_act(client):
    """Someone given read access (e.g. an auditor) sees the application but no action buttons or actions."""
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("kansa", password="pw-12345")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_declaration")
    )
    declaration = make_declaration()
    client.force_login(user)
    assert "承認する" not in client.get(urls(declaration)["detail"]).content.decode()
    client.post(urls(declaration)["approve"], {"declared_on": "2026-11-03"})
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    declaration = make_declaration()
    for name, url in urls(declaration).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/admin/login/"), name
    client.post(urls(declaration)["approve"], {"declared_on": "2026-11-03"})
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING


def test_moderators_edit_the_list_of_activity_areas_and_editors_cannot(client):
    client.force_login(make_moderator())
    listing = client.get("/admin/declaration-areas/")
    assert listing.status_code == 200
    assert "見守り・声かけ" in listing.content.decode()
    client.post("/admin/declaration-areas/new/", {"name": "防災・減災", "sort_order": "9"})
    assert ActivityArea.objects.filter(name="防災・減災").exists()

    client.force_login(make_editor())
    assert client.get("/admin/declaration-areas/").status_code == 302
    client.post("/admin/declaration-areas/new/", {"name": "勝手な分野", "sort_order": "10"})
    assert not ActivityArea.objects.filter(name="勝手な分野").exists()


# Rules kept in one place, as the admin reads them.


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_site_history_lists_declaration_entries_and_links_them_to_the_application(client, who):
    # Issue 9: サイト履歴 answered 500 (NoReverseMatch for 'edit') once any declaration had a log entry.
    user = make_superuser() if who == "admin" else make_moderator()
    declaration = make_declaration()
    declaration.approve(by=make_superuser("shonin"))
    client.force_login(user)

    response = client.get("/admin/reports/site-history/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "承認して掲載しました" in content
    assert f'href="{page(declaration.pk)}"' in content


@pytest.mark.parametrize(
    ("action", "status", "heading"),
    [
        ("approve", Status.PENDING, "を承認する"),
        ("request-changes", Status.PENDING, "に修正を依頼する"),
        ("reject", Status.PENDING, "を却下する"),
        ("withdraw", Status.PUBLISHED, "の掲載を取り下げる"),
    ],
)
def test_confirmation_headings_read_as_japanese_with_one_particle(client, moderator, action, status, heading):
    declaration = make_declaration(status)

    content = client.get(page(declaration.pk, action)).content.decode()

    subject = f"{declaration.name}（受付番号 {declaration.reference_number}）"
    assert f"{subject}{heading}</h2>" in content
    assert "）を修正を" not in content and "）を掲載を" not in content


def test_the_correction_link_lifetime_shown_to_moderators_is_the_one_the_model_sets(client, moderator, settings):
    content = client.get(page(make_declaration().pk, "request-changes")).content.decode()
    assert f"リンクの有効期限は{CORRECTION_LINK_VALID_FOR.days}日間です。" in content


def test_the_application_page_and_the_export_show_every_public_and_private_field(client, moderator):
    declaration = make_declaration(Status.PUBLISHED)

    content = client.get(page(declaration.pk)).content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(QUEUE, {"status": "all", "export": "csv"}).getvalue().decode())))

    for name in PUBLIC_FIELDS + PRIVATE_FIELDS:
        label = str(Declaration._meta.get_field(name).verbose_name)
        assert label in content, name
        if name != "logo":  # an image, shown on the page, not a spreadsheet cell
            assert label in rows[0] or "\ufeff" + label in rows[0], name


def test_the_staff_export_and_open_data_defuse_a_formula_the_same_way(client, moderator):
    make_declaration(Status.PUBLISHED, name="=1+1", name_kana="いち")

    staff = client.get(QUEUE, {"status": "all", "export": "csv"}).getvalue().decode()
    public = client.get(reverse("declarations:register_csv")).getvalue().decode()

    assert safe_cell("=1+1") == "'=1+1"
    assert "'=1+1" in staff and "'=1+1" in public

"""The moderation queue and actions in the Wagtail admin, used as a logged-in 宣言審査担当 member."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from declarations.models import Declaration, OrganisationType, Status

from .moderation_factories import days_ago, make_declaration, make_moderator, png_file

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
    assert "修正依頼中" in client.get(page(declaration.pk)).content.decode()


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
    assert "審査待ちの申請はありません。" in client.get(QUEUE).content.decode()
    make_declaration()
    make_declaration(name="二件目")
    assert "2件" in client.get(QUEUE).content.decode()
    assert "条件に当てはまる申請はありません。" in client.get(QUEUE, {"q": "存在しない団体"}).content.decode()

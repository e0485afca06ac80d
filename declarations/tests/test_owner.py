"""A published declarant's own changes from its private link: the link in the approval mail, the 宣言書
download, 変更申請 through moderation, withdrawal off every public output, and the staff side."""

import re

import pytest
from wagtail.models import ModelLogEntry

from declarations.models import (
    ActivityArea,
    ChangeRequest,
    ChangeRequestStatus,
    Declaration,
    InvalidTransition,
    OutboundEmail,
    Status,
    hash_owner_token,
)

from .factories import make_declaration, make_editor, make_moderator

pytestmark = [pytest.mark.django_db, pytest.mark.database]

NAME = "株式会社ひまわり工房"
CONTENT = "毎月、地域の見守り活動に参加します。"
NEW_CONTENT = "毎月の見守り活動に加えて、店頭を地域の居場所として開放します。"


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def published(moderator):
    declaration = make_declaration(name=NAME, content=CONTENT)
    token = declaration.approve(by=moderator)
    declaration.refresh_from_db()
    declaration.token = token
    return declaration


def owner_url(declaration, suffix=""):
    return f"/declarations/manage/{declaration.token}/" + (f"{suffix}/" if suffix else "")


def change_data(declaration, **overrides):
    data = {
        "name": declaration.name,
        "name_kana": declaration.name_kana,
        "organisation_type": declaration.organisation_type,
        "industry": declaration.industry,
        "municipality": str(declaration.municipality_id),
        "representative_title": declaration.representative_title,
        "representative_name": declaration.representative_name,
        "website": declaration.website,
        "areas": [str(pk) for pk in declaration.areas.values_list("pk", flat=True)],
        "content": declaration.content,
    }
    data.update(overrides)
    return data


# The private link


def test_approval_stores_only_a_hash_of_the_link_and_mails_the_link(published):
    assert published.owner_token_hash == hash_owner_token(published.token)
    assert published.token not in published.owner_token_hash
    body = OutboundEmail.objects.filter(to=published.email, subject__contains="掲載しました").get().body
    assert f"/declarations/manage/{published.token}/" in body
    assert f"/declarations/manage/{published.token}/certificate/" in body


def test_the_link_opens_the_declarants_page_without_caching_or_referrer(client, published):
    response = client.get(owner_url(published))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"
    content = response.content.decode()
    assert NAME in content
    assert "宣言書をダウンロード（PDF）" in content
    # The contact person's details are not on the page.
    assert published.phone not in content


@pytest.mark.parametrize("token", ["wrong", "x" * 43])
def test_a_wrong_link_gets_a_plain_japanese_page_naming_nothing(client, published, token):
    response = client.get(f"/declarations/manage/{token}/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "このリンクは使えません" in content
    assert NAME not in content


def test_the_certificate_downloads_as_a_pdf_from_the_link(client, published):
    response = client.get(owner_url(published, "certificate"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"


def test_staff_resending_the_link_replaces_the_old_one(client, published, moderator):
    new_token = published.send_owner_link(by=moderator)
    assert client.get(owner_url(published)).status_code == 404
    assert client.get(f"/declarations/manage/{new_token}/").status_code == 200
    resent = OutboundEmail.objects.filter(subject__contains="変更・取り下げ用リンク").get()
    assert new_token in resent.body


def test_the_link_never_opens_an_unpublished_declaration(client):
    declaration = make_declaration(owner_token_hash=hash_owner_token("token-of-a-pending-one"))
    assert Declaration.objects.for_owner("token-of-a-pending-one") is None
    assert declaration.status == Status.PENDING
    assert client.get("/declarations/manage/token-of-a-pending-one/").status_code == 404


# 変更申請


def test_the_change_form_shows_the_current_public_values_and_no_private_field(client, published):
    response = client.get(owner_url(published, "change"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["content"].value() == CONTENT
    assert set(form.fields) == {
        "name",
        "name_kana",
        "organisation_type",
        "industry",
        "municipality",
        "representative_title",
        "representative_name",
        "website",
        "areas",
        "content",
    }
    assert published.email not in response.content.decode()


def test_a_change_request_waits_for_review_and_the_entry_keeps_its_text(client, published):
    response = client.post(owner_url(published, "change"), change_data(published, content=NEW_CONTENT))
    assert response.status_code == 302
    assert response["Location"] == "/declarations/manage/done/"
    published.refresh_from_db()
    assert published.content == CONTENT
    change = published.pending_change
    assert change.values["content"] == NEW_CONTENT
    assert change.differences() == [{"field": "content", "label": "宣言内容", "before": CONTENT, "after": NEW_CONTENT}]
    detail = client.get(f"/declarations/{published.pk}/").content.decode()
    assert CONTENT in detail and NEW_CONTENT not in detail
    done = client.get("/declarations/manage/done/").content.decode()
    assert "変更申請を受け付けました" in done and published.reference_number in done


def test_a_change_request_mails_the_declarant_and_staff_with_the_differences(client, published):
    client.post(owner_url(published, "change"), change_data(published, content=NEW_CONTENT))
    receipt = OutboundEmail.objects.get(to=published.email, subject__contains="変更申請を受け付けました")
    assert NEW_CONTENT in receipt.body and CONTENT in receipt.body
    notice = OutboundEmail.objects.exclude(to=published.email).get(subject__contains="変更申請が届きました")
    assert f"/admin/declarations/{published.pk}/" in notice.body
    assert NEW_CONTENT in notice.body


def test_an_unchanged_form_is_refused_with_a_message(client, published):
    response = client.post(owner_url(published, "change"), change_data(published))
    assert response.status_code == 200
    assert "変更された項目がありません" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, published):
    response = client.post(owner_url(published, "change"), change_data(published, name="", content=NEW_CONTENT))
    assert response.status_code == 200
    content = response.content.decode()
    assert "企業・団体名を入力してください。" in content
    assert NEW_CONTENT in content
    assert not ChangeRequest.objects.exists()


def test_control_characters_are_refused(client, published):
    response = client.post(owner_url(published, "change"), change_data(published, content="見守り\x1b[31m"))
    assert response.status_code == 200
    assert response.context["form"].errors["content"]
    assert not ChangeRequest.objects.exists()


def test_a_second_change_request_replaces_the_waiting_one(client, published):
    client.post(owner_url(published, "change"), change_data(published, content=NEW_CONTENT))
    client.post(owner_url(published, "change"), change_data(published, content="三つ目の内容です。"))
    assert (
        ChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING).get().values["content"] == "三つ目の内容です。"
    )
    assert ChangeRequest.objects.filter(status=ChangeRequestStatus.CANCELLED).count() == 1


def test_approving_a_change_puts_it_on_the_entry_and_reissues_the_certificate(client, published, moderator):
    old_certificate = published.certificate.name
    area = ActivityArea.objects.order_by("-sort_order").first()
    client.post(
        owner_url(published, "change"),
        change_data(published, name="株式会社ひまわり", content=NEW_CONTENT, areas=[str(area.pk)]),
    )
    published.approve_change(by=moderator)
    published.refresh_from_db()
    assert published.name == "株式会社ひまわり"
    assert published.content == NEW_CONTENT
    assert list(published.areas.all()) == [area]
    assert published.certificate.name != old_certificate
    assert published.pending_change is None
    approved = OutboundEmail.objects.get(to=published.email, subject__contains="掲載内容を変更しました")
    assert "宣言書も新しい内容で作り直しました" in approved.body
    entry = ModelLogEntry.objects.filter(action="declarations.change_approve").get()
    assert entry.data["changes"][0]["before"] == NAME
    detail = client.get(f"/declarations/{published.pk}/").content.decode()
    assert NEW_CONTENT in detail


def test_a_change_outside_the_certificate_says_nothing_of_it(client, published, moderator):
    client.post(owner_url(published, "change"), change_data(published, website="https://himawari.example.jp/"))
    old_certificate = published.certificate.name
    published.approve_change(by=moderator)
    published.refresh_from_db()
    assert published.website == "https://himawari.example.jp/"
    assert published.certificate.name == old_certificate
    approved = OutboundEmail.objects.get(to=published.email, subject__contains="掲載内容を変更しました")
    assert "宣言書" not in approved.body


def test_rejecting_a_change_keeps_the_entry_and_mails_the_reason(client, published, moderator):
    client.post(owner_url(published, "change"), change_data(published, content=NEW_CONTENT))
    published.reject_change(by=moderator, reason="宣言内容が取組と関係のない宣伝になっています。")
    published.refresh_from_db()
    assert published.content == CONTENT
    rejected = OutboundEmail.objects.get(to=published.email, subject__contains="変更申請について")
    assert "宣言内容が取組と関係のない宣伝になっています。" in rejected.body
    with pytest.raises(InvalidTransition):
        published.approve_change(by=moderator)


def test_a_change_request_is_in_the_moderation_queue(published, client):
    assert list(Declaration.objects.waiting()) == []
    client.post(owner_url(published, "change"), change_data(published, content=NEW_CONTENT))
    assert list(Declaration.objects.waiting()) == [published]


# Withdrawal


def test_withdrawal_has_a_confirmation_step(client, published):
    response = client.post(owner_url(published, "withdraw"), {"reason": ""})
    assert response.status_code == 200
    assert "確認のチェックを入れてください" in response.content.decode()
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_withdrawal_takes_the_entry_off_every_public_output(client, published):
    response = client.post(owner_url(published, "withdraw"), {"reason": "事業を終了するため", "confirm": "on"})
    assert response["Location"] == "/declarations/manage/done/"
    published.refresh_from_db()
    assert published.status == Status.WITHDRAWN
    assert published.owner_token_hash == ""
    assert NAME not in client.get("/declarations/").content.decode()
    gone = client.get(f"/declarations/{published.pk}/")
    assert gone.status_code == 410
    assert "掲載は取り下げられました" in gone.content.decode()
    assert NAME not in gone.content.decode()
    assert NAME not in b"".join(client.get("/declarations/register.csv").streaming_content).decode()
    assert NAME not in client.get("/declarations/register.json").content.decode()
    assert f"/declarations/{published.pk}/" not in client.get("/sitemap.xml").content.decode()
    # The link no longer works, for the certificate either.
    assert client.get(owner_url(published)).status_code == 404
    assert client.get(owner_url(published, "certificate")).status_code == 404


def test_withdrawal_mails_the_declarant_and_staff_and_is_logged(client, published):
    client.post(owner_url(published, "withdraw"), {"reason": "事業を終了するため", "confirm": "on"})
    assert OutboundEmail.objects.filter(to=published.email, subject__contains="取り下げました").count() == 1
    notice = OutboundEmail.objects.exclude(to=published.email).get(subject__contains="掲載を取り下げました")
    assert "事業を終了するため" in notice.body
    assert ModelLogEntry.objects.filter(action="declarations.withdraw_by_declarant").count() == 1


def test_withdrawal_cancels_a_waiting_change_request(client, published):
    client.post(owner_url(published, "change"), change_data(published, content=NEW_CONTENT))
    client.post(owner_url(published, "withdraw"), {"confirm": "on"})
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.CANCELLED
    assert list(Declaration.objects.waiting()) == []


def test_a_withdrawal_with_an_old_link_changes_nothing(published, moderator):
    published.send_owner_link(by=moderator)
    with pytest.raises(InvalidTransition):
        published.withdraw_by_declarant(published.token)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_the_private_pages_are_kept_out_of_robots(client):
    assert "Disallow: /declarations/manage/" in client.get("/robots.txt").content.decode()


# The admin


@pytest.fixture
def staff_client(client, moderator):
    client.force_login(moderator)
    return client


def test_the_queue_lists_a_change_request_as_such(staff_client, published, client):
    Declaration.objects.get(pk=published.pk).request_public_change(
        published.token, {**_values(published), "content": NEW_CONTENT}
    )
    response = staff_client.get("/admin/declarations/")
    assert NAME in response.content.decode()
    assert "掲載中（変更申請）" in response.content.decode()


def _values(declaration):
    return {
        "name": declaration.name,
        "name_kana": declaration.name_kana,
        "organisation_type": declaration.organisation_type,
        "industry": declaration.industry,
        "municipality": declaration.municipality,
        "representative_title": declaration.representative_title,
        "representative_name": declaration.representative_name,
        "website": declaration.website,
        "areas": list(declaration.areas.all()),
        "content": declaration.content,
    }


def test_the_reviewer_sees_the_differences_and_approves_on_post(staff_client, published):
    published.request_public_change(published.token, {**_values(published), "content": NEW_CONTENT})
    inspect = staff_client.get(f"/admin/declarations/{published.pk}/").content.decode()
    assert "変更申請（宣言企業・団体からの申請）" in inspect
    assert CONTENT in inspect and NEW_CONTENT in inspect
    confirm = staff_client.get(f"/admin/declarations/{published.pk}/approve-change/")
    assert NEW_CONTENT in confirm.content.decode()
    published.refresh_from_db()
    assert published.content == CONTENT  # GET changes nothing
    response = staff_client.post(f"/admin/declarations/{published.pk}/approve-change/")
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.content == NEW_CONTENT


def test_the_reviewer_rejects_a_change_with_a_reason(staff_client, published):
    published.request_public_change(published.token, {**_values(published), "content": NEW_CONTENT})
    empty = staff_client.post(f"/admin/declarations/{published.pk}/reject-change/", {"reason": ""})
    assert "理由を入力してください。" in empty.content.decode()
    staff_client.post(f"/admin/declarations/{published.pk}/reject-change/", {"reason": "内容を確認できません。"})
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.REJECTED


def test_staff_resend_the_link_with_a_post_button(staff_client, published):
    assert staff_client.get(f"/admin/declarations/{published.pk}/send-owner-link/").status_code == 200
    old_hash = published.owner_token_hash
    staff_client.post(f"/admin/declarations/{published.pk}/send-owner-link/")
    published.refresh_from_db()
    assert published.owner_token_hash != old_hash
    assert re.search(r"/declarations/manage/[\w-]+/", OutboundEmail.objects.latest("pk").body)


def test_staff_download_and_regenerate_the_certificate(staff_client, published):
    download = staff_client.get(f"/admin/declarations/{published.pk}/certificate/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")
    old = published.certificate.name
    staff_client.post(f"/admin/declarations/{published.pk}/issue-certificate/")
    published.refresh_from_db()
    assert published.certificate.name != old
    assert ModelLogEntry.objects.filter(action="declarations.issue_certificate").exists()


def test_an_editor_outside_the_review_group_gets_no_certificate_or_action(client, published):
    client.force_login(make_editor())
    assert client.get(f"/admin/declarations/{published.pk}/certificate/").status_code in (302, 403)
    client.post(f"/admin/declarations/{published.pk}/send-owner-link/")
    published.refresh_from_db()
    assert Declaration.objects.for_owner(published.token) == published


def test_actions_for_a_change_are_offered_only_while_one_waits(staff_client, published):
    inspect = staff_client.get(f"/admin/declarations/{published.pk}/").content.decode()
    assert "変更を承認する" not in inspect
    assert "専用リンクを再送する" in inspect and "宣言書を作り直す" in inspect
    response = staff_client.post(f"/admin/declarations/{published.pk}/approve-change/", follow=True)
    assert "変更を承認することはできません" in response.content.decode()
    published.refresh_from_db()
    assert published.content == CONTENT

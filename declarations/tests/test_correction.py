"""The applicant's private correction link: valid, expired, reused and wrong tokens."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from declarations.models import ActivityArea, Declaration, Status

from .factories import make_declaration, make_moderator, png_file

pytestmark = [pytest.mark.django_db, pytest.mark.database]


@pytest.fixture
def requested():
    """An application sent back for changes, and the raw token from the applicant's email."""
    declaration = make_declaration(name="株式会社くろしお商会", logo=png_file())
    token = declaration.request_changes(by=make_moderator(), message="ふりがなをひらがなで確認してください。")
    return declaration, token


def url(token):
    return f"/declarations/correction/{token}/"


def corrected_data(declaration, **overrides):
    data = {
        "name": declaration.name,
        "name_kana": "クロシオショウカイ",
        "organisation_type": declaration.organisation_type,
        "industry": declaration.industry,
        "municipality": str(declaration.municipality_id),
        "representative_title": declaration.representative_title,
        "representative_name": "土佐 次郎",
        "website": "",
        "areas": [str(pk) for pk in ActivityArea.objects.values_list("pk", flat=True)[:1]],
        "content": "見守りと声かけを続けます。",
        "postal_code": "７８０－０８５０",
        "address": declaration.address,
        "contact_department": declaration.contact_department,
        "contact_name": declaration.contact_name,
        "phone": declaration.phone,
        "email": declaration.email,
        "email_confirm": declaration.email,
    }
    data.update(overrides)
    return data


def assert_reveals_nothing(response):
    content = response.content.decode()
    for value in ["くろしお", "山田 花子", "hanako@kuroshio.example.jp", "088-823-9999", "ふりがなをひらがなで確認"]:
        assert value not in content


def test_the_link_opens_the_application_filled_in_with_the_staff_message(client, requested):
    declaration, token = requested

    response = client.get(url(token))

    assert response.status_code == 200
    content = response.content.decode()
    assert "推進宣言の申請内容の修正" in content
    assert "ふりがなをひらがなで確認してください。" in content
    assert 'value="株式会社くろしお商会"' in content
    assert 'value="hanako@kuroshio.example.jp"' in content  # the email and its confirmation, prefilled
    assert content.count('value="hanako@kuroshio.example.jp"') == 2
    assert declaration.reference_number in content
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_resubmitting_saves_the_corrections_and_returns_the_application_to_the_queue(
    client, requested, django_capture_on_commit_callbacks
):
    declaration, token = requested

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(token), corrected_data(declaration))

    assert response.status_code == 302
    assert response["Location"] == "/declarations/correction/done/"
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING
    assert declaration.name_kana == "くろしおしょうかい"  # stored in hiragana, as the public form does
    assert declaration.representative_name == "土佐 次郎"
    assert declaration.postal_code == "780-0850"
    assert list(declaration.areas.all()) == list(ActivityArea.objects.all()[:1])
    assert declaration.logo  # no new file chosen: the logo stays
    assert list(Declaration.objects.waiting()) == [declaration]
    entry = ModelLogEntry.objects.for_instance(declaration).latest("timestamp")
    assert (entry.action, entry.user) == ("declarations.resubmit", None)
    assert mail.outbox[-1].to == ["060101@ken.pref.kochi.lg.jp"]  # staff are told it is back
    done = client.get(response["Location"])
    assert "修正を受け付けました" in done.content.decode()
    assert declaration.reference_number in done.content.decode()


def test_a_used_link_no_longer_works(client, requested):
    declaration, token = requested
    client.post(url(token), corrected_data(declaration))

    response = client.get(url(token))
    again = client.post(url(token), corrected_data(declaration, representative_name="書き換え"))

    assert response.status_code == 404
    assert "修正用リンクが無効です" in response.content.decode()
    assert again.status_code == 404
    declaration.refresh_from_db()
    assert declaration.representative_name == "土佐 次郎"
    assert_reveals_nothing(response)


def test_an_expired_link_says_so_with_410_and_reveals_nothing(client, requested):
    declaration, token = requested
    Declaration.objects.filter(pk=declaration.pk).update(
        correction_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.get(url(token))
    post = client.post(url(token), corrected_data(declaration))

    assert response.status_code == 410
    assert "修正用リンクの有効期限が切れています" in response.content.decode()
    assert_reveals_nothing(response)
    assert post.status_code == 410
    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED
    assert declaration.representative_name == "土佐 太郎"


@pytest.mark.parametrize("token", ["wrong-token", "x" * 43, "%E3%81%82", "done2", "a" * 500])
def test_a_wrong_token_is_a_japanese_404(client, requested, token):
    response = client.get(url(token))
    assert response.status_code == 404
    assert "修正用リンクが無効です" in response.content.decode()
    assert_reveals_nothing(response)


def test_a_link_replaced_by_a_new_request_no_longer_works(client, requested):
    declaration, old_token = requested
    new_token = declaration.request_changes(by=make_moderator("other"), message="もう一度お願いします。")
    assert client.get(url(old_token)).status_code == 404
    assert client.get(url(new_token)).status_code == 200


def test_the_link_stops_working_once_staff_reject_the_application(client, requested):
    declaration, token = requested
    declaration.reject(by=make_moderator("other"), reason="対象外です。")
    assert client.get(url(token)).status_code == 404


def test_errors_are_shown_in_japanese_and_nothing_changes(client, requested):
    declaration, token = requested

    response = client.post(url(token), corrected_data(declaration, name="", email_confirm="other@example.jp"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "企業・団体名を入力してください。" in content
    assert "メールアドレス（確認）が、メールアドレスと一致しません。" in content
    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED
    assert declaration.name == "株式会社くろしお商会"
    assert client.get(url(token)).status_code == 200  # the link still works after a failed attempt


def test_script_typed_into_a_field_is_shown_escaped(client, requested):
    declaration, token = requested
    client.post(url(token), corrected_data(declaration, content="<script>alert(1)</script>"))
    declaration.refresh_from_db()
    new_token = declaration.request_changes(by=make_moderator("other"), message="<b>太字</b>")
    content = client.get(url(new_token)).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<b>太字</b>" not in content


def test_the_applicant_may_remove_the_logo(client, requested):
    declaration, token = requested
    client.post(url(token), {**corrected_data(declaration), "remove_logo": "1"})
    declaration.refresh_from_db()
    assert not declaration.logo
    assert declaration.status == Status.PENDING


def test_a_new_logo_is_checked_like_on_the_public_form(client, requested):
    declaration, token = requested
    svg = SimpleUploadedFile(
        "logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/png"
    )

    response = client.post(url(token), {**corrected_data(declaration), "logo": svg})

    assert response.status_code == 200
    assert "PNG・JPEG・WebP形式" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED


def test_the_resubmission_records_what_changed_for_the_reviewer(client, requested):
    declaration, token = requested

    client.post(url(token), {**corrected_data(declaration, phone="088-000-0000"), "remove_logo": "1"})

    entry = ModelLogEntry.objects.for_instance(declaration).latest("timestamp")
    changes = {change["field"]: change for change in entry.data["changes"]}
    assert set(changes) == {"representative_name", "areas", "content", "phone", "logo"}
    assert (changes["representative_name"]["before"], changes["representative_name"]["after"]) == (
        "土佐 太郎",
        "土佐 次郎",
    )
    assert changes["content"]["label"] == "宣言内容"
    assert (changes["logo"]["before"], changes["logo"]["after"]) == ("あり", "なし")
    # A private value the applicant replaced is not kept in the audit log: only that it changed.
    assert changes["phone"] == {"field": "phone", "label": "電話番号", "before": "", "after": "", "private": True}
    assert "088-823-9999" not in str(entry.data)


def test_the_reviewer_sees_the_changes_on_the_application_page(client, requested):
    declaration, token = requested
    client.post(url(token), corrected_data(declaration))
    client.force_login(make_moderator("reviewer"))

    content = client.get(f"/admin/declarations/{declaration.pk}/").content.decode()

    assert "申請者が修正した項目" in content
    changes = content.split("申請者が修正した項目", 1)[1].split("</table>", 1)[0]
    assert "代表者氏名" in changes
    assert "土佐 太郎" in changes and "土佐 次郎" in changes
    assert "地域の見守り活動に従業員とともに参加します。" in changes and "見守りと声かけを続けます。" in changes
    assert "企業・団体名" not in changes  # unchanged fields are not listed
    # The history's comment column says the same in one line per field.
    assert "宣言内容：「地域の見守り活動に従業員とともに参加します。」→「見守りと声かけを続けます。」" in content


def test_once_approved_the_changes_section_is_gone(client, requested):
    declaration, token = requested
    client.post(url(token), corrected_data(declaration))
    moderator = make_moderator("reviewer")
    declaration.refresh_from_db()
    declaration.approve(by=moderator)
    client.force_login(moderator)

    content = client.get(f"/admin/declarations/{declaration.pk}/").content.decode()

    assert "申請者が修正した項目" not in content


def test_the_csrf_check_accepts_the_pages_own_origin_and_refuses_a_null_one(requested):
    """What browsers send under the page's Referrer-Policy: "same-origin" gives the page's origin;
    "no-referrer" (the old header) gave `Origin: null`, which Django refuses and must keep refusing."""
    declaration, token = requested
    browser = Client(enforce_csrf_checks=True)
    browser.get(url(token))
    data = {**corrected_data(declaration), "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}

    refused = browser.post(url(token), data, HTTP_ORIGIN="null")

    assert refused.status_code == 403
    assert "送信できませんでした" in refused.content.decode()
    assert f'<a href="{url(token)}">前の画面に戻る</a>' in refused.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.CHANGES_REQUESTED

    accepted = browser.post(url(token), data, HTTP_ORIGIN="http://testserver")

    assert accepted.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING

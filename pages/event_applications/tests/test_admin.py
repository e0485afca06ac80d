"""Staff: the list per event with the counts per 配慮 type, the CSV export, removing an application."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from ..models import ApplicationEmail, EventApplication, Status
from .factories import make_open_event, submit

pytestmark = pytest.mark.django_db

INDEX = "/admin/event-applications/"


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.jp", "pw"))
    return client


@pytest.fixture
def event():
    return make_open_event(capacity=4)


def test_the_list_of_one_event_shows_its_applications_and_counts_per_request(staff_client, event):
    other = make_open_event(slug="other")
    submit(event, 2, accommodations=["sign_language", "captioning"], name="手話 希望")
    submit(event, 2, accommodations=["sign_language"], name="二人 参加")
    submit(event, 1, name="待機 さん")
    submit(other, 1, accommodations=["childcare"], name="別行事 さん")

    page = staff_client.get(INDEX, {"event": event.pk}).content.decode()
    assert "手話 希望" in page and "待機 さん" in page
    assert "別行事 さん" not in page
    assert "参加確定 4人、キャンセル待ち 1人" in page
    assert '<th scope="row">手話通訳</th><td>2件</td><td>4人</td>' in page
    assert '<th scope="row">託児</th><td>0件</td><td>0人</td>' in page


def test_an_edited_event_filter_is_no_error(staff_client, event):
    assert staff_client.get(INDEX, {"event": str(2**63)}).status_code == 200
    assert staff_client.get(INDEX, {"event": "abc"}).status_code == 200


def test_the_csv_export_has_japanese_headings_every_field_and_defused_formulas(staff_client, event):
    submit(event, 1, name='=HYPERLINK("http://evil")', accommodations=["wheelchair"])
    response = staff_client.get(INDEX, {"event": event.pk, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="event-applications-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["受付番号", "状態", "行事", "氏名"]
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'
    assert "車椅子席" in rows[1]
    assert "参加確定" in rows[1]


def test_staff_remove_an_application_on_post_and_the_waiting_one_moves_up(staff_client, event):
    confirmed = submit(event, 4)
    waiting = submit(event, 1)
    url = f"{INDEX}{confirmed.pk}/cancel/"
    assert "申込みを取り消す" in staff_client.get(url).content.decode()
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED
    response = staff_client.post(url)
    assert response.status_code == 302
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, confirmed.cancelled_by) == (Status.CANCELLED, "staff")
    assert waiting.status == Status.CONFIRMED
    assert ApplicationEmail.objects.filter(application=waiting, subject__contains="参加が確定しました").exists()
    again = staff_client.post(url, follow=True)
    assert "取り消せません" in again.content.decode()


def test_the_inspect_page_shows_the_answers(staff_client):
    event = make_open_event(application_questions=[("question", {"question": "昼食は必要ですか", "required": True})])
    applied = submit(event, answers=[{"question": "昼食は必要ですか", "answer": "必要"}])
    page = staff_client.get(f"{INDEX}{applied.pk}/").content.decode()
    assert "昼食は必要ですか" in page and "必要" in page


def test_people_without_permission_see_nothing(client, event):
    submit(event)
    user = User.objects.create_user("editor", "e@example.jp", "pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert EventApplication.objects.get().name not in response.content.decode()


def test_the_event_editor_has_the_application_panel(staff_client, event):
    page = staff_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    for label in ("参加申込み", "定員（人）", "申込締切", "参加方法", "追加の質問", "申込受付中"):
        assert label in page


def event_form(**application):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    start = timezone.localdate() + datetime.timedelta(days=20)
    data = nested_form_data(
        {
            "title": "申込みのある行事",
            "slug": "with-applications",
            "introduction": "",
            "start_date": start.isoformat(),
            "start_time": "13:30",
            "end_date": "",
            "end_time": "",
            "venue": "高知県庁",
            "venue_address": "",
            "body": streamfield([]),
            "application_status": "open",
            "application_capacity": "",
            "application_deadline": "",
            "attendance_modes": "both",
            "application_questions": streamfield([("question", {"question": "昼食は必要ですか", "required": "on"})]),
            "seo_title": "",
            "search_description": "",
            "menu_title": "",
            **application,
        }
    )
    data["action-publish"] = "action-publish"
    return data


def test_staff_open_an_event_for_applications_in_the_page_editor(staff_client, event):
    index = event.get_parent()
    url = f"/admin/pages/add/pages/eventpage/{index.pk}/"
    refused = staff_client.post(url, event_form())
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "申込みを受け付けるときは、定員（1人以上）を入れてください。" in html
    assert "申込みを受け付けるときは、申込締切を入れてください。" in html

    deadline = timezone.localtime() + datetime.timedelta(days=10)
    response = staff_client.post(
        url, event_form(application_capacity="50", application_deadline=deadline.strftime("%Y-%m-%d %H:%M"))
    )
    assert response.status_code == 302
    page = staff_client.get("/events/with-applications/").content.decode()
    assert "受付中" in page and 'href="/events/with-applications/apply/"' in page
    form = staff_client.get("/events/with-applications/apply/").content.decode()
    assert "昼食は必要ですか" in form and "オンラインで参加" in form


def test_a_larger_capacity_published_in_the_editor_moves_up_the_waiting_list_in_order(staff_client, event):
    submit(event, 3)
    head = submit(event, 3, name="三人 組")
    behind = submit(event, 1, name="一人 さん")
    deadline = timezone.localtime(event.application_deadline).strftime("%Y-%m-%d %H:%M")

    def publish_capacity(capacity):
        form = event_form(
            title=event.title, slug=event.slug, application_capacity=str(capacity), application_deadline=deadline
        )
        assert staff_client.post(f"/admin/pages/{event.pk}/edit/", form).status_code == 302
        head.refresh_from_db()
        behind.refresh_from_db()
        return head.status, behind.status

    # 2 places free: not enough for the party of 3 at the head, and the party of 1 does not go first.
    assert publish_capacity(5) == (Status.WAITING, Status.WAITING)
    page = staff_client.get(INDEX, {"event": event.pk}).content.decode()
    assert "参加確定 3人、キャンセル待ち 4人" in page
    assert "満席（キャンセル待ち受付中）" in staff_client.get("/events/forum/").content.decode()

    assert publish_capacity(7) == (Status.CONFIRMED, Status.CONFIRMED)
    assert "参加確定 7人、キャンセル待ち 0人" in staff_client.get(INDEX, {"event": event.pk}).content.decode()

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from pages.feedback.models import Feedback, Rating
from pages.feedback.registry import target_for_page
from pages.models import SectionPage
from pages.tests.factories import publish

pytestmark = [pytest.mark.django_db, pytest.mark.database]

INDEX = "/admin/feedback/"


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.jp", "pass-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def answers(home, content_page):
    training = publish(home, SectionPage(title="研修", slug="training"))
    old = Feedback.record(target=target_for_page(content_page), rating=Rating.HELPFUL, comment="わかりやすい")
    Feedback.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(datetime.datetime(2026, 10, 1, 9, 0)))
    Feedback.record(
        target=target_for_page(content_page), rating=Rating.NOT_HELPFUL, comment='=HYPERLINK("http://evil.example")'
    )
    Feedback.record(target=target_for_page(training), rating=Rating.NEUTRAL, comment="日程を\n知りたい")
    return training


def test_the_list_is_in_japanese_newest_first(staff_client, answers):
    html = staff_client.get(INDEX).content.decode()

    assert "ページへのご意見" in html
    for heading in ["受付日時", "ページ", "評価", "ご意見"]:
        assert heading in html
    assert html.index("日程を") < html.index("わかりやすい")
    assert "役に立たなかった" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"rating": "neutral"}, ["日程を"], ["わかりやすい"]),
        ({"page_url": "/declaration/"}, ["わかりやすい"], ["日程を"]),
        ({"created_at_from": "2026-11-01"}, ["日程を"], ["わかりやすい"]),
    ],
)
def test_the_list_filters_by_rating_page_and_date(staff_client, answers, query, shown, hidden):
    html = staff_client.get(INDEX, query).content.decode()
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_the_csv_has_japanese_headings_a_bom_and_defused_formulas(staff_client, answers):
    response = staff_client.get(INDEX, {"export": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == ["受付日時", "ページのタイトル（送信時）", "ページのURL", "評価", "ご意見"]
    comments = {row[4] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example")' in comments
    assert "日程を\n知りたい" in comments
    assert {row[3] for row in rows[1:]} == {"役に立った", "役に立たなかった", "どちらともいえない"}
    assert 'filename="page-feedback-' in response["Content-Disposition"]


def test_the_csv_follows_the_filters(staff_client, answers):
    response = staff_client.get(INDEX, {"rating": "neutral", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert len(list(csv.reader(io.StringIO(body)))) == 2


def test_counts_per_page(staff_client, answers):
    html = staff_client.get(reverse("feedback_admin:counts")).content.decode()

    assert "ページ別の集計" in html
    assert html.index("高知家地域共生社会推進宣言") < html.index("研修")  # the most answered first
    assert "<td>2</td>" in html
    assert "?page_url=%2Fdeclaration%2F" in html


def test_staff_cannot_add_or_edit_answers(staff_client, answers):
    assert staff_client.get(INDEX + "add/").status_code == 404
    feedback = Feedback.objects.first()
    assert staff_client.get(f"{INDEX}{feedback.pk}/edit/").status_code == 404
    assert staff_client.get(f"{INDEX}{feedback.pk}/").status_code == 200


def test_spam_can_be_deleted_on_post(staff_client, answers):
    feedback = Feedback.objects.first()
    staff_client.post(f"{INDEX}{feedback.pk}/delete/")
    assert not Feedback.objects.filter(pk=feedback.pk).exists()


def test_the_list_is_closed_to_visitors_and_to_staff_without_permission(client, answers):
    assert client.get(INDEX).status_code == 302
    user = get_user_model().objects.create_user("plain", "plain@example.jp", "pass-for-tests-only")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(INDEX).status_code in (302, 403)
    assert client.get(reverse("feedback_admin:counts")).status_code in (302, 403)


def test_wagtails_editors_read_the_feedback_and_may_delete_spam(client, answers):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("writer", "writer@example.jp", "pass-for-tests-only")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)

    assert "わかりやすい" in client.get(INDEX).content.decode()
    assert client.get(reverse("feedback_admin:counts")).status_code == 200

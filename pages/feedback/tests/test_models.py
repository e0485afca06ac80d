import pytest
from wagtail.models import Page

from pages.feedback.models import Feedback, Rating
from pages.feedback.registry import target_for_page
from pages.models import SectionPage
from pages.tests.factories import publish

pytestmark = pytest.mark.django_db


def test_an_answer_keeps_the_page_its_address_and_title_and_the_time(content_page):
    feedback = Feedback.record(
        target=target_for_page(content_page), rating=Rating.HELPFUL, comment="わかりやすかったです。"
    )

    feedback.refresh_from_db()
    assert feedback.page_id == content_page.pk
    assert feedback.page_url == "/declaration/"
    assert feedback.page_title == "高知家地域共生社会推進宣言"
    assert feedback.created_at is not None
    assert str(feedback) == "高知家地域共生社会推進宣言：役に立った"


def test_no_field_can_hold_an_address_or_anything_else_that_names_the_sender():
    names = {field.name for field in Feedback._meta.get_fields()}
    assert names == {"id", "page", "page_url", "page_title", "rating", "comment", "created_at"}


def test_answers_outlive_a_deleted_page_by_its_address_and_title(content_page):
    Feedback.record(target=target_for_page(content_page), rating=Rating.NOT_HELPFUL)

    Page.objects.get(pk=content_page.pk).delete()

    feedback = Feedback.objects.get()
    assert feedback.page is None
    assert (feedback.page_url, feedback.page_title) == ("/declaration/", "高知家地域共生社会推進宣言")


def test_counts_by_page_give_the_total_and_each_rating_most_answered_first(home, content_page):
    other = publish(home, SectionPage(title="研修", slug="training"))
    for rating in [Rating.HELPFUL, Rating.HELPFUL, Rating.NEUTRAL]:
        Feedback.record(target=target_for_page(content_page), rating=rating)
    Feedback.record(target=target_for_page(other), rating=Rating.NOT_HELPFUL)

    rows = list(Feedback.objects.counts_by_page())

    assert [(row["page_url"], row["total"]) for row in rows] == [("/declaration/", 3), ("/training/", 1)]
    assert (rows[0]["helpful"], rows[0]["neutral"], rows[0]["not_helpful"]) == (2, 1, 0)
    assert (rows[1]["helpful"], rows[1]["not_helpful"]) == (0, 1)
    assert rows[0]["page_title"] == "高知家地域共生社会推進宣言"

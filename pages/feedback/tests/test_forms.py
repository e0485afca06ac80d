import pytest

from pages.feedback.forms import FeedbackForm
from pages.feedback.models import COMMENT_MAX_LENGTH

pytestmark = pytest.mark.django_db


def form(content_page, **data):
    return FeedbackForm({"page": str(content_page.pk), "rating": "helpful", **data})


def test_a_rating_alone_is_enough(content_page):
    bound = form(content_page)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["comment"] == ""
    assert bound.target.page == content_page
    assert (bound.target.title, bound.target.url) == (content_page.title, "/declaration/")


def test_without_a_rating_the_error_names_the_three_choices(content_page):
    bound = FeedbackForm({"page": str(content_page.pk), "comment": "よかった"})
    assert not bound.is_valid()
    assert bound.errors["rating"] == [
        "「役に立った」「どちらともいえない」「役に立たなかった」のどれかを選んでください。"
    ]
    assert bound.error_links == [("feedback-rating_0", "評価", bound.errors["rating"][0])]


def test_a_comment_of_the_limit_passes_and_one_more_character_is_refused_with_the_count(content_page):
    assert form(content_page, comment="あ" * COMMENT_MAX_LENGTH).is_valid()

    bound = form(content_page, comment="あ" * (COMMENT_MAX_LENGTH + 1))
    assert not bound.is_valid()
    assert bound.errors["comment"] == [
        f"ご意見は{COMMENT_MAX_LENGTH}文字以内で入力してください（いまは{COMMENT_MAX_LENGTH + 1}文字です）。"
    ]


def test_a_line_break_counts_as_one_character_as_the_browser_shows_it(content_page):
    comment = "あ" * (COMMENT_MAX_LENGTH - 1)
    bound = form(content_page, comment=comment[:10] + "\r\n" + comment[10:])
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["comment"] == comment[:10] + "\n" + comment[10:]


def test_the_hint_states_the_limit_from_the_constant_and_asks_for_no_personal_data():
    help_text = FeedbackForm().fields["comment"].help_text
    assert f"{COMMENT_MAX_LENGTH}文字以内" in help_text
    assert "個人情報は書かないでください" in help_text


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\u0085"])
def test_control_characters_are_refused_by_the_sites_rule(content_page, character):
    bound = form(content_page, comment=f"よかった{character}です")
    assert not bound.is_valid()
    assert "制御文字" in bound.errors["comment"][0]


@pytest.mark.parametrize("page_id", ["", "abc", "999999", str(2**63)])
def test_an_unknown_page_is_refused(content_page, page_id):
    bound = FeedbackForm({"page": page_id, "rating": "helpful"})
    assert not bound.is_valid()
    assert "page" in bound.errors


def test_the_home_page_takes_feedback_and_unpublished_pages_take_none(home, content_page):
    assert FeedbackForm({"page": str(home.pk), "rating": "helpful"}).is_valid()
    content_page.unpublish()
    assert not FeedbackForm({"page": str(content_page.pk), "rating": "helpful"}).is_valid()


@pytest.mark.parametrize(
    "path",
    [
        "/declarations/apply/",  # a form: no box
        "/search/",  # the search: no box
        "/no-such-page/",
        "//evil.example/declarations/",
        "/declarations/?q=x",
        "https://evil.example/declarations/",
        "/declarations/\n",
        "/declarations/999999/",  # no such entry
    ],
)
def test_an_address_that_carries_no_box_is_refused(db, path):
    bound = FeedbackForm({"path": path, "rating": "helpful"})
    assert not bound.is_valid()
    assert bound.target is None


def test_a_registered_address_is_accepted_with_the_title_from_the_server(db):
    bound = FeedbackForm({"path": "/declarations/", "rating": "helpful"})
    assert bound.is_valid(), bound.errors
    assert (bound.target.title, bound.target.url, bound.target.page) == ("宣言企業・団体一覧", "/declarations/", None)

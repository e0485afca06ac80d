import datetime

import pytest
from django.core.exceptions import ValidationError

from pages.accessibility.models import AccessibilityPolicyPage
from pages.models import (
    ContactSettings,
    EventIndexPage,
    EventPage,
    HomePage,
    Pamphlet,
    PamphletIndexPage,
    PolicyPage,
    SectionPage,
)

from .factories import make_document, make_event, make_event_index, make_image

pytestmark = pytest.mark.django_db

from pages.news.models import ArticleIndexPage  # noqa: E402

TODAY = datetime.date(2024, 6, 1)


def test_page_types_live_only_where_they_belong():
    assert EventPage.allowed_parent_page_models() == [EventIndexPage]
    assert EventPage.allowed_subpage_models() == []
    assert set(HomePage.allowed_subpage_models()) == {
        SectionPage,
        PamphletIndexPage,
        EventIndexPage,
        AccessibilityPolicyPage,
        PolicyPage,
        ArticleIndexPage,
    }
    assert PolicyPage.allowed_parent_page_models() == [HomePage]
    assert PolicyPage.allowed_subpage_models() == []
    assert SectionPage not in EventIndexPage.allowed_subpage_models()
    assert PamphletIndexPage.allowed_subpage_models() == []


def test_only_one_home_page(home):
    assert not HomePage.can_create_at(home.get_parent())


def test_upcoming_events_soonest_first_and_past_events_latest_first(home):
    index = make_event_index(home)
    make_event(index, "forum", "フォーラム", datetime.date(2022, 10, 30))
    make_event(index, "festa", "フェスタ", datetime.date(2023, 10, 7))
    make_event(index, "later", "秋の研修", datetime.date(2024, 9, 1))
    make_event(index, "sooner", "夏の研修", datetime.date(2024, 7, 1))
    make_event(index, "today", "今日の行事", TODAY)
    # A two-day event that began yesterday is still on.
    make_event(index, "running", "2日間の行事", TODAY - datetime.timedelta(days=1), end_date=TODAY)
    make_event(
        index,
        "ended",
        "昨日終わった行事",
        TODAY - datetime.timedelta(days=2),
        end_date=TODAY - datetime.timedelta(days=1),
    )

    events = EventPage.objects.live()
    assert [e.slug for e in events.upcoming(TODAY)] == ["running", "today", "sooner", "later"]
    assert [e.slug for e in events.past(TODAY)] == ["ended", "festa", "forum"]


def test_an_unpublished_event_is_not_listed(home):
    index = make_event_index(home)
    event = make_event(index, "draft", "下書きの行事", TODAY)
    event.unpublish()
    assert not EventPage.objects.live().upcoming(TODAY).exists()


def test_event_cannot_end_before_it_starts():
    event = EventPage(title="行事", slug="e", start_date=TODAY, end_date=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        event.clean()
    assert "end_date" in caught.value.error_dict


def test_same_day_event_cannot_end_before_its_start_time():
    event = EventPage(
        title="行事", slug="e", start_date=TODAY, start_time=datetime.time(13, 0), end_time=datetime.time(10, 0)
    )
    with pytest.raises(ValidationError) as caught:
        event.clean()
    assert "end_time" in caught.value.error_dict


def test_a_pamphlet_cover_needs_alt_text():
    pamphlet = Pamphlet(
        title="高知家地域共生社会リーフレット",
        created_on=datetime.date(2022, 10, 1),
        document=make_document(),
        cover_image=make_image(),
    )
    with pytest.raises(ValidationError) as caught:
        pamphlet.clean()
    assert "cover_alt_text" in caught.value.error_dict
    pamphlet.cover_alt_text = "「高知家地域共生社会リーフレット」の表紙"
    pamphlet.clean()


def test_meta_description_prefers_the_editors_text_then_the_lead():
    page = SectionPage(title="研修", search_description="", introduction="研修の\nご案内です。")
    assert page.meta_description == "研修の ご案内です。"
    page.search_description = "検索用の説明"
    assert page.meta_description == "検索用の説明"
    assert SectionPage(title="調査等").meta_description == "調査等のページです。"


def test_a_page_is_updated_only_when_published_again(home):
    index = make_event_index(home)
    index.refresh_from_db()
    assert index.first_published_at == index.last_published_at
    assert index.updated_at is None
    index.introduction = "行事の一覧です。"
    index.save_revision().publish()
    index.refresh_from_db()
    assert index.updated_at == index.last_published_at > index.first_published_at


# Issue 23, item 7: mail names one contact, chosen among the setting's phone lines.


def contact_with_lines(**fields):
    lines = [("地域共生社会室", "088-823-9840"), ("地域福祉推進担当", "088-823-9090")]
    return ContactSettings(
        department="地域福祉政策課",
        postal_code="780-8570",
        address="高知市",
        phone_lines=[{"type": "phone", "value": {"label": label, "number": number}} for label, number in lines],
        **fields,
    )


def test_a_mail_line_must_be_one_of_the_phone_lines():
    contact = contact_with_lines(declaration_mail_line="地域共生社会", event_mail_line="地域福祉推進担当")
    with pytest.raises(ValidationError) as raised:
        contact.clean()
    assert "「地域共生社会」という担当は「電話」にありません" in str(raised.value.message_dict["declaration_mail_line"])
    assert "event_mail_line" not in raised.value.message_dict


def test_each_subject_gets_its_own_line():
    contact = contact_with_lines(declaration_mail_line="地域共生社会室", event_mail_line="地域福祉推進担当")
    assert contact.mail_phone("declarations")["number"] == "088-823-9840"
    assert contact.mail_phone("events") == {"label": "地域福祉推進担当", "number": "088-823-9090"}
    assert contact_with_lines().mail_phone("events") is None

"""Something in every panel of the admin dashboard, as a running site would have it: applications waiting for a
decision and for the applicant, a 変更申請, an event with applicants, a waiting list and 配慮 requests, a scheduled
page, a page untouched for two years, and this week's feedback. Used by the dashboard's tests, its query budget
and its browser test."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from declarations.models import ChangeRequest, Declaration, Status
from declarations.tests.factories import make_declaration
from pages.event_applications.tests.factories import make_open_event, submit
from pages.feedback.models import Feedback, Rating
from pages.feedback.registry import target_for_page
from pages.models import EventIndexPage, HomePage, SectionPage
from pages.tests.factories import make_event_index, make_home, publish

OLD_APPLICATION = "株式会社ながく待つ"
NEW_APPLICATION = "有限会社きょうの申請"
CHANGE_REQUEST = "社会福祉法人へんこう会"
AWAITING_CORRECTION = "合同会社なおし待ち"
EXPIRED_CORRECTION = "株式会社きげんぎれ"
EVENT_TITLE = "地域共生フォーラム"
SCHEDULED_PAGE = "来年度の研修のお知らせ"
STALE_PAGE = "古い調査結果"
FEEDBACK_PAGE = "研修会の報告"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def fill_every_panel():
    """Returns the objects the tests look for."""
    now = timezone.now()
    home = HomePage.objects.first() or make_home()
    if not EventIndexPage.objects.exists():
        make_event_index(home)
    reviewer = get_user_model().objects.filter(is_superuser=True).first()

    old = make_declaration(name=OLD_APPLICATION, submitted_at=days_ago(12))
    make_declaration(name=NEW_APPLICATION, submitted_at=now)
    published = make_declaration(Status.PUBLISHED, name=CHANGE_REQUEST, submitted_at=days_ago(400))
    ChangeRequest.objects.create(declaration=published, values={"name": CHANGE_REQUEST}, submitted_at=days_ago(3))
    awaiting = make_declaration(name=AWAITING_CORRECTION, submitted_at=days_ago(5))
    awaiting.request_changes(by=reviewer, message="ふりがなを確認してください。")
    expired = make_declaration(name=EXPIRED_CORRECTION, submitted_at=days_ago(30))
    expired.request_changes(by=reviewer, message="宣言内容を具体的にしてください。")
    Declaration.objects.filter(pk=expired.pk).update(correction_expires_at=days_ago(2))

    event = make_open_event(capacity=3, days_ahead=20, slug="dashboard-forum")  # titled EVENT_TITLE
    submit(event, 2, accommodations=["sign_language", "wheelchair"])
    submit(event, 1, accommodations=["captioning"])
    submit(event, 2, accommodations=["sign_language"])  # no room left: waits

    training = publish(home, SectionPage(title=FEEDBACK_PAGE, slug="training-report"))
    scheduled = publish(home, SectionPage(title=SCHEDULED_PAGE, slug="next-year-training"))
    scheduled.go_live_at = now + datetime.timedelta(days=3)
    scheduled.save_revision().publish()
    stale = publish(home, SectionPage(title=STALE_PAGE, slug="old-survey-results"))
    SectionPage.objects.filter(pk=stale.pk).update(first_published_at=days_ago(4000), last_published_at=days_ago(4000))

    Feedback.record(target=target_for_page(training), rating=Rating.HELPFUL, comment="日程がわかりやすかったです。")
    Feedback.record(target=target_for_page(training), rating=Rating.NOT_HELPFUL)
    older = Feedback.record(target=target_for_page(training), rating=Rating.NEUTRAL)
    Feedback.objects.filter(pk=older.pk).update(created_at=days_ago(20))
    return {"old": old, "event": event, "scheduled": scheduled, "stale": stale}

"""Query budget of the admin dashboard (issue 23): the same small number of queries with a handful of
applications as with 10,000, with feedback, event applications and 変更申請 in proportion. Counts differ
between SQLite and PostgreSQL only if a panel goes wrong, so the module runs on both."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from declarations.models import ChangeRequest, Declaration, Municipality, OrganisationType, Status
from declarations.tests.factories import make_moderator
from pages.event_applications.models import EventApplication
from pages.event_applications.models import Status as ApplicationState
from pages.feedback.models import Feedback, Rating
from tests import dashboard_data

pytestmark = pytest.mark.database

# Everything the page runs for a superuser: the session, user and second factor, Wagtail's summary and its
# own panels (about 20), and the site's five panels (12: two or three each). Measured: 32 on SQLite.
BUDGET = 34
LARGE = 10_000
STATES = [Status.PENDING, Status.CHANGES_REQUESTED, Status.PUBLISHED, Status.PUBLISHED, Status.REJECTED]


def add_declarations(count):
    municipalities = list(Municipality.objects.all())
    now = timezone.now()
    rows = Declaration.objects.bulk_create(
        Declaration(
            reference_number=f"D-{number:06d}",
            name=f"株式会社予算{number}",
            name_kana=f"よさん{number}",
            organisation_type=OrganisationType.COMPANY,
            municipality=municipalities[number % len(municipalities)],
            representative_title="代表",
            representative_name="高知 花子",
            content="地域の見守り活動に参加します。",
            status=STATES[number % len(STATES)],
            submitted_at=now - datetime.timedelta(minutes=number),
            correction_expires_at=(
                now + datetime.timedelta(days=(number % 20) - 6)
                if STATES[number % len(STATES)] == Status.CHANGES_REQUESTED
                else None
            ),
            declared_on=datetime.date(2024, 4, 1),
        )
        for number in range(count)
    )
    ChangeRequest.objects.bulk_create(
        ChangeRequest(declaration=row, values={})
        for row in rows[2::50]  # published ones
    )


def add_feedback_and_applications(event, count):
    page = event.get_parent()
    Feedback.objects.bulk_create(
        Feedback(
            page=page,
            page_url=f"/page-{number % 40}/",
            page_title=f"ページ{number % 40}",
            rating=list(Rating)[number % 3],
        )
        for number in range(count)
    )
    EventApplication.objects.bulk_create(
        EventApplication(
            event=event,
            reference_number=f"EV-B{number:05d}",
            status=ApplicationState.WAITING,
            name="予算 太郎",
            name_kana="よさん たろう",
            email="yosan@example.jp",
            phone="088-000-0000",
            attendance="venue",
            accommodations=["sign_language"] if number % 7 == 0 else [],
        )
        for number in range(count // 10)
    )


class DashboardQueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("kanri", "kanri@pref.example.jp", "pw")
        cls.reviewer = make_moderator("budget-reviewer")
        cls.made = dashboard_data.fill_every_panel()

    def count_queries(self, user):
        self.client.force_login(user)
        self.client.get("/admin/")  # content types and settings cached, as on a running process
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        listing = "\n".join(query["sql"][:160] for query in queries.captured_queries)
        return len(queries), listing, response.content.decode()

    def test_the_dashboard_runs_the_same_few_queries_at_10000_declarations(self):
        small = {user.pk: self.count_queries(user) for user in (self.admin, self.reviewer)}
        add_declarations(LARGE)
        add_feedback_and_applications(self.made["event"], LARGE)
        for user in (self.admin, self.reviewer):
            count, listing, html = self.count_queries(user)
            print(f"dashboard for {user.get_username()}: {small[user.pk][0]} queries small, {count} at {LARGE:,}")
            self.assertLessEqual(count, BUDGET, listing)
            self.assertEqual(count, small[user.pk][0], listing)
            self.assertIn(
                "審査待ち（新規申請） 2,002",
                " ".join(html.split()).replace("</span>", "").replace('<span class="w-font-bold">', ""),
            )

"""Query budgets for uncached renders of the public pages (issue 11).

The site as `load_initial_content` builds it (its sample images and PDFs, the 70 founding declarants), plus
events coming up and past, an event and a section page whose bodies hold images (with renditions already
made, as on a running site), files and a page link, subpages, and a register of 30 and then 300 entries.
The full-page cache is switched off (PAGE_CACHE_ENABLED), so each count is what a cache miss costs; each
page is asked once first, as on a running process (the content types are then cached).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from declarations.models import ActivityArea, Declaration, Municipality, OrganisationType, Status
from pages.models import EventIndexPage, EventPage, SectionPage
from pages.search import indexing
from pages.tests.factories import make_document, make_image

pytestmark = pytest.mark.database

# Each includes one query for the language switcher and the hreflang links: the page's live translations
# (on a view that is not a page, the home page's), with their locales and view restrictions (pages/languages.py).
BUDGETS = {"home": 9, "section": 9, "register": 9, "detail": 6, "event": 7}
# Cheap to keep where they are today: fail if a change makes them grow.
# The search reads the staff's synonyms and best bets, one query each.
OTHER_PAGES = {"pamphlets": 6, "event list": 6, "policy": 5, "accessibility": 6, "search": 11}


def add_declarations(count, start=0):
    municipalities = list(Municipality.objects.all())
    areas = list(ActivityArea.objects.all()[:3])
    rows = Declaration.objects.bulk_create(
        Declaration(
            reference_number=f"Q-{number:06d}",
            name=f"株式会社予算{number}",
            name_kana=f"よさん{number}",
            organisation_type=OrganisationType.COMPANY,
            municipality=municipalities[number % len(municipalities)],
            representative_title="代表",
            representative_name="高知 花子",
            content="地域の見守り活動に参加します。",
            status=Status.PUBLISHED,
            declared_on=datetime.date(2024, 4, 1),
        )
        for number in range(start, start + count)
    )
    Through = Declaration.areas.through
    Through.objects.bulk_create(
        Through(declaration_id=row.pk, activityarea_id=area.pk) for row in rows for area in areas
    )
    # The register's keyword box reads the site search's index (one rule for both), which bulk_create
    # bypasses: index them as approval would.
    for row in rows:
        indexing.index_object(row)
    return rows


def body_with_media(image, document, page):
    return [
        {"type": "paragraph", "value": "<p>会場の様子です。</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "会場の様子", "decorative": False, "caption": ""}},
        {"type": "image", "value": {"image": image.pk, "alt_text": "", "decorative": True, "caption": "飾り"}},
        {"type": "document", "value": {"document": document.pk, "title": ""}},
        {"type": "link", "value": {"text": "推進宣言について", "page": page.pk, "url": ""}},
    ]


@override_settings(PAGE_CACHE_ENABLED=False)
class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_initial_content", stdout=io.StringIO())
        image = make_image("会場の写真")
        document = make_document("当日の資料")
        declaration_page = Page.objects.get(url_path="/home/declaration/")
        index = EventIndexPage.objects.get()
        today = timezone.localdate()
        for number in range(5):
            event = EventPage(
                title=f"研修会{number}",
                slug=f"training-{number}",
                start_date=today + datetime.timedelta(days=10 * (number + 1)),
                start_time=datetime.time(13, 30),
                venue="高知県立県民文化ホール",
                introduction="どなたでも参加できます。",
                body=body_with_media(image, document, declaration_page),
            )
            index.add_child(instance=event)
            event.save_revision().publish()
        section = SectionPage.objects.get(url_path="/home/training/")
        section.body = list(section.body.raw_data) + body_with_media(image, document, declaration_page)
        section.save_revision().publish()
        for number in range(3):
            section.add_child(instance=SectionPage(title=f"研修の記録{number}", slug=f"record-{number}"))
        cls.declarations = add_declarations(30)
        # Renditions are made on the first view of an image; a running site has them already.
        for picture in get_image_model().objects.all():
            picture.get_renditions("width-480", "width-960")

    def assert_budget(self, url, budget, params=None):
        self.client.get(url, params)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        listing = "\n".join(query["sql"][:200] for query in queries.captured_queries)
        self.assertLessEqual(len(queries), budget, f"{url} {params or ''} ran {len(queries)} queries:\n{listing}")
        return response

    def test_home(self):
        response = self.assert_budget("/", BUDGETS["home"])
        self.assertContains(response, "研修会0")  # the upcoming events are on it

    def test_home_with_nothing_planned(self):
        EventPage.objects.filter(title__startswith="研修会").delete()
        response = self.assert_budget("/", BUDGETS["home"])
        self.assertContains(response, "最近の行事")

    def test_section_pages(self):
        for url in ["/declaration/", "/symbol-mark/", "/training/", "/grants/", "/surveys/"]:
            with self.subTest(url=url):
                self.assert_budget(url, BUDGETS["section"])

    def test_section_page_with_images_files_links_and_subpages(self):
        response = self.assert_budget("/training/", BUDGETS["section"])
        self.assertContains(response, "研修の記録2")
        self.assertContains(response, 'alt="会場の様子"')

    def test_a_section_page_below_a_section_page(self):
        self.assert_budget("/training/record-1/", BUDGETS["section"])

    def test_event_pages(self):
        for url in ["/events/training-0/", "/events/festa-2023/", "/events/forum-2022/"]:
            with self.subTest(url=url):
                self.assert_budget(url, BUDGETS["event"])

    def test_register_at_30_and_300_entries_with_filters_and_pages(self):
        municipality = Municipality.objects.get(name="高知市")
        area = ActivityArea.objects.first()
        cases = [
            {},
            {"page": 2},
            {"sort": "new", "page": 3},
            {"q": "予算"},
            {"municipality": municipality.pk, "area": area.pk, "type": OrganisationType.COMPANY},
            {"q": "予算", "sort": "new", "page": 2},
            {"q": "予算", "municipality": municipality.pk},
            {"municipality": "９９９９"},  # not in the list: ignored
        ]
        for size in (30, 300):
            if size == 300:
                add_declarations(270, start=30)
            for params in cases:
                with self.subTest(size=size, params=params):
                    # A keyword also reads the staff's synonyms (the one rule site search uses).
                    budget = BUDGETS["register"] + ("q" in params)
                    self.assert_budget("/declarations/", budget, params)

    def test_declaration_detail(self):
        response = self.assert_budget(f"/declarations/{self.declarations[3].pk}/", BUDGETS["detail"])
        self.assertContains(response, "株式会社予算3")

    def test_other_pages_stay_cheap(self):
        urls = {
            "pamphlets": "/pamphlets/",
            "event list": "/events/",
            "policy": "/privacy/",
            "accessibility": "/accessibility/",
            "search": "/search/?q=共生",
        }
        for name, url in urls.items():
            with self.subTest(page=name):
                self.assert_budget(url, OTHER_PAGES[name])

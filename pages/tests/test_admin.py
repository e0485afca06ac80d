import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from pages.accessibility.models import AccessibilityPolicyPage
from pages.models import EventIndexPage, EventPage, HomePage, Pamphlet, PamphletIndexPage, PolicyPage, SectionPage
from pages.news.models import ArticleIndexPage, ArticlePage
from pages.templatetags.kyosei_tags import wareki

from .factories import make_document, make_event_index, make_image, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.jp", "pass-for-tests-only")
    client.force_login(user)
    return client


@pytest.fixture
def section(home):
    return publish(home, SectionPage(title="研修", slug="training"))


def edit_form_data(page, body, action="action-publish"):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "introduction": "",
            "body": streamfield(body),
            "seo_title": "",
            "search_description": "",
        }
    )
    data[action] = "action-publish"
    return data


def test_the_admin_speaks_japanese(editor_client, section):
    response = editor_client.get(f"/admin/pages/{section.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja"' in html
    assert "下書きを保存" in html
    assert "リード文" in html and "本文" in html


def test_the_home_page_editor_shows_the_pillars_and_hub_fields(editor_client, home):
    html = editor_client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert "2本柱" in html and "拠点の説明" in html


def test_the_contact_setting_is_editable_in_japanese(editor_client, home):
    site = Site.objects.get(is_default_site=True)
    html = editor_client.get(f"/admin/settings/pages/contactsettings/{site.pk}/").content.decode()
    assert "お問い合わせ先" in html
    assert "担当部署" in html and "郵便番号" in html and "ファックス" in html


def test_an_editor_cannot_publish_an_image_without_alt_text(editor_client, section):
    image = make_image()
    body = [("image", {"image": image.pk, "alt_text": "", "decorative": "", "caption": ""})]
    response = editor_client.post(f"/admin/pages/{section.pk}/edit/", edit_form_data(section, body))
    assert response.status_code == 200  # the form comes back with errors instead of redirecting
    errors = response.context["form"].errors["body"].as_data()[0]
    image_errors = errors.block_errors[0].block_errors
    assert "代替テキストを入力するか" in str(image_errors["alt_text"])
    section.refresh_from_db()
    assert not section.specific.body


def test_an_editor_can_publish_a_decorative_image_or_one_with_alt_text(editor_client, section):
    image = make_image()
    body = [
        ("image", {"image": image.pk, "alt_text": "研修の様子", "decorative": "", "caption": ""}),
        ("image", {"image": image.pk, "alt_text": "", "decorative": "on", "caption": ""}),
        ("paragraph", rich_text("<p>研修の受講については、お問い合わせください。</p>")),
    ]
    response = editor_client.post(f"/admin/pages/{section.pk}/edit/", edit_form_data(section, body))
    assert response.status_code == 302
    section = SectionPage.objects.get(pk=section.pk)
    assert [block.block_type for block in section.body] == ["image", "image", "paragraph"]


def test_staff_publish_an_event_from_the_admin_and_it_is_listed_as_upcoming(editor_client, home):
    index = make_event_index(home)
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    data = nested_form_data(
        {
            "title": "地域共生社会セミナー",
            "slug": "seminar",
            "introduction": "支え合いの地域づくりを学びます。",
            "start_date": next_month.isoformat(),
            "start_time": "13:30",
            "end_date": "",
            "end_time": "16:00",
            "venue": "高知県庁",
            "venue_address": "",
            "body": streamfield([]),
            "application_status": "none",
            "application_capacity": "",
            "application_deadline": "",
            "attendance_modes": "venue",
            "application_questions": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "action-publish": "action-publish",
        }
    )
    response = editor_client.post(f"/admin/pages/add/pages/eventpage/{index.pk}/", data)
    assert response.status_code == 302
    html = editor_client.get("/events/").content.decode()
    upcoming = html[html.index("これからの行事") : html.index("終了した行事")]
    assert "地域共生社会セミナー" in upcoming
    assert f"{wareki(next_month, 'weekday')} 13:30</time>～16:00" in upcoming


def test_a_pamphlet_cover_without_alt_text_is_refused_in_the_admin(editor_client, home):
    pamphlets = publish(home, PamphletIndexPage(title="パンフレット等", slug="pamphlets"))
    pamphlet = {
        "title": "高知家地域共生社会リーフレット",
        "created_on": "2022-10-01",
        "description": "",
        "document": str(make_document().pk),
        "cover_image": str(make_image().pk),
        "cover_alt_text": "",
    }
    data = nested_form_data(
        {
            "title": pamphlets.title,
            "slug": pamphlets.slug,
            "introduction": "",
            "pamphlets": inline_formset([pamphlet]),
            "seo_title": "",
            "search_description": "",
            "action-publish": "action-publish",
        }
    )
    response = editor_client.post(f"/admin/pages/{pamphlets.pk}/edit/", data)
    assert response.status_code == 200
    assert not Pamphlet.objects.exists()

    data["pamphlets-0-cover_alt_text"] = "「高知家地域共生社会リーフレット」の表紙"
    response = editor_client.post(f"/admin/pages/{pamphlets.pk}/edit/", data)
    assert response.status_code == 302
    assert 'alt="「高知家地域共生社会リーフレット」の表紙"' in editor_client.get("/pamphlets/").content.decode()


class SeededPagesInTheEditorTests(WagtailPageTestCase):
    """Every page the initial content builds opens in the editor and obeys the editors' rules."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_initial_content", stdout=io.StringIO())

    def seeded_pages(self):
        pages = Page.objects.type(HomePage, SectionPage, PamphletIndexPage, EventIndexPage, EventPage).specific()
        # 12 in Japanese (with 高知型地域共生社会とは, /about/, and the guide, /declaration/guide/), and the English
        # and やさしい日本語 samples of the top page, /about/, /declaration/ and the guide
        # (pages/data/translations.toml).
        self.assertEqual(len(pages), 20)
        return pages

    def test_every_seeded_page_opens_in_the_editor_and_renders(self):
        self.client.force_login(
            self.create_test_user()
        )  # django-axes needs the request that client.login() does not pass
        for page in self.seeded_pages():
            with self.subTest(page=page.title):
                self.assertEqual(self.client.get(f"/admin/pages/{page.pk}/edit/").status_code, 200)
                self.assertPageIsRenderable(page)

    def test_seeded_content_passes_the_same_validation_as_the_editor(self):
        for page in self.seeded_pages():
            with self.subTest(page=page.title):
                page.full_clean()
                for field in page._meta.get_fields():
                    if isinstance(field, StreamField):
                        field.stream_block.clean(getattr(page, field.name))
                for pamphlet in getattr(page, "pamphlets", Pamphlet.objects.none()).all():
                    pamphlet.full_clean()

    def test_page_types_only_go_where_they_belong(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedSubpageTypes(
            HomePage,
            {SectionPage, PamphletIndexPage, EventIndexPage, AccessibilityPolicyPage, PolicyPage, ArticleIndexPage},
        )
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertCanNotCreateAt(EventIndexPage, SectionPage)

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from pages.models import SectionPage

from .factories import make_image, publish

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

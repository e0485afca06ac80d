"""プライバシーポリシー and サイトポリシー: built from the initial content, with the facts the site keeps."""

import json

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from pages.models import OPEN_DATA_LICENCES, ContactSettings, OpenDataSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_content():
    call_command("load_initial_content", stdout=open("/dev/null", "w"))


@override_settings(DECLARATIONS_RETENTION_DAYS=400, SESSION_COOKIE_NAME="kk_session", CSRF_COOKIE_NAME="kk_csrf")
def test_the_privacy_policy_shows_what_the_site_keeps_and_for_how_long(client, site_content):
    contact = ContactSettings.for_site(Site.objects.get(is_default_site=True))
    contact.department = "高知県 テスト部 テスト課"
    contact.save()
    html = client.get("/privacy/").content.decode()
    assert "高知県 テスト部 テスト課が取り扱います" in html
    # The form's private fields by the names applicants see, and the public ones.
    for label in ("担当者氏名", "メールアドレス", "電話番号", "宣言の内容"):
        assert label in html
    assert "決定から400日を過ぎたものを自動で削除します" in html
    assert "お送りしてから14日で使えなくなります" in html
    assert "<code>kk_session</code>" in html and "<code>kk_csrf</code>" in html
    assert "ほかのサイトのスクリプト" in html


def test_every_page_links_both_policies_in_its_footer_and_the_form_links_the_privacy_policy(client, site_content):
    for path in ("/", "/declarations/", "/declarations/apply/", "/privacy/"):
        html = client.get(path).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        assert '<a href="/privacy/">プライバシーポリシー</a>' in footer, path
        assert '<a href="/site-policy/">サイトポリシー</a>' in footer, path
    form = client.get("/declarations/apply/").content.decode()
    consent = form[form.index("同意・誓約") : form.index("</fieldset>", form.index("同意・誓約"))]
    assert 'href="/privacy/"' in consent


def test_the_open_data_states_the_licence_staff_chose(client, site_content):
    site_policy = client.get("/site-policy/").content.decode()
    default = OPEN_DATA_LICENCES["gov-standard-2.0"]
    assert default.name in site_policy and "文字の大きさを変えるには" in site_policy

    settings = OpenDataSettings.for_site(Site.objects.get(is_default_site=True))
    settings.licence = "cc-by-4.0"
    settings.save()
    chosen = OPEN_DATA_LICENCES["cc-by-4.0"]
    for path in ("/declarations/register.csv", "/declarations/register.json"):
        response = client.get(path)
        assert response["Link"] == f'<{chosen.url}>; rel="license"', path
    document = json.loads(client.get("/declarations/register.json").content)
    assert document["license"] == {"name": chosen.name, "url": chosen.url}
    register = client.get("/declarations/").content.decode()
    assert f'<a href="{chosen.url}">{chosen.name}</a>' in register
    assert f'<a href="{chosen.url}">{chosen.name}</a>' in client.get("/site-policy/").content.decode()


def test_loading_the_initial_content_again_keeps_staff_edits_of_the_policies(site_content):
    from pages.models import PolicyPage

    page = PolicyPage.objects.get(slug="privacy")
    page.title = "個人情報の取扱い"
    page.save_revision().publish()
    call_command("load_initial_content", stdout=open("/dev/null", "w"))
    assert PolicyPage.objects.get(slug="privacy").title == "個人情報の取扱い"
    assert PolicyPage.objects.count() == 2

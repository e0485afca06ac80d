"""In Chromium: staff record a manual check of a success criterion in the admin (signed in with the second
factor), and the public ウェブアクセシビリティ方針 page shows it with the day and 「県職員」, never the name."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.era import format_date
from pages.accessibility.models import CriterionCheck

from .staff import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser


def test_staff_record_a_manual_check_and_the_public_page_shows_it(browser, page, site_url, axe):
    user = get_user_model().objects.create_superuser(
        "a11y-checker", "a11y@pref.example.jp", PASSWORD, first_name="花子", last_name="確認"
    )
    log_in_to_admin(page, site_url, user)

    page.goto(site_url + "/admin/accessibility-checks/new/")
    page.get_by_label("達成基準").select_option(label="2.4.7 フォーカスの可視化（AA）")
    page.get_by_label("結果").select_option(label="適合")
    page.get_by_label("確認したページ").fill("/\n/declarations/apply/")
    page.get_by_label("備考").fill("Tab キーで全リンクとボタンのフォーカス枠を確認しました。")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_url(site_url + "/admin/accessibility-checks/")

    check = CriterionCheck.objects.get()
    assert check.checked_by == user and check.checked_on == timezone.localdate()

    public = browser.new_context(locale="ja-JP").new_page()
    public.goto(site_url + "/accessibility/")
    row = public.locator("#criterion-2\\.4\\.7")
    text = row.inner_text()
    assert f"人による確認：適合（{format_date(timezone.localdate())}、県職員）" in text
    assert "確認したページ：/、/declarations/apply/" in text
    assert "フォーカス枠を確認しました" in text
    body = public.locator("body").inner_text()
    assert "a11y-checker" not in body and "花子" not in body
    axe(public)
    public.context.close()

"""In Chromium: staff record manual checks of success criteria in the admin (signed in with the second
factor), one record through the form and every criterion through the checklist to its last button, and the
public ウェブアクセシビリティ方針 page shows them with the day and 「県職員」, never the name."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.era import format_date
from pages.accessibility.conformance import Result, manual_criteria
from pages.accessibility.models import AccessibilityPolicyPage, CriterionCheck
from pages.accessibility.results import load_results

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


# The walk's conclusions: 3.1.2 (一部分の言語) has nothing in another language, 2.4.7 is found wanting.
NOT_APPLICABLE, FAILING = "3.1.2", "2.4.7"


def test_staff_walk_the_checklist_to_its_last_button_and_the_public_page_shows_every_result(
    browser, page, site_url, axe, tmp_path
):
    user = get_user_model().objects.create_superuser(
        "a11y-walker", "walker@pref.example.jp", PASSWORD, first_name="一郎", last_name="点検"
    )
    criteria = manual_criteria("AA")
    log_in_to_admin(page, site_url, user)

    page.get_by_role("link", name="アクセシビリティの確認").click()
    page.wait_for_url(site_url + "/admin/accessibility-checks/checklist/")
    # The module's first test recorded one criterion already; the walk starts at the first without a record.
    done_before = len(CriterionCheck.objects.latest_by_criterion())
    assert f"記録済み：{done_before}項目／{len(criteria)}項目" in page.locator("main").inner_text()
    page.get_by_role("link", name="続きから確認する" if done_before else "確認を始める").first.click()

    for position, criterion in enumerate(criteria, start=1):
        page.wait_for_url(f"{site_url}/admin/accessibility-checks/checklist/{criterion.number}/")
        main = page.locator("main")
        assert f"{len(criteria)}項目中{position}項目め" in main.inner_text()
        assert criterion.manual in main.inner_text()
        if position == 1:
            page.screenshot(path=tmp_path / "checklist-step.png", full_page=True)
            # The sample's pages open on the public site.
            assert main.get_by_role("link", name="トップページ（/）（新しいタブで開きます）").count() == 1
        if criterion.number == NOT_APPLICABLE:
            page.get_by_label("該当なし（対象のコンテンツがない）").check()
            page.get_by_label("備考").fill("日本語以外の語句を含むページはありませんでした。")
        elif criterion.number == FAILING:
            page.get_by_label("不適合", exact=True).check()
            page.get_by_label("備考").fill("検索ボタンのフォーカス枠が見えにくい。次の改修で直します。")
        else:
            page.get_by_label("適合", exact=True).check()
        last = position == len(criteria)
        page.get_by_role("button", name="記録して終える" if last else "記録して次へ").click()

    page.wait_for_url(site_url + "/admin/accessibility-checks/checklist/")
    text = page.locator("main").inner_text()
    assert f"記録済み：{len(criteria)}項目／{len(criteria)}項目" in text
    assert "チェックリストの最後の項目です。" in page.locator("body").inner_text()
    page.screenshot(path=tmp_path / "checklist-done.png", full_page=True)
    assert CriterionCheck.objects.filter(checked_by=user).count() == len(criteria)

    public = browser.new_context(locale="ja-JP").new_page()
    public.goto(site_url + "/accessibility/")
    statement = AccessibilityPolicyPage.objects.get().statement(load_results())
    assert all(row.manual != Result.UNVERIFIED for row in statement.rows if row.criterion.manual)
    counts = statement.counts
    summary = public.locator("#conformance-heading ~ p").last.inner_text()
    assert (
        f"適合{counts['pass']}項目、不適合1項目、未確認{counts['unverified']}項目、非適用{counts['na']}項目" in summary
    )
    assert counts["unverified"] < len(criteria)
    not_applicable = public.locator(f"#criterion-{NOT_APPLICABLE.replace('.', chr(92) + '.')}").inner_text()
    assert f"人による確認：非適用（{format_date(timezone.localdate())}、県職員）" in not_applicable
    assert not_applicable.strip().endswith("非適用")
    failing = public.locator(f"#criterion-{FAILING.replace('.', chr(92) + '.')}").inner_text()
    assert "フォーカス枠が見えにくい" in failing and failing.strip().endswith("不適合")
    body = public.locator("body").inner_text()
    assert "a11y-walker" not in body and "点検" not in body
    axe(public)
    public.context.close()

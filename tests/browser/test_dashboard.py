"""In Chromium: a member of staff signs in (with the second factor) and finds on the dashboard everything that
waits, each panel with its counts and oldest items; from it, the queue shows the application waiting for the
applicant's correction by default, and again through the 状態 filter."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import dashboard_data as data

from .staff import PASSWORD, log_in_to_admin

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/kk-dashboard.png"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("dashboard-staff", "staff@pref.example.jp", PASSWORD)


def test_the_dashboard_shows_every_panel_and_leads_to_the_queue_with_the_correction_pending(page, site_url, staff, axe):
    data.fill_every_panel()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_to_admin(page, site_url, staff)

    declarations = page.get_by_role("region", name="推進宣言の審査")
    expect(declarations).to_contain_text("審査待ち（新規申請） 2件")
    expect(declarations).to_contain_text("修正待ち 2件")
    expect(declarations).to_contain_text("変更申請 1件")
    expect(declarations.get_by_role("row").nth(1)).to_contain_text(data.OLD_APPLICATION)
    expect(declarations).to_contain_text("修正待ち（リンク期限切れ）")

    events = page.get_by_role("region", name="今後の行事と参加申込み")
    expect(events).to_contain_text("手話通訳 2件")
    expect(events.get_by_role("row", name=re.compile(data.EVENT_TITLE))).to_contain_text("3人／定員3人")

    expect(page.get_by_role("region", name="公開予約中のページ")).to_contain_text(data.SCHEDULED_PAGE)
    expect(page.get_by_role("region", name="1年以上更新していないページ")).to_contain_text(data.STALE_PAGE)
    feedback = page.get_by_role("region", name="この7日間のページへのご意見")
    expect(feedback).to_contain_text(data.FEEDBACK_PAGE)
    expect(feedback).to_contain_text("ご意見 2件")
    axe(page)
    # The admin scrolls inside its own frame: a tall window shows every panel in one picture to look at.
    page.set_viewport_size({"width": 1280, "height": 3000})
    page.screenshot(path=SCREENSHOT)
    page.set_viewport_size({"width": 1280, "height": 800})

    # The queue's default view lists the application that waits for the applicant, with its own state.
    declarations.get_by_role("link", name="審査待ち・修正待ちの一覧へ").click()
    page.wait_for_url(site_url + "/admin/declarations/")
    results = page.locator("#listing-results")
    expect(results).to_contain_text("5件")
    awaiting = results.get_by_role("row", name=re.compile(data.AWAITING_CORRECTION))
    expect(awaiting).to_contain_text("修正待ち")
    expect(results.get_by_role("row", name=re.compile(data.EXPIRED_CORRECTION))).to_contain_text(
        "修正待ち（リンク期限切れ）"
    )
    expect(results).not_to_contain_text("審査待ちの申請はありません")

    # And through the 状態 filter: only what waits for the applicant.
    page.get_by_role("button", name="フィルターを表示").click()
    page.get_by_role("button", name=re.compile("^状態")).click()
    page.get_by_label("状態").select_option(label="修正待ち")
    page.wait_for_url(re.compile(r"status=changes_requested"))
    expect(results).to_contain_text("2件")
    expect(results).to_contain_text(data.AWAITING_CORRECTION)
    expect(results).not_to_contain_text(data.OLD_APPLICATION)

"""A correction from start to finish in Debian's Chromium, under the production middleware and headers.

An applicant applies through the public form, a reviewer asks for a change in the Wagtail admin, the
applicant opens the link from the mail, changes a field and sends it again, the reviewer sees what
changed and approves, and the change is on the public register. The test client cannot prove this:
it sends no Origin header and obeys no Referrer-Policy, which is exactly what broke resubmission.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from declarations.models import Declaration, OutboundEmail, Status
from declarations.tests.factories import make_moderator
from tests.browser.staff import log_in_to_admin

from .applicant import apply_through_the_form

pytestmark = pytest.mark.browser

ORGANISATION = "株式会社なおし工房"
OLD_CONTENT = "地域の清掃活動に社員が参加します。"
NEW_CONTENT = "地域の清掃活動と、高齢の方への声かけに社員が参加します。"
STAFF_MESSAGE = "宣言内容に、具体的な取組をもう一つ書き加えてください。"


def correction_path_from_mail(declaration):
    """The path of the private link in the 修正依頼 mail the site wrote (and sent) to the applicant."""
    email = OutboundEmail.objects.filter(declaration=declaration, to=declaration.email).latest("created_at")
    assert email.sent_at is not None
    assert STAFF_MESSAGE in email.body
    link = re.search(r"https?://\S+/declarations/correction/\S+/", email.body).group(0)
    return urlsplit(link).path


def test_a_correction_is_resubmitted_reviewed_approved_and_published(page, site_url, browser):
    reference = apply_through_the_form(page, site_url, ORGANISATION, OLD_CONTENT, "hanako@naoshi.example.jp")
    declaration = Declaration.objects.get(reference_number=reference)

    reviewer = make_moderator("correction-reviewer")
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(15_000)
    admin = context.new_page()
    try:
        log_in_to_admin(admin, site_url, reviewer)
        admin.goto(f"{site_url}/admin/declarations/{declaration.pk}/")
        admin.get_by_role("link", name="修正を依頼する").click()
        admin.get_by_label("修正してほしい点").fill(STAFF_MESSAGE)
        admin.get_by_role("button", name="修正を依頼する").click()
        admin.wait_for_url(site_url + "/admin/declarations/")
        expect(admin.locator("body")).to_contain_text(f"「{ORGANISATION}」の申請者に修正を依頼しました。")

        # The applicant opens the link from the mail in their own browser.
        response = page.goto(site_url + correction_path_from_mail(declaration))
        # Links to other sites get no Referer (the token is in this page's address), while posts to
        # this site still carry the page's origin, which the CSRF check compares with the host.
        assert response.headers["referrer-policy"] == "same-origin"
        expect(page.locator("main")).to_contain_text(STAFF_MESSAGE)
        page.fill("#id_content", NEW_CONTENT)
        origins = []
        page.on("request", lambda request: request.method == "POST" and origins.append(request.headers.get("origin")))
        page.get_by_role("button", name="修正して再申請する").click()
        page.wait_for_url("**/declarations/correction/done/")
        assert origins == [site_url]
        expect(page.locator("h1")).to_have_text("修正を受け付けました")
        expect(page.locator("main")).to_contain_text(reference)
        declaration.refresh_from_db()
        assert declaration.status == Status.PENDING
        assert declaration.content == NEW_CONTENT

        # The reviewer sees what the applicant changed, then approves.
        admin.goto(f"{site_url}/admin/declarations/{declaration.pk}/")
        changes = admin.get_by_role("region", name="申請者が修正した項目")
        expect(changes).to_contain_text("宣言内容")
        expect(changes).to_contain_text(OLD_CONTENT)
        expect(changes).to_contain_text(NEW_CONTENT)
        expect(changes).not_to_contain_text("企業・団体名")  # unchanged fields are not listed
        admin.get_by_role("link", name="承認する").click()
        admin.get_by_role("button", name="承認する").click()
        admin.wait_for_url(site_url + "/admin/declarations/")
        expect(admin.locator("body")).to_contain_text(f"「{ORGANISATION}」を承認し、一覧に掲載しました。")
        admin.wait_for_load_state("networkidle")
    finally:
        context.close()

    page.goto(f"{site_url}/declarations/{declaration.pk}/")
    expect(page.locator("h1")).to_have_text(ORGANISATION)
    expect(page.locator("main")).to_contain_text(NEW_CONTENT)
    expect(page.locator("main")).not_to_contain_text(OLD_CONTENT)
    page.wait_for_load_state("networkidle")

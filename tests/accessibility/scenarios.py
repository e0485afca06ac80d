"""Every page type and state the accessibility checks visit, and how a browser reaches each one.

Shared by the browser tests, `make accessibility-report` and `make screenshots`. Each scenario opens
its page in a Playwright page against a running site whose database this process can also reach
(the live test server, or the throw-away server of the tools). Import it once Django is set up:
the register's addresses come from reverse(); the CMS pages' from the slugs the initial content gives.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from declarations.models import Declaration
from pages.event_applications.models import ApplicationEmail
from pages.models import ApplicationStatus, EventPage

REGISTER = reverse("declarations:register")
APPLY = reverse("declarations:apply")
APPLY_CONFIRM = reverse("declarations:apply_confirm")
APPLY_COMPLETE = reverse("declarations:apply_complete")
SEARCH = reverse("search")
CENTRES = reverse("centres:list")
# A （見本） centre the initial content loads (pages/centres/data/sample-centres.csv).
SAMPLE_CENTRE = reverse("centres:detail", args=["sample-02"])
SITE_MAP = reverse("site_map")
FEEDBACK = reverse("feedback:submit")
FEEDBACK_THANKS = reverse("feedback:thanks")
# The article list and a sample article of the 取組紹介 series (pages/news/data/sample_articles.toml).
NEWS = "/news/"
SERIES_ARTICLE_TITLE = "（見本）見守りのネットワークづくり（前編）"

# What an applicant types; a fictional company (product rule: fictional companies only).
APPLICATION_TEXT = {
    "name": "株式会社みほん共生商事",
    "name_kana": "かぶしきがいしゃみほんきょうせいしょうじ",
    "representative_title": "代表取締役",
    "representative_name": "見本太郎",
    "content": "店頭での見守りと声かけを続け、地域の居場所づくりに協力します。",
    "postal_code": "780-8570",
    "address": "高知市丸ノ内1丁目2番20号",
    "contact_department": "総務部",
    "contact_name": "見本花子",
    "phone": "088-823-0000",
    "email": "hanako@example.jp",
    "email_confirm": "hanako@example.jp",
}
APPLICATION_SELECTS = ["organisation_type", "industry", "municipality"]
APPLICATION_CHECKBOXES = ["agree_privacy", "agree_publication", "pledge_not_antisocial"]


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str  # as shown in the results table on the policy page
    path: str  # where it starts, shown in the results table
    open: Callable  # open(page, base_url): brings the page to the state to check


def visit(path):
    def open_page(page, base_url):
        page.goto(base_url + path)

    return open_page


def first_event(page, base_url):
    page.goto(base_url + "/events/")
    page.locator("main .event-summary a").first.click()
    page.wait_for_load_state()


def register_filtered(page, base_url):
    page.goto(base_url + REGISTER)
    page.get_by_label("所在市町村").select_option(label="高知市")
    page.get_by_role("button", name="この条件で表示する").click()
    page.wait_for_load_state()


def news_filtered(page, base_url):
    page.goto(base_url + NEWS)
    page.get_by_label("分類").select_option(label="取組紹介")
    page.get_by_role("button", name="この条件で表示する").click()
    page.wait_for_load_state()


def series_article(page, base_url):
    """An article in the middle of a series, with links to its neighbours and its other part."""
    page.goto(base_url + NEWS)
    page.get_by_role("link", name=SERIES_ARTICLE_TITLE).click()
    page.wait_for_load_state()


def first_declaration(page, base_url):
    page.goto(base_url + REGISTER)
    page.locator("main table tbody a").first.click()
    page.wait_for_load_state()


def centres_filtered(page, base_url):
    page.goto(base_url + CENTRES)
    page.get_by_label("市町村").select_option(label="高知市")
    page.get_by_label("サービス").select_option(label="預かる")
    page.get_by_role("button", name="この条件で表示する").click()
    page.wait_for_load_state()


def fill_application(page):
    for name, value in APPLICATION_TEXT.items():
        page.locator(f"main form [name='{name}']").fill(value)
    for name in APPLICATION_SELECTS:
        page.locator(f"main form select[name='{name}']").select_option(index=1)
    page.locator("main form input[name='areas']").first.check()
    for name in APPLICATION_CHECKBOXES:
        page.locator(f"main form input[name='{name}']").check()


def application_errors(page, base_url):
    page.goto(base_url + APPLY)
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_load_state()


def application_confirmation(page, base_url):
    page.goto(base_url + APPLY)
    fill_application(page)
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_load_state()


def application_complete(page, base_url):
    application_confirmation(page, base_url)
    page.get_by_role("button", name="この内容で申請する").click()
    page.wait_for_load_state()


def feedback_errors(page, base_url):
    """The feedback box under a content page sent without a rating: its own page with the error."""
    page.goto(base_url + "/declaration/")
    page.locator("#feedback-comment").fill("写真があるとわかりやすいです。")
    page.get_by_role("button", name="送信する").click()
    page.wait_for_load_state()


def feedback_thanks(page, base_url):
    page.goto(base_url + "/declaration/")
    page.get_by_label("役に立った", exact=True).check()
    page.get_by_role("button", name="送信する").click()
    page.wait_for_load_state()


def submitted_reference_number(page):
    text = page.locator("main .reference-number").inner_text()
    return re.search(r"：\s*(\S+)", text).group(1)


def correction_page(page, base_url):
    """Apply through the form, have staff ask for changes, then open the applicant's private link."""
    application_complete(page, base_url)
    declaration = Declaration.objects.get(reference_number=submitted_reference_number(page))
    token = declaration.request_changes(by=None, message="宣言内容をもう少し具体的に書いてください。")
    page.goto(base_url + reverse("declarations:correction", args=[token]))


def owner_link(page, base_url):
    """A published entry's private link (as the approval mail carries it); returns the raw token."""
    declaration = Declaration.objects.public().order_by("pk").first()
    return declaration.send_owner_link(by=None)


def owner_change_page(page, base_url):
    page.goto(base_url + reverse("declarations:owner_change", args=[owner_link(page, base_url)]))


def owner_change_errors(page, base_url):
    owner_change_page(page, base_url)
    page.locator("main form [name='name']").fill("")
    page.get_by_role("button", name="変更を申請する").click()
    page.wait_for_load_state()


def owner_withdraw_page(page, base_url):
    page.goto(base_url + reverse("declarations:owner_withdraw", args=[owner_link(page, base_url)]))


def owner_withdraw_errors(page, base_url):
    owner_withdraw_page(page, base_url)
    page.get_by_role("button", name="掲載を取り下げる").click()
    page.wait_for_load_state()


OWNER = reverse("declarations:owner", args=["TOKEN"]).replace("TOKEN", "…")
# Event applications: the initial content's events are past, so one is moved ahead and opened.
APPLICATION_EVENT = "festa-2023"
EVENT_APPLY = reverse("event_applications:apply", args=[APPLICATION_EVENT])
EVENT_APPLICANT_TEXT = {
    "name": "見本 花子",
    "name_kana": "みほん はなこ",
    "organisation": "みほん地域福祉の会",
    "email": "mihon@example.jp",
    "email_confirm": "mihon@example.jp",
    "phone": "088-823-0000",
    "party_size": "2",
}


def open_event_for_applications(capacity=30, slug=APPLICATION_EVENT, questions=True):
    """The event, two weeks ahead, taking applications for a week; returns it. Safe to call again."""
    fields = {
        "start_date": timezone.localdate() + datetime.timedelta(days=14),
        "application_status": ApplicationStatus.OPEN,
        "application_capacity": capacity,
        "application_deadline": timezone.now() + datetime.timedelta(days=7),
        "attendance_modes": "both",
    }
    EventPage.objects.filter(slug=slug).update(**fields)
    event = EventPage.objects.get(slug=slug)
    if questions and not event.application_questions:
        event.application_questions = [
            ("question", {"question": "当日、手話での質問を希望しますか", "required": False})
        ]
        event.save(update_fields=["application_questions"])
    return event


def fill_event_application(page, **text):
    for name, value in {**EVENT_APPLICANT_TEXT, **text}.items():
        page.locator(f"main form [name='{name}']").fill(value)
    page.get_by_label("会場で参加").check()
    page.get_by_label("要約筆記").check()
    page.get_by_label("手話通訳").check()
    page.get_by_label("個人情報の取扱いに同意する").check()


def event_application(page, base_url):
    open_event_for_applications()
    page.goto(base_url + EVENT_APPLY)


def event_application_errors(page, base_url):
    event_application(page, base_url)
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_load_state()


def event_application_confirmation(page, base_url):
    event_application(page, base_url)
    fill_event_application(page)
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_load_state()


def event_application_complete(page, base_url):
    event_application_confirmation(page, base_url)
    page.get_by_role("button", name="この内容で申し込む").click()
    page.wait_for_load_state()


def cancel_link_for(reference_number):
    """The private cancellation link of an application, from its receipt in the outbox."""
    body = ApplicationEmail.objects.filter(application__reference_number=reference_number).order_by("pk")[0].body
    return re.search(r"/events/[^/\s]+/apply/cancel/[^/\s]+/", body).group()


def event_cancellation(page, base_url):
    event_application_complete(page, base_url)
    page.goto(base_url + cancel_link_for(submitted_reference_number(page)))


def event_application_closed(page, base_url):
    open_event_for_applications()
    EventPage.objects.filter(slug=APPLICATION_EVENT).update(application_status=ApplicationStatus.CLOSED)
    page.goto(base_url + EVENT_APPLY)
    open_event_for_applications()


SCENARIOS = [
    Scenario("home", "トップページ", "/", visit("/")),
    Scenario("declaration", "高知家地域共生社会推進宣言", "/declaration/", visit("/declaration/")),
    Scenario("symbol-mark", "シンボルマーク", "/symbol-mark/", visit("/symbol-mark/")),
    Scenario("training", "研修", "/training/", visit("/training/")),
    Scenario("pamphlets", "パンフレット等", "/pamphlets/", visit("/pamphlets/")),
    Scenario("events", "行事等（一覧）", "/events/", visit("/events/")),
    Scenario("event", "行事等（個別の行事）", "/events/…/", first_event),
    Scenario("grants", "交付金交付要綱", "/grants/", visit("/grants/")),
    Scenario("surveys", "調査等", "/surveys/", visit("/surveys/")),
    Scenario("accessibility", "ウェブアクセシビリティ方針", "/accessibility/", visit("/accessibility/")),
    Scenario("privacy", "プライバシーポリシー", "/privacy/", visit("/privacy/")),
    Scenario("site-policy", "サイトポリシー", "/site-policy/", visit("/site-policy/")),
    Scenario("news", "お知らせ・取組紹介（一覧）", NEWS, visit(NEWS)),
    Scenario("news-filtered", "お知らせ・取組紹介（分類で絞り込み）", f"{NEWS}?category=…", news_filtered),
    Scenario(
        "news-bad-filter",
        "お知らせ・取組紹介（正しくない絞り込み）",
        f"{NEWS}?year=…",
        visit(f"{NEWS}?year=abc&page=99&tag=存在しないタグ"),
    ),
    Scenario("article", "お知らせ・取組紹介（個別の記事）", f"{NEWS}…/", series_article),
    Scenario("register", "宣言企業・団体一覧", REGISTER, visit(REGISTER)),
    Scenario(
        "register-filtered",
        "宣言企業・団体一覧（市町村で絞り込み）",
        f"{REGISTER}?municipality=…",
        register_filtered,
    ),
    Scenario(
        "register-empty",
        "宣言企業・団体一覧（該当なし）",
        f"{REGISTER}?q=…",
        visit(f"{REGISTER}?q=該当する団体のない検索語"),
    ),
    Scenario("declaration-detail", "宣言企業・団体（個別）", f"{REGISTER}…/", first_declaration),
    Scenario("centres", "あったかふれあいセンター（一覧）", CENTRES, visit(CENTRES)),
    Scenario(
        "centres-filtered",
        "あったかふれあいセンター（市町村とサービスで絞り込み）",
        f"{CENTRES}?municipality=…&service=…",
        centres_filtered,
    ),
    Scenario(
        "centres-empty",
        "あったかふれあいセンター（該当なし）",
        f"{CENTRES}?municipality=…",
        visit(f"{CENTRES}?municipality=大川村"),
    ),
    Scenario("centre", "あったかふれあいセンター（個別）", f"{CENTRES}…/", visit(SAMPLE_CENTRE)),
    Scenario("apply", "宣言の申請（入力）", APPLY, visit(APPLY)),
    Scenario("apply-errors", "宣言の申請（入力の誤り）", APPLY, application_errors),
    Scenario("apply-confirm", "宣言の申請（確認）", APPLY_CONFIRM, application_confirmation),
    Scenario("apply-complete", "宣言の申請（完了）", APPLY_COMPLETE, application_complete),
    Scenario(
        "correction",
        "申請内容の修正",
        reverse("declarations:correction", args=["TOKEN"]).replace("TOKEN", "…"),
        correction_page,
    ),
    Scenario(
        "owner",
        "宣言書・掲載内容の変更（専用ページ）",
        OWNER,
        lambda page, base_url: page.goto(base_url + reverse("declarations:owner", args=[owner_link(page, base_url)])),
    ),
    Scenario("owner-change", "掲載内容の変更申請", f"{OWNER}change/", owner_change_page),
    Scenario("owner-change-errors", "掲載内容の変更申請（入力の誤り）", f"{OWNER}change/", owner_change_errors),
    Scenario("owner-withdraw", "掲載の取り下げ", f"{OWNER}withdraw/", owner_withdraw_page),
    Scenario("owner-withdraw-errors", "掲載の取り下げ（確認の誤り）", f"{OWNER}withdraw/", owner_withdraw_errors),
    Scenario("event-apply", "行事の参加申込み（入力）", "/events/…/apply/", event_application),
    Scenario("event-apply-errors", "行事の参加申込み（入力の誤り）", "/events/…/apply/", event_application_errors),
    Scenario(
        "event-apply-confirm", "行事の参加申込み（確認）", "/events/…/apply/confirm/", event_application_confirmation
    ),
    Scenario(
        "event-apply-complete", "行事の参加申込み（完了）", "/events/…/apply/complete/", event_application_complete
    ),
    Scenario("event-apply-closed", "行事の参加申込み（受付終了）", "/events/…/apply/", event_application_closed),
    Scenario("event-cancel", "行事の参加申込みのキャンセル", "/events/…/apply/cancel/…/", event_cancellation),
    Scenario("search", "サイト内検索（結果）", f"{SEARCH}?q=共生", visit(f"{SEARCH}?q=共生")),
    Scenario(
        "search-empty", "サイト内検索（該当なし）", f"{SEARCH}?q=…", visit(f"{SEARCH}?q=該当するページのない検索語")
    ),
    Scenario("not-found", "ページが見つかりません（404）", "/no-such-page/", visit("/no-such-page/")),
    Scenario("site-map", "サイトマップ", SITE_MAP, visit(SITE_MAP)),
    Scenario("feedback-errors", "ページへのご意見（入力の誤り）", FEEDBACK, feedback_errors),
    Scenario("feedback-thanks", "ページへのご意見（送信後）", FEEDBACK_THANKS + "?page=…", feedback_thanks),
]

SCENARIOS_BY_KEY = {scenario.key: scenario for scenario in SCENARIOS}

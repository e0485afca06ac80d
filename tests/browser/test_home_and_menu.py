"""A resident on a phone and at a desk: the menu button (a native disclosure, no JavaScript) opened with the
keyboard, the home page's 新着情報 in the first screen, an event's 定員 and places left that change after an
application (through the page cache), and the feedback box on every public page type but forms and search."""

import re

import pytest
from django.core.cache import cache

from core import page_cache
from declarations.models import Declaration
from tests.accessibility.scenarios import (
    EVENT_APPLY,
    fill_event_application,
    open_event_for_applications,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache.clear_local()
    yield
    cache.clear()
    page_cache.clear_local()


def menu_button_state(page):
    """(role, expanded) of the menu button as Chromium gives it to screen readers."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    for node in nodes:
        if node.get("name", {}).get("value") == "メニュー" and not node.get("ignored"):
            expanded = {p["name"]: p["value"]["value"] for p in node.get("properties", [])}.get("expanded")
            return node["role"]["value"], expanded
    return None


def menu_link(page, name):
    return page.locator(".main-nav").get_by_role("link", name=name, exact=True)


def test_on_a_phone_the_menu_opens_from_its_button_with_the_keyboard_and_a_link_is_followed(page, site_url, axe):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/")
    button = page.locator("summary.site-menu__button")
    assert button.inner_text().strip() == "メニュー"
    assert menu_link(page, "研修").is_hidden()

    # From the top of the page the keyboard reaches the button: skip link, the language switcher's English and
    # やさしい にほんご (the home page has both translations), 高知県, the site name, メニュー.
    for _ in range(6):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('summary.site-menu__button')")
    page.keyboard.press("Enter")
    assert menu_link(page, "研修").is_visible()
    assert menu_link(page, "宣言企業・団体一覧").is_visible()
    # Screen readers hear a disclosure button that says whether it is open.
    assert menu_button_state(page) == ("DisclosureTriangle", True)
    axe(page)

    page.keyboard.press("Space")
    assert menu_link(page, "研修").is_hidden()
    assert menu_button_state(page) == ("DisclosureTriangle", False)

    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == page.locator(".main-nav a").first.inner_text()
    menu_link(page, "研修").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/training/")
    assert page.locator("h1").inner_text() == "気づいてつなぐ高知家地域共生社会研修"
    # A new page starts with the menu closed again.
    assert menu_link(page, "研修").is_hidden()


def test_at_a_desk_the_menu_shows_without_a_button(page, site_url):
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + "/")
    assert page.locator("summary.site-menu__button").is_hidden()
    assert menu_link(page, "研修").is_visible()
    box = menu_link(page, "推進宣言").bounding_box()
    assert box["y"] < 200, box
    menu_link(page, "推進宣言").click()
    page.wait_for_url("**/declaration/")


def test_the_header_names_the_prefecture_with_the_symbol_mark_linked_to_its_top_page(page, site_url):
    page.goto(site_url + "/")
    link = page.locator(".site-brand__prefecture")
    assert link.get_attribute("href") == "https://www.pref.kochi.lg.jp/"
    assert link.locator("span").first.evaluate("span => span.firstChild.textContent") == "高知県"
    assert 'link "高知県 ホームページ"' in page.locator(".site-header").aria_snapshot()
    mark = link.locator("img")
    assert mark.get_attribute("src").endswith(".svg") and mark.get_attribute("alt") == ""
    assert mark.evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.parametrize(
    ("viewport", "screens"),
    [(DESKTOP, 1), (PHONE, 2)],
    ids=["1280px-first-screen", "375px-two-screens"],
)
def test_the_home_pages_news_and_events_come_first(page, site_url, axe, viewport, screens):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/")
    limit = viewport["height"] * screens
    news = page.get_by_role("heading", name="新着情報", level=2).bounding_box()
    assert news["y"] + news["height"] <= limit, news
    if screens == 1:
        events = page.get_by_role("heading", name="これからの行事", level=2).bounding_box()
        assert events["y"] + events["height"] <= limit, events
    page.get_by_role("link", name="高知型地域共生社会とは（くわしい説明）").click()
    page.wait_for_url("**/about/")
    assert "人口減少や少子高齢化に加え" in page.locator("main").inner_text()
    axe(page)


def facts(page):
    rows = page.locator(".event-details > div").all()
    return {row.locator("dt").inner_text(): row.locator("dd").inner_text() for row in rows}


def test_an_event_shows_its_capacity_and_places_left_which_change_after_an_application(page, site_url, page_cache_on):
    event = open_event_for_applications(capacity=30)
    page_cache.invalidate("the event was opened by a queryset update")
    page.set_viewport_size(PHONE)
    for _ in range(2):  # the second visit is served from the page cache
        response = page.goto(site_url + event.url)
    assert response.headers["x-page-cache"] == "hit"
    shown = facts(page)
    assert shown["定員"] == "30人"
    assert re.fullmatch(r"令和\d+年\d+月\d+日（.） \d+:\d\d", shown["申込締切"])
    assert shown["受付状況"] == "受付中（残り30人）"

    page.get_by_role("link", name="参加を申し込む").click()
    page.wait_for_url("**" + EVENT_APPLY)
    assert facts(page)["受付状況"] == "受付中（残り30人）"
    fill_event_application(page)  # a party of two
    page.get_by_role("button", name="確認画面へ進む").click()
    page.wait_for_url("**/apply/confirm/")
    page.get_by_role("button", name="この内容で申し込む").click()
    page.wait_for_url("**/apply/complete/")

    page.goto(site_url + event.url)
    assert facts(page)["受付状況"] == "受付中（残り28人）"


def feedback_box(page):
    return page.get_by_role("region", name="このページの情報は役に立ちましたか")


def test_the_feedback_box_is_on_every_public_page_type_but_forms_and_search(page, site_url):
    entry = Declaration.objects.public().order_by("pk").first()
    with_box = [
        "/",
        "/about/",
        "/declaration/",
        "/events/festa-2023/",
        "/news/",
        "/declarations/",
        f"/declarations/{entry.pk}/",
        "/centres/",
        "/centres/sample-01/",
        "/pamphlets/",
    ]
    for path in with_box:
        page.goto(site_url + path)
        assert feedback_box(page).count() == 1, path
    for path in ["/declarations/apply/", "/search/?q=共生", EVENT_APPLY]:
        page.goto(site_url + path)
        assert feedback_box(page).count() == 0, path


def test_a_resident_answers_the_box_on_a_centre_page_to_the_last_button(page, site_url, axe):
    from pages.feedback.models import Feedback

    page.goto(site_url + "/centres/sample-01/")
    box = feedback_box(page)
    box.get_by_label("役に立った").check()
    box.get_by_label("ご意見（任意）").fill("開所時間がわかりました。")
    box.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/feedback/thanks/**")
    centre = "「（見本）あったかふれあいセンターみほん東」"
    assert f"{centre}のページへのご意見を受け付けました" in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="「（見本）あったかふれあいセンターみほん東」のページへ戻る").click()
    page.wait_for_url("**/centres/sample-01/")
    answer = Feedback.objects.get(page_url="/centres/sample-01/")
    assert (answer.rating, answer.comment, answer.page_id) == ("helpful", "開所時間がわかりました。", None)

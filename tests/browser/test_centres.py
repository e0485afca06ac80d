"""A resident finds an あったかふれあいセンター: /centres/ → filter by municipality and service → a
centre's page, by keyboard alone, with axe-core 0 violations and no sideways scrolling at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.accessibility.checks import horizontal_overflow

pytestmark = pytest.mark.browser


def test_filter_by_municipality_and_service_then_open_a_centre(page, site_url, axe):
    page.goto(site_url + "/")
    page.get_by_role("link", name="お近くのあったかふれあいセンターを探す").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("あったかふれあいセンター")
    expect(page.get_by_role("heading", name="高知市（2か所）")).to_be_visible()
    axe(page)

    page.get_by_label("市町村").select_option(label="高知市")
    page.get_by_label("サービス").select_option(label="預かる")
    page.get_by_role("button", name="この条件で表示する").click()

    expect(page).to_have_url(re.compile(r"/centres/\?municipality=.+&service=\d+#results$"))
    expect(page.get_by_role("status")).to_have_text("高知市の「預かる」のあるセンター：1か所")
    expect(page.get_by_label("市町村")).to_have_value("高知市")
    expect(page.get_by_label("サービス").locator("option:checked")).to_have_text("預かる")
    expect(page.get_by_role("heading", name="高知市（1か所）")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="（見本）あったかふれあいセンターみほん中央").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("（見本）あったかふれあいセンターみほん中央")
    expect(page.locator("main")).to_contain_text("実在のセンターではなく")
    expect(page.locator("main .details").first).to_contain_text("集う・預かる・送る・相談")
    expect(page.get_by_role("navigation", name="現在位置")).to_contain_text("あったかふれあいセンター")
    axe(page)


def test_on_a_phone_a_resident_opens_the_menu_reaches_the_centres_filters_and_opens_one(page, site_url, axe):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(site_url + "/")
    page.get_by_text("メニュー", exact=True).click()
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="あったかふれあいセンター").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("あったかふれあいセンター")
    page.get_by_label("市町村").select_option(label="高知市")
    page.get_by_role("button", name="この条件で表示する").click()
    expect(page.get_by_role("status")).to_have_text("高知市のセンター：2か所")
    assert horizontal_overflow(page) == 0
    axe(page)

    page.get_by_role("link", name="（見本）あったかふれあいセンターみほん中央", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("（見本）あったかふれあいセンターみほん中央")
    assert horizontal_overflow(page) == 0


def press_tab_until(page, name, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name} never received focus")


def test_the_same_walk_by_keyboard_alone(page, site_url):
    page.goto(site_url + "/centres/")
    page.get_by_label("市町村").focus()
    for _ in range(9):  # すべて → 高知市 … the ninth: 四万十市
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("市町村")).to_have_value("四万十市")
    page.keyboard.press("Tab")
    for _ in range(6):  # すべて → 集う … the sixth: 送る
        page.keyboard.press("ArrowDown")
    expect(page.get_by_label("サービス").locator("option:checked")).to_have_text("送る")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "この条件で表示する"
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text("四万十市の「送る」のあるセンター：1か所")
    press_tab_until(page, "（見本）あったかふれあいセンターみほん西")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("（見本）あったかふれあいセンターみほん西")


def test_nothing_found_and_a_bad_address_are_plain_pages(page, site_url, axe):
    page.goto(site_url + "/centres/?municipality=大川村&service=999999999999999999999")
    expect(page.get_by_role("status")).to_have_text("条件に当てはまるセンターはありません。")
    expect(page.get_by_label("サービス")).to_have_value("")
    axe(page)


@pytest.mark.parametrize("path", ["/centres/", "/centres/?municipality=高知市", "/centres/sample-01/"])
def test_no_sideways_scrolling_at_320px(page, site_url, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + path)

    assert horizontal_overflow(page) == 0

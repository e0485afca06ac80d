"""Keyboard use: the skip link comes first, focus is always visible, and a failed submit leads the
applicant from the error summary to each field (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7, 3.3.1, 4.1.2)."""

import pytest

from tests.accessibility.checks import focused_element

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/declaration/",
    "/pamphlets/",
    "/events/",
    "/news/",
    "/news/sample-initiatives-vol-2-first/",
    "/declarations/",
    "/declarations/apply/",
    "/accessibility/",
    "/centres/",
    "/centres/sample-02/",
]


def active(page, expression):
    return page.evaluate(f"() => {{ const el = document.activeElement; return {expression}; }}")


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never received focus after {limit} presses of Tab on {page.url}")


@pytest.mark.parametrize("path", PAGES)
def test_skip_link_is_first_and_moves_focus_to_main(page, site_url, path):
    page.goto(site_url + path)
    page.keyboard.press("Tab")

    assert active(page, "el.textContent.trim()") == "本文へ移動"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the skip link stays off screen when focused"

    page.keyboard.press("Enter")
    assert active(page, "el.id") == "main"
    page.keyboard.press("Tab")
    assert active(page, "!!el.closest('main')"), "Tab after the skip link left the main content"


@pytest.mark.parametrize("path", PAGES)
def test_focus_is_visible_on_every_control(page, site_url, path):
    page.goto(site_url + path)
    seen = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = focused_element(page)
        if focused is None or focused["name"] in seen:
            break  # back at the start of the page
        seen.add(focused["name"])
        assert focused["outline"] >= 2 or focused["shadow"], f"no visible focus on {focused['name']} at {path}"
    assert len(seen) > 5


def submit_empty_application(page, site_url):
    page.goto(site_url + "/declarations/apply/")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_failed_submit_focuses_error_summary_whose_links_reach_the_fields(page, site_url):
    submit_empty_application(page, site_url)

    # autofocus runs at the next rendering step after the page loads.
    page.wait_for_function("() => document.activeElement !== document.body", timeout=5_000)
    assert active(page, "el.classList.contains('error-summary')"), "focus did not move to the error summary"
    focused = focused_element(page)
    assert focused["outline"] >= 2 or focused["shadow"]
    links = page.locator(".error-summary a")
    assert links.count() >= 10
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        target = page.locator(href)
        assert target.count() == 1, f"{href} in the error summary points nowhere"
        assert target.evaluate("el => el.matches('input, select, textarea')"), f"{href} is not a form field"

    # Following the first link with the keyboard: the next Tab lands on that field.
    page.keyboard.press("Tab")
    href = active(page, "el.getAttribute('href')")
    page.keyboard.press("Enter")
    if active(page, "'#' + el.id") != href:
        page.keyboard.press("Tab")
    assert active(page, "'#' + el.id") == href


def test_fields_with_errors_are_invalid_and_described_by_their_message(page, site_url):
    submit_empty_application(page, site_url)

    invalid = page.locator("main form [aria-invalid=true]")
    assert invalid.count() >= 10
    # A choice in a group is described through its fieldset, which screen readers announce with it.
    descriptions = invalid.evaluate_all(
        """fields => fields.map(field => {
             const owner = field.hasAttribute('aria-describedby') ? field : field.closest('fieldset');
             const ids = ((owner && owner.getAttribute('aria-describedby')) || '').split(/\\s+/);
             const text = ids.map(id => document.getElementById(id)).filter(Boolean)
               .map(el => el.textContent.trim()).join(' ');
             return [field.name, text];
           })"""
    )
    for name, description in descriptions:
        assert "ください" in description or "必要です" in description, f"{name} is not described by its error"


def test_grouped_choices_are_fieldsets_with_legends(page, site_url):
    page.goto(site_url + "/declarations/apply/")
    legends = page.locator("main form input[name=areas]").evaluate_all(
        "inputs => inputs.map(i => i.closest('fieldset')?.querySelector(':scope > legend')?.textContent || '')"
    )
    assert legends and all("取組分野" in legend for legend in legends)


def test_register_can_be_filtered_with_the_keyboard_alone(page, site_url):
    page.goto(site_url + "/declarations/")
    tab_to(page, "select[name=municipality]")
    # On a closed select, the arrow keys change the choice; the first choice after すべて is 高知市.
    page.keyboard.press("ArrowDown")
    chosen = page.locator("select[name=municipality] option:checked").inner_text()
    assert chosen != "すべて"
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "municipality=" in page.url
    results = page.locator("main table").first  # the listing; the chart's table and the columns follow
    rows = results.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert rows and all(municipality == chosen for municipality in rows)

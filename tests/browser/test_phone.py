"""On a phone (375 CSS px wide): filtering the register shows the results, register entries read without
sideways scrolling, and the header's search field has a label people can see."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}

# Elements of the page's main content whose box is wider than the viewport or sticks out of it
# (also inside a box that scrolls sideways, which is what a phone user would have to swipe).
_TOO_WIDE_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll('main, main *')) {
    const rect = el.getBoundingClientRect();
    // Skip what is not laid out, and text for screen readers only (a 1px box).
    if (rect.width <= 1 || rect.height <= 1) continue;
    const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
    if (rect.left < -0.5 || rect.right > width + 0.5 || scrolls) {
      const text = (el.innerText || '').trim().slice(0, 30);
      found.push(`${el.tagName.toLowerCase()} "${text}" ${Math.round(rect.left)}–${Math.round(rect.right)}px`);
    }
  }
  return found;
}
"""


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def in_viewport(page, locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_filtering_the_register_brings_the_first_result_into_view(phone, site_url):
    phone.goto(site_url + "/declarations/")
    phone.get_by_label("所在市町村").select_option(label="高知市")
    phone.get_by_role("button", name="この条件で表示する").click()
    phone.wait_for_load_state()

    first_result = phone.locator("main .register-table tbody tr").first
    assert "高知市" in first_result.inner_text()
    assert in_viewport(phone, first_result), f"the first result is at {first_result.bounding_box()}"


@pytest.mark.parametrize(
    "path",
    ["/declarations/", "/declarations/?q=社会福祉協議会", "/declarations/?page=2"],
    ids=["all", "filtered", "page-2"],
)
def test_register_entries_read_without_sideways_scrolling(phone, site_url, path):
    phone.goto(site_url + path)

    assert phone.evaluate(_TOO_WIDE_JS) == []
    # Each entry still says what each value is.
    entry = phone.locator("main .register-table tbody tr").first.inner_text()
    for label in ["所在市町村", "種別", "取組分野", "宣言日"]:
        assert label in entry


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["375px", "1280px"])
def test_header_search_field_has_a_visible_label(page, site_url, viewport):
    page.set_viewport_size(viewport)
    page.goto(site_url + "/")

    label = page.locator("header label[for='site-search-q']")
    box = label.bounding_box()
    assert box is not None and box["width"] > 16 and box["height"] > 12, f"the label's box is {box}"
    assert label.evaluate("el => getComputedStyle(el).clipPath") == "none"
    assert in_viewport(page, label)
    # The label is the field's own (clicking it focuses the field), and it names the field.
    assert label.evaluate("el => el.control && el.control.id") == "site-search-q"
    search_field = page.get_by_role("searchbox", name=label.inner_text().strip(), exact=True)
    assert search_field.get_attribute("id") == "site-search-q"

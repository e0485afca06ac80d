"""Reflow and text resizing (WCAG 1.4.4, 1.4.10): at 320 CSS px wide no page scrolls sideways, and with
text at 200% nothing is cut off or runs off the page, on every page type and state."""

import pytest

from tests.accessibility.checks import clipped_elements, enlarge_text, horizontal_overflow
from tests.accessibility.scenarios import SCENARIOS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.key)
def test_no_sideways_scrolling_at_320px(page, site_url, scenario):
    page.set_viewport_size({"width": 320, "height": 640})
    scenario.open(page, site_url)

    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways at 320px"
    assert clipped_elements(page) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.key)
def test_nothing_cut_off_with_text_at_200_percent(page, site_url, scenario):
    scenario.open(page, site_url)
    enlarge_text(page, 200)

    assert horizontal_overflow(page) == 0, f"{page.url} scrolls sideways with text at 200%"
    assert clipped_elements(page) == []

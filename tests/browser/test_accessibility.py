"""Every page type and state, checked in Chromium: axe-core finds no violation of WCAG 2.0/2.1 A or AA
(JIS X 8341-3:2016 level AA)."""

import pytest

from tests.accessibility.scenarios import SCENARIOS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.key)
def test_no_axe_violations(page, site_url, axe, scenario):
    scenario.open(page, site_url)
    axe(page)

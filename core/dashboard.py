"""The admin dashboard's panels: each app adds its own through Wagtail's `construct_homepage_panels` hook,
and all of them look alike: a heading, the counts that matter (each a link to the list it counts), the
first few items with their dates, and a link to the whole list.

A panel runs a small fixed number of queries whatever the amount of data (tests/test_query_budgets.py):
counts come from one aggregate, items from one sliced query.
"""

from dataclasses import dataclass, field

from django.forms import Media
from wagtail.admin.ui.components import Component

# How many items a panel lists; the rest are behind its link.
ITEMS_SHOWN = 5


@dataclass
class Count:
    """One figure on a panel: 「審査待ち 3件」. `alert` marks one staff must act on soon."""

    label: str
    value: int
    url: str = ""
    unit: str = "件"
    alert: bool = False


@dataclass
class Cell:
    text: str
    url: str = ""


@dataclass
class Table:
    """The panel's items: a caption (read by screen readers), column headings and rows of cells."""

    caption: str
    headers: list
    rows: list = field(default_factory=list)


class DashboardPanel(Component):
    """A dashboard panel; subclasses set `name`, `heading`, `order` and fill `get_panel_data`."""

    template_name = "core/admin/dashboard_panel.html"
    name = ""
    heading = ""
    icon = "list-ul"
    # Before Wagtail's own panels (order 210 and up), after warnings (10–50).
    order = 100

    def __init__(self, request):
        self.request = request

    @property
    def media(self):
        # The dashboard gathers its panels' media into the page head.
        return Media(css={"all": ["css/admin-dashboard.css"]})

    def is_shown(self):
        """Whether the user may see what the panel counts (permissions); no query for a superuser."""
        return True

    def get_panel_data(self):
        """{"counts": [Count], "table": Table or None, "empty": text when nothing to show,
        "list_url": the whole list, "list_label": its link text, "note": a line under the counts}."""
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        data = {"counts": [], "table": None, "empty": "", "list_url": "", "list_label": "", "note": ""}
        data.update(self.get_panel_data())
        return {"panel_id": self.name.replace("_", "-"), "heading": self.heading, "icon": self.icon, **data}

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        return super().render_html(parent_context)

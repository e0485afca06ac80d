"""Admin hooks of the pages app: the site's editor guide, a warning when the cache is down, Japanese where
Wagtail 8.0.1 prints English, and a guard between its autosave and the editor's own save."""

from django.core.cache import caches
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView

from core.cache import cache_is_available
from pages import admin_guide, dashboard
from pages.search.viewsets import SearchTuningViewSetGroup

EDITOR_GUIDE_LABEL = "編集の手引き"


@hooks.register("register_admin_viewset")
def register_search_tuning():
    return SearchTuningViewSetGroup()


@hooks.register("insert_editor_js")
def guard_autosave_against_a_second_page():
    """static/js/admin-autosave-guard.js: a new page saved by its editor while autosave creates it stays one page."""
    return format_html('<script src="{}"></script>', static("js/admin-autosave-guard.js"))


@hooks.register("register_admin_urls")
def register_editor_guide_url():
    return [path("", include(admin_guide.urlpatterns)), path("", include(dashboard.urlpatterns))]


def editor_guide_url():
    return reverse("kyosei_editor_guide")


@hooks.register("construct_help_menu")
def point_the_help_menu_at_the_site_guide(request, menu_items):
    """The ヘルプ menu's guide opens this site's guide; Wagtail's own is English and about no page type here.

    Wagtail 8.0.1 has no setting for the guide's address, so its item (and the English "what's new"
    notes beside it) are replaced here.
    """
    menu_items[:] = [
        item for item in menu_items if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]
    menu_items.append(
        MenuItem(EDITOR_GUIDE_LABEL, editor_guide_url(), icon_name="help", order=1100, name="editor-guide")
    )
    menu_items.sort(key=lambda item: item.order)


class CacheUnavailablePanel(Component):
    name = "cache_unavailable"
    template_name = "pages/admin/cache_unavailable_panel.html"
    order = 10


@hooks.register("construct_homepage_panels")
def warn_when_the_cache_is_unreachable(request, panels):
    """Staff learn on the dashboard that Redis is down: the public site keeps working, so nothing else tells them."""
    if not cache_is_available(caches["default"]):
        panels.insert(0, CacheUnavailablePanel())


@hooks.register("construct_homepage_panels")
def add_page_panels(request, panels):
    """Pages scheduled to go live and pages not updated for a year, above Wagtail's own panels, which stay:
    each shows only when it has something (pages awaiting your review, your recent edits, your locks)."""
    panels.extend([dashboard.ScheduledPagesPanel(request), dashboard.StalePagesPanel(request)])


# The sites listing names three of its columns after the field ("Port", "Site name", "Root page")
# without translating them; Site's own verbose names are translated, so they are used instead.
for column in SiteIndexView.columns:
    if column.name in {"port", "site_name", "root_page"}:
        column.label = capfirst(Site._meta.get_field(column.name).verbose_name)

"""The directory's sitemap sections, its site map links and its place in the main menu. Registered in
`CentresConfig.ready()`."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from pages.discovery import registry

from .models import Centre
from .urls import PUBLIC_LANGUAGES

LIST_TITLE = "あったかふれあいセンター"


class CentreListSitemap(registry.TranslatedSitemap, Sitemap):
    languages = PUBLIC_LANGUAGES
    changefreq = "monthly"

    def items(self):
        return ["centres:list"]

    def location(self, item):
        return reverse(item)


class CentreSitemap(registry.TranslatedSitemap, Sitemap):
    """Each real centre's page; （見本） entries are not offered to search engines."""

    languages = PUBLIC_LANGUAGES

    changefreq = "monthly"

    def items(self):
        return Centre.objects.filter(is_sample=False).order_by("key").only("key", "updated_at")

    def location(self, item):
        return reverse("centres:detail", args=[item.key])

    def lastmod(self, item):
        return item.updated_at


def _site_map_links():
    return [
        registry.SiteMapLink(
            title=LIST_TITLE,
            url=reverse("centres:list"),
            order=20,
            children=(
                registry.SiteMapLink(title=f"{LIST_TITLE}のオープンデータ（CSV形式）", url=reverse("centres:csv")),
                registry.SiteMapLink(title=f"{LIST_TITLE}のオープンデータ（JSON形式）", url=reverse("centres:json")),
            ),
        )
    ]


def _menu_links():
    return [registry.MenuLink(title=LIST_TITLE, url=reverse("centres:list"), order=10)]


def register_discovery():
    registry.add_sitemap("centre_list", CentreListSitemap)
    registry.add_sitemap("centres", CentreSitemap)
    registry.add_site_map_links("centres", _site_map_links)
    registry.add_menu_links("centres", _menu_links)

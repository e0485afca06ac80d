"""The directory's sitemap sections. Registered in `CentresConfig.ready()`."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from pages.discovery import registry

from .models import Centre


class CentreListSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["centres:list"]

    def location(self, item):
        return reverse(item)


class CentreSitemap(Sitemap):
    """Each real centre's page; （見本） entries are not offered to search engines."""

    changefreq = "monthly"

    def items(self):
        return Centre.objects.filter(is_sample=False).order_by("key").only("key", "updated_at")

    def location(self, item):
        return reverse("centres:detail", args=[item.key])

    def lastmod(self, item):
        return item.updated_at


def register_discovery():
    registry.add_sitemap("centre_list", CentreListSitemap)
    registry.add_sitemap("centres", CentreSitemap)

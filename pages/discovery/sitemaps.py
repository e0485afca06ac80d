"""The public register in the sitemap, beside Wagtail's pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from declarations.models import Declaration


class DeclarationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Declaration.objects.public().order_by("pk").only("pk", "updated_at")

    def location(self, item):
        return reverse("declarations:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class RegisterListSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["declarations:register"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "register": RegisterListSitemap, "declarations": DeclarationSitemap}

"""The register's contributions to the sitemap, the Atom feed and robots.txt.

Registered in `DeclarationsConfig.ready()`.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from pages.discovery import registry

from .models import Declaration
from .urls import PUBLIC_LANGUAGES


class RegisterSitemap(registry.TranslatedSitemap, Sitemap):
    """The register's list page."""

    languages = PUBLIC_LANGUAGES

    changefreq = "weekly"

    def items(self):
        return ["declarations:register"]

    def location(self, item):
        return reverse(item)


class DeclarationSitemap(registry.TranslatedSitemap, Sitemap):
    """Each public declaration's own page."""

    languages = PUBLIC_LANGUAGES

    changefreq = "monthly"

    def items(self):
        return Declaration.objects.public().order_by("pk").only("pk", "updated_at")

    def location(self, item):
        return reverse("declarations:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


def _declared_at(declaration):
    if declaration.decided_at:
        return declaration.decided_at
    day = declaration.declared_on or timezone.localdate(declaration.submitted_at)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _new_declarations(request, limit):
    declarations = Declaration.objects.public().order_by("-decided_at", "-pk")[:limit]
    return [
        registry.FeedItem(
            guid=f"declaration-{declaration.pk}",
            title=f"推進宣言：{declaration.name}",
            description=declaration.content,
            link=reverse("declarations:detail", args=[declaration.pk]),
            published=_declared_at(declaration),
        )
        for declaration in declarations
    ]


def _private_steps():
    # The form itself is a page people search for; only the steps after it and the applicant's
    # private correction links (all under one prefix) are kept out.
    correction = reverse("declarations:correction", args=["token"]).removesuffix("token/")
    owner = reverse("declarations:owner", args=["token"]).removesuffix("token/")
    return [reverse("declarations:apply_confirm"), reverse("declarations:apply_complete"), correction, owner]


def _site_map_links():
    return [
        registry.SiteMapLink(
            title="宣言企業・団体一覧",
            url=reverse("declarations:register"),
            order=10,
            children=(
                registry.SiteMapLink(title="推進宣言の申請", url=reverse("declarations:apply")),
                registry.SiteMapLink(
                    title="宣言企業・団体一覧のオープンデータ（CSV形式）", url=reverse("declarations:register_csv")
                ),
                registry.SiteMapLink(
                    title="宣言企業・団体一覧のオープンデータ（JSON形式）", url=reverse("declarations:register_json")
                ),
            ),
        )
    ]


def _menu_links():
    return [registry.MenuLink(title="宣言企業・団体一覧", url=reverse("declarations:register"), order=20)]


def register_discovery():
    registry.add_sitemap("register", RegisterSitemap)
    registry.add_sitemap("declarations", DeclarationSitemap)
    registry.add_feed_section(
        registry.FeedSection(name="推進宣言", summary="新たに推進宣言をした企業・団体", items=_new_declarations)
    )
    registry.add_robots_disallow("declarations", _private_steps)
    registry.add_site_map_links("declarations", _site_map_links)
    registry.add_menu_links("declarations", _menu_links)

"""The CMS's own contributions to the sitemap, the Atom feed and robots.txt.

Registered in `PagesConfig.ready()`, the same way other apps register theirs.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailPageSitemap
from wagtail.models import Locale, Page

from pages.discovery import registry
from pages.languages import language_names
from pages.models import EventPage


class PageSitemap(WagtailPageSitemap):
    """Wagtail's page sitemap over every language's page tree; a page with translations names each of
    them (and x-default, the Japanese page) as `xhtml:link` alternates, as its `hreflang` links do."""

    def items(self):
        site = self.get_wagtail_site()
        trees = Q()
        for path in site.root_page.get_translations(inclusive=True).live().values_list("path", flat=True):
            trees |= Q(path__startswith=path)
        return Page.objects.filter(trees).live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        order = list(language_names())
        translations = {}
        for item in items:
            translations.setdefault(item.translation_key, []).append(item)
        urls, last_mods = [], set()
        for item in items:
            location = item.get_full_url(self.request)
            for url_info in item.get_sitemap_urls(self.request):
                alternates = sorted(
                    (
                        (languages[other.locale_id], other.get_full_url(self.request))
                        for other in translations[item.translation_key]
                    ),
                    key=lambda alternate: order.index(alternate[0]) if alternate[0] in order else len(order),
                )
                if url_info.get("location") == location and len(alternates) > 1:
                    default = dict(alternates).get(settings.LANGUAGE_CODE)
                    alternates += [("x-default", default)] if default else []
                    url_info["alternates"] = [{"lang_code": code, "location": url} for code, url in alternates]
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def _new_events(request, limit):
    events = EventPage.objects.live().public().order_by("-first_published_at")[:limit]
    return [
        registry.FeedItem(
            guid=f"event-{event.pk}",
            title=f"行事：{event.title}",
            description=event.search_description or event.introduction or event.title,
            link=event.get_url(request),
            published=event.first_published_at,
        )
        for event in events
    ]


def _site_map_links():
    return [
        registry.SiteMapLink(title="サイト内検索", url=reverse("search"), order=50),
        registry.SiteMapLink(title="新着情報の配信（Atom形式）", url=reverse("discovery:news_feed"), order=80),
        registry.SiteMapLink(title="行事予定（iCalendar形式）", url=reverse("discovery:upcoming_events_ics"), order=81),
    ]


def register_discovery():
    registry.add_sitemap("pages", PageSitemap)
    registry.add_feed_section(registry.FeedSection(name="行事", summary="行事のお知らせ", items=_new_events))
    registry.add_robots_disallow("admin", lambda: [reverse("wagtailadmin_home")])
    registry.add_site_map_links("pages", _site_map_links)

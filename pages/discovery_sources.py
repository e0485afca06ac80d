"""The CMS's own contributions to the sitemap, the Atom feed and robots.txt.

Registered in `PagesConfig.ready()`, the same way other apps register theirs.
"""

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from pages.discovery import registry
from pages.models import EventPage


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

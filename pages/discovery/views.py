"""Calendar files of events and the Atom feed of new events and declarations."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from declarations.models import Declaration
from pages.models import EventPage
from pages.site_name import site_name

from .ics import calendar

SITE_NAME = site_name()


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def upcoming_events_ics(request):
    """Every upcoming event, for subscribing in a calendar app."""
    events = EventPage.objects.live().public().upcoming()
    pairs = [(event, event.get_full_url(request)) for event in events]
    return _ics_response(calendar(pairs, request.get_host(), f"{SITE_NAME} 行事予定"), "kochi-kyosei-events.ics")


def event_ics(request, pk):
    """One event, for adding to a calendar."""
    event = EventPage.objects.live().public().filter(pk=pk).first()
    if event is None:
        raise Http404("行事が見つかりません")
    body = calendar([(event, event.get_full_url(request))], request.get_host(), event.title)
    return _ics_response(body, f"event-{event.pk}.ics")


class NewsFeed(Feed):
    """New events and newly published declarations, newest first."""

    feed_type = Atom1Feed
    title = f"{SITE_NAME}：新着の行事と推進宣言"
    subtitle = "高知家地域共生社会の行事のお知らせと、新たに推進宣言をした企業・団体です。"
    link = "/"
    author_name = "高知県"
    limit = 30

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def items(self):
        events = EventPage.objects.live().public().order_by("-first_published_at")[: self.limit]
        declarations = Declaration.objects.public().order_by("-decided_at", "-pk")[: self.limit]
        items = [("event", event, event.first_published_at) for event in events]
        items += [("declaration", declaration, _declared_at(declaration)) for declaration in declarations]
        items.sort(key=lambda item: item[2], reverse=True)
        return items[: self.limit]

    def item_title(self, item):
        kind, obj, _ = item
        return f"行事：{obj.title}" if kind == "event" else f"推進宣言：{obj.name}"

    def item_description(self, item):
        kind, obj, _ = item
        if kind == "event":
            return obj.search_description or obj.introduction or obj.title
        return obj.content

    def item_link(self, item):
        kind, obj, _ = item
        if kind == "event":
            return obj.get_url(self.request)
        return reverse("declarations:detail", args=[obj.pk])

    def item_guid(self, item):
        kind, obj, _ = item
        return f"{kind}-{obj.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return item[2]


def _declared_at(declaration):
    if declaration.decided_at:
        return declaration.decided_at
    day = declaration.declared_on or timezone.localdate(declaration.submitted_at)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


news_feed = NewsFeed()

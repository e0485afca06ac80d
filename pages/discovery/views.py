"""Calendar files of events and the Atom feed of what the content apps contribute."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from core.public_address import absolute, netloc
from core.text import clean
from pages.models import EventPage
from pages.site_name import site_name

from .ics import calendar
from .registry import feed_sections, feed_topics

SITE_NAME = site_name()


def _ics_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def upcoming_events_ics(request):
    """Every upcoming event, for subscribing in a calendar app."""
    events = EventPage.objects.live().public().upcoming()
    pairs = [(event, event.get_full_url(request)) for event in events]
    return _ics_response(calendar(pairs, netloc(), f"{SITE_NAME} 行事予定"), "kochi-kyosei-events.ics")


@require_safe
def event_ics(request, pk):
    """One event, for adding to a calendar."""
    event = EventPage.objects.live().public().filter(pk=pk).first()
    if event is None:
        raise Http404("行事が見つかりません")
    body = calendar([(event, event.get_full_url(request))], netloc(), event.title)
    return _ics_response(body, f"event-{event.pk}.ics")


class NewsFeed(Feed):
    """The newest items of every feed section the apps registered, newest first."""

    feed_type = Atom1Feed
    author_name = "高知県"
    limit = 30

    @method_decorator(require_safe)
    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{SITE_NAME}：新着の{feed_topics()}"

    def subtitle(self):
        return f"{SITE_NAME}の" + "と、".join(section.summary for section in feed_sections()) + "です。"

    # Absolute on the public address, so that Django's syndication never takes the request's host.
    def link(self):
        return absolute("/")

    def feed_url(self):
        return absolute(self.request.path)

    def items(self):
        items = [item for section in feed_sections() for item in section.items(self.request, self.limit)]
        items.sort(key=lambda item: item.published, reverse=True)
        return items[: self.limit]

    # XML 1.0 forbids control characters: one stored in a title or text must not fail the whole feed.
    def item_title(self, item):
        return clean(item.title, multiline=False)

    def item_description(self, item):
        return clean(item.description)

    def item_link(self, item):
        return absolute(item.link)

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.published


news_feed = NewsFeed()

"""The metadata every page carries for search engines and link previews: a canonical link, Open
Graph tags and JSON-LD (the prefecture's department as a GovernmentOrganization; an Event on event pages).

A page type from another app adds its own without this module knowing it: `open_graph(request)` gives
extra (property, content) pairs, `structured_data(url, publisher)` its JSON-LD (an article's NewsArticle)."""

import json

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.public_address import absolute
from pages import site_context
from pages.discovery.registry import feed_topics
from pages.models import ContactSettings
from pages.site_name import site_name

register = template.Library()

# What json_script escapes, so that text from editors can never close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def organisation(contact, request):
    if contact is None:
        return None
    data = {
        "@type": "GovernmentOrganization",
        "name": contact.department,
        "url": absolute("/"),
        "address": {
            "@type": "PostalAddress",
            "postalCode": contact.postal_code,
            "addressRegion": "高知県",
            "streetAddress": contact.address,
            "addressCountry": "JP",
        },
    }
    phones = [block.value.get("number") for block in contact.phone_lines if block.value.get("number")]
    if phones:
        data["telephone"] = phones[0]
    if contact.fax:
        data["faxNumber"] = contact.fax
    if contact.email:
        data["email"] = contact.email
    return data


def _iso(day, time=None):
    return f"{day.isoformat()}T{time.strftime('%H:%M')}+09:00" if time else day.isoformat()


def event(page, url, organiser):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "startDate": _iso(page.start_date, page.start_time),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
    }
    if page.end_date or page.end_time:
        data["endDate"] = _iso(page.end_date or page.start_date, page.end_time)
    if page.venue:
        data["location"] = {"@type": "Place", "name": page.venue, "address": page.venue_address or page.venue}
    description = page.search_description or page.introduction
    if description:
        data["description"] = description
    if organiser:
        data["organizer"] = organiser
    return data


def _contact(request):
    # for_request shares its cache with the footer, which shows the same setting.
    return ContactSettings.for_request(request) if site_context.find_site(request) is not None else None


@register.simple_tag(takes_context=True)
def discovery_meta(context):
    """Canonical link, Open Graph tags and JSON-LD for the page being shown."""
    request = context.get("request")
    if request is None:
        return ""
    page = context.get("page")
    canonical = page.get_full_url(request) if page is not None and hasattr(page, "get_full_url") else None
    canonical = canonical or absolute(request.path)
    title = (getattr(page, "seo_title", "") or getattr(page, "title", "")) if page is not None else ""
    description = getattr(page, "meta_description", "") if page is not None else ""
    is_event = page is not None and page._meta.model_name == "eventpage"

    parts = [
        format_html('<link rel="canonical" href="{}">', canonical),
        format_html('<meta property="og:site_name" content="{}">', site_name()),
        # Open Graph knows no やさしい日本語: it is Japanese to link previews.
        format_html(
            '<meta property="og:locale" content="{}">', "en_GB" if translation.get_language() == "en" else "ja_JP"
        ),
        format_html(
            '<meta property="og:type" content="{}">', "website" if page is None or page.depth <= 2 else "article"
        ),
        format_html('<meta property="og:url" content="{}">', canonical),
        format_html('<meta property="og:title" content="{}">', title or site_name()),
    ]
    if description:
        parts.append(format_html('<meta property="og:description" content="{}">', description))
    if page is not None and hasattr(page, "open_graph"):
        for name, content in page.open_graph(request):
            parts.append(format_html('<meta property="{}" content="{}">', name, content))

    # Only pages read the contact setting: an error page must render even when the database cannot.
    if is_event:
        parts.append(json_ld(event(page, canonical, organisation(_contact(request), request))))
    elif page is not None and hasattr(page, "structured_data"):
        parts.append(json_ld(page.structured_data(canonical, organisation(_contact(request), request))))
    elif page is not None and page.depth <= 2:
        organiser = organisation(_contact(request), request)
        if organiser:
            parts.append(json_ld({"@context": "https://schema.org", **organiser}))
    return mark_safe("\n".join(parts))


@register.simple_tag
def news_feed_topics():
    """「行事・推進宣言・記事」: what the Atom feed carries, for the links that name it."""
    return feed_topics()

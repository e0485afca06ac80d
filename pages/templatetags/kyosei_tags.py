"""Presentation helpers used across the site's templates: Japanese-era dates and file labels."""

import datetime

from django import template
from django.utils import timezone
from wagtail.models import Site

register = template.Library()

# First day of each era (the day the new era's name took effect), newest first.
ERAS = (
    ("令和", datetime.date(2019, 5, 1)),
    ("平成", datetime.date(1989, 1, 8)),
    ("昭和", datetime.date(1926, 12, 25)),
    ("大正", datetime.date(1912, 7, 30)),
)

WEEKDAYS = "月火水木金土日"


def to_local_date(value):
    """The calendar date in Japan of a date or datetime (aware datetimes are converted to Asia/Tokyo)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def era_year(day):
    """(era name, year label) for a date: ("令和", "元") for 2019-05-01, ("平成", "31") for 2019-04-30."""
    for name, start in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return name, "元" if year == 1 else str(year)
    return None, str(day.year)


@register.filter
def wareki(value, form="day"):
    """A date as a Japanese-era date: 令和5年10月7日.

    `|wareki:"month"` gives 令和5年10月, `|wareki:"year"` 令和5年, `|wareki:"weekday"` 令和5年10月7日（土）.

    Dates before 大正 fall back to the Western year (西暦), which the site never shows in practice.
    """
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.date):
        return value
    day = to_local_date(value)
    name, year = era_year(day)
    prefix = f"{name}{year}年" if name else f"{year}年"
    if form == "month":
        return f"{prefix}{day.month}月"
    if form == "year":
        return prefix
    text = f"{prefix}{day.month}月{day.day}日"
    if form == "weekday":
        return f"{text}（{WEEKDAYS[day.weekday()]}）"
    return text


@register.filter
def wareki_month(value):
    """A date as a Japanese-era month: 令和5年10月."""
    return wareki(value, "month")


def format_file_size(size):
    """A size in bytes as the prefecture writes it in link labels: 387KB, 3MB, 2.5MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size}B"
    kilobytes = round(size / 1024)
    if kilobytes < 1024:
        return f"{kilobytes}KB"
    megabytes = size / (1024 * 1024)
    if megabytes < 10:
        return f"{megabytes:.1f}".removesuffix(".0") + "MB"
    return f"{round(megabytes)}MB"


@register.filter
def file_size(value):
    """A size in bytes as 387KB / 3MB (empty when unknown)."""
    return format_file_size(value)


@register.filter
def document_label(document):
    """The type-and-size label the prefecture puts after a file link, computed from the file: [PDF:387KB].

    Empty when the file is missing, so a broken upload never shows a made-up size.
    """
    if document is None:
        return ""
    size = document.get_file_size()
    if size is None:
        return ""
    extension = (document.file_extension or "file").upper()
    return f"[{extension}:{format_file_size(size)}]"


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """The site's top-level sections shown in the main navigation (live, 「メニューに表示」 ticked)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    return site.root_page.get_children().live().in_menu().specific()


@register.simple_tag
def breadcrumb_pages(page):
    """The pages from the site's home down to `page` (the tree's root is never shown)."""
    if page is None or not getattr(page, "pk", None):
        return []
    return list(page.get_ancestors(inclusive=True).filter(depth__gt=1).specific())


@register.filter
def is_in_section(page, section):
    """True when `page` is `section` or below it (for aria-current in the navigation)."""
    if page is None or not getattr(page, "url_path", None):
        return False
    return page.url_path.startswith(section.url_path)

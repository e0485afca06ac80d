"""Presentation helpers used across the site's templates: Japanese-era dates and file labels."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()

# First day of each era (the day the new era's name took effect), newest first.
ERAS = (
    ("令和", datetime.date(2019, 5, 1)),
    ("平成", datetime.date(1989, 1, 8)),
    ("昭和", datetime.date(1926, 12, 25)),
    ("大正", datetime.date(1912, 7, 30)),
)


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
    """A date as a Japanese-era date: 令和5年10月7日; `|wareki:"month"` gives 令和5年10月.

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
    return f"{prefix}{day.month}月{day.day}日"


@register.filter
def wareki_month(value):
    """A date as a Japanese-era month: 令和5年10月."""
    return wareki(value, "month")


def format_file_size(size):
    """A size in bytes as the prefecture writes it in link labels: 387KB, 3MB, 1.2MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size}B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)}KB"
    megabytes = size / (1024 * 1024)
    if megabytes < 10:
        text = f"{megabytes:.1f}".rstrip("0").rstrip(".")
    else:
        text = str(round(megabytes))
    return f"{text}MB"

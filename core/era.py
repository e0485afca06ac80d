"""Japanese-era (和暦) dates: the site's one era table, its formatting and the year arithmetic.

The system has no ja_JP locale and `japanera` pads with zeros, so the table is kept here. Pages and
the declaration register (its dates and the import's 令和6年4月1日) both read it.
"""

import datetime

from django.utils import timezone

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


def western_year(era, year):
    """The Western year of an era year: ("令和", 1) → 2019; KeyError for a name not in the table."""
    return dict(ERAS)[era].year + year - 1


def format_date(value, form="day"):
    """A date or datetime as a Japanese-era date: 令和5年10月7日.

    `form="month"` gives 令和5年10月, `form="weekday"` 令和5年10月7日（土）. Dates before 大正 fall back to
    the Western year (西暦), which the site never shows in practice.
    """
    day = to_local_date(value)
    name, year = era_year(day)
    prefix = f"{name}{year}年" if name else f"{year}年"
    if form == "month":
        return f"{prefix}{day.month}月"
    text = f"{prefix}{day.month}月{day.day}日"
    if form == "weekday":
        return f"{text}（{WEEKDAYS[day.weekday()]}）"
    return text


MONTHS_EN = ("January February March April May June July August September October November December").split()
WEEKDAYS_EN = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def format_date_in(value, language, form="day"):
    """A date as the site writes it in `language`: the era date in Japanese (`format_date`), the Western
    year in やさしい日本語 (2023年11月9日: readers learning Japanese rarely know the eras) and in English
    (9 November 2023, as British and Japanese government English write it). Same `form`s as `format_date`."""
    if language == "en":
        day = to_local_date(value)
        if form == "month":
            return f"{MONTHS_EN[day.month - 1]} {day.year}"
        text = f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
        return f"{WEEKDAYS_EN[day.weekday()]} {text}" if form == "weekday" else text
    if language.startswith("ja-"):
        day = to_local_date(value)
        if form == "month":
            return f"{day.year}年{day.month}月"
        text = f"{day.year}年{day.month}月{day.day}日"
        return f"{text}（{WEEKDAYS[day.weekday()]}）" if form == "weekday" else text
    return format_date(value, form)

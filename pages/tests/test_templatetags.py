import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from core import era
from pages.templatetags.kyosei_tags import document_label, format_file_size, wareki

from .factories import make_document

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 10, 7), "令和5年10月7日"),
        (datetime.date(2022, 10, 30), "令和4年10月30日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2019, 12, 31), "令和元年12月31日"),
        (datetime.date(2020, 1, 1), "令和2年1月1日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
        (datetime.date(1989, 1, 8), "平成元年1月8日"),
        (datetime.date(1926, 12, 24), "大正15年12月24日"),
        (datetime.date(1926, 12, 25), "昭和元年12月25日"),
        (datetime.date(1912, 7, 30), "大正元年7月30日"),
    ],
)
def test_wareki_gives_the_era_date_with_gannen_and_exact_boundaries(day, expected):
    assert wareki(day) == expected


def test_wareki_uses_the_date_in_japan_for_aware_datetimes():
    # 2019-04-30 15:00 UTC is midnight on 1 May in Tokyo: the first day of 令和.
    assert wareki(datetime.datetime(2019, 4, 30, 15, 0, tzinfo=datetime.UTC)) == "令和元年5月1日"
    assert wareki(datetime.datetime(2019, 4, 30, 14, 59, tzinfo=datetime.UTC)) == "平成31年4月30日"
    assert wareki(datetime.datetime(2023, 11, 9, 9, 0, tzinfo=TOKYO)) == "令和5年11月9日"


def test_wareki_month_form_for_creation_months():
    assert wareki(datetime.date(2023, 10, 1), "month") == "令和5年10月"
    assert wareki(datetime.date(2019, 5, 20), "month") == "令和元年5月"


def test_wareki_weekday_form_for_events():
    assert wareki(datetime.date(2023, 10, 7), "weekday") == "令和5年10月7日（土）"
    assert wareki(datetime.date(2022, 10, 30), "weekday") == "令和4年10月30日（日）"


def test_wareki_in_a_template_and_empty_for_missing_dates():
    template = Template("{% load kyosei_tags %}[{{ day|wareki }}][{{ day|wareki:'month' }}][{{ missing|wareki }}]")
    rendered = template.render(Context({"day": datetime.date(2023, 10, 7), "missing": None}))
    assert rendered == "[令和5年10月7日][令和5年10月][]"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (512, "512B"),
        (1024, "1KB"),
        (396_288, "387KB"),
        (1024 * 1024 - 1, "1MB"),
        (3 * 1024 * 1024, "3MB"),
        (int(2.5 * 1024 * 1024), "2.5MB"),
        (25 * 1024 * 1024, "25MB"),
    ],
)
def test_file_sizes_read_as_the_prefecture_writes_them(size, expected):
    assert format_file_size(size) == expected


@pytest.mark.django_db
def test_document_label_is_computed_from_the_real_file():
    declaration = make_document("宣言書", size=387 * 1024, filename="sengen.pdf")
    about = make_document("「高知型地域共生社会」について", size=3 * 1024 * 1024, filename="about.pdf")
    assert declaration.file.size == 387 * 1024
    assert document_label(declaration) == "[PDF:387KB]"
    assert document_label(about) == "[PDF:3MB]"


@pytest.mark.django_db
def test_document_label_is_empty_when_the_file_is_missing():
    document = make_document("宣言書", size=2048)
    assert document_label(document) == "[PDF:2KB]"
    document.file.delete(save=False)
    document.file_size = None
    assert document_label(document) == ""


def test_the_era_table_turns_era_years_back_into_western_years():
    # The import reads 令和6年4月1日 with the same table the filter writes it with.
    for _name, start in era.ERAS:
        name, year = era.era_year(start)
        assert year == "元"
        assert era.western_year(name, 1) == start.year
    assert era.western_year("令和", 6) == 2024
    assert era.western_year("平成", 31) == 2019

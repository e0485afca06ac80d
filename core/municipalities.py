"""Kochi's 34 municipalities and the four regions they belong to, as a reference list any app may read.

The list is data (`data/kochi-municipalities.csv`: name, reading, kind, region, in the prefecture's
usual order); the register's Municipality rows are loaded from the same file by its migration, and
the centres directory reads it here, so neither app imports the other for a list of names.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "kochi-municipalities.csv"

# The prefecture's four regions in the order it lists them, east to west: 安芸 to 幡多.
REGIONS = ("安芸", "中央", "高幡", "幡多")


@dataclass(frozen=True)
class Municipality:
    name: str
    kana: str
    kind: str  # 市・町・村
    region: str
    order: int


def _load():
    with CSV_PATH.open(encoding="utf-8") as f:
        return tuple(
            Municipality(row["name"], row["kana"], row["kind"], row["region"], order)
            for order, row in enumerate(csv.DictReader(f), start=1)
        )


MUNICIPALITIES = _load()
BY_NAME = {municipality.name: municipality for municipality in MUNICIPALITIES}


def choices():
    """(name, name) for every municipality, in the list's order: a model field's or a form's choices."""
    return [(municipality.name, municipality.name) for municipality in MUNICIPALITIES]


def in_region(region):
    return [municipality for municipality in MUNICIPALITIES if municipality.region == region]

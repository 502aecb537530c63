"""Municipality codes and names for Denmark and Norway, kept as data in municipalities.csv.

Codes are strings: Statistics Denmark uses three digits without a leading zero ("101"),
Statistics Norway four digits with one ("0301").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("municipalities.csv")

COUNTRIES = {"DK": "Denmark", "NO": "Norway"}
# Statistics Denmark's code for the whole country in OMRÅDE; SSB's in Region.
NATIONAL_CODE = {"DK": "000", "NO": "0"}


@dataclass(frozen=True)
class Municipality:
    country: str
    code: str
    name: str
    region_code: str
    region_name: str


@cache
def list_municipalities(country: str | None = None) -> tuple[Municipality, ...]:
    """All municipalities, or those of one country ("DK" or "NO"), ordered by code."""
    with DATA_FILE.open(encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        rows = [Municipality(**row) for row in csv.DictReader(lines)]
    if country is not None:
        rows = [m for m in rows if m.country == country]
    return tuple(rows)


def municipality_codes(country: str) -> list[str]:
    """The municipality codes of one country."""
    return [m.code for m in list_municipalities(country)]


def find_municipality(code: str) -> Municipality | None:
    """The municipality with this code in either country, or None.

    Danish and Norwegian codes never collide (three versus four digits).
    """
    for m in list_municipalities():
        if m.code == code:
            return m
    return None

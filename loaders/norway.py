"""Norway's country groups and municipality reforms, kept as data beside this module.

- no_country_groups.csv: Statistics Norway's 3-digit country codes (KLASS 91) and the country
  group each belongs to, so that country group 2 can be summed from single countries in 09817,
  which publishes no country-group code of its own.
- no_municipality_changes.csv: every municipality code change since 2011 (KLASS 131), so that
  figures published under earlier codes can be put under today's municipalities: renamed codes
  are carried over, merged municipalities are summed (counts only), and a split ends the series.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.municipalities import municipality_codes

HERE = Path(__file__).parent
COUNTRY_FILE = HERE / "no_country_groups.csv"
CHANGES_FILE = HERE / "no_municipality_changes.csv"
FIRST_YEAR = 2010  # the earliest year of the Norwegian tables; the changes start in 2011
# 3-digit Landbakgrunn codes that are not countries: 999 is 09817's total over all countries
# (two public clients read it so: evensrii/Telemark's "999 (alle land)" and a map project's
# SSB_TOTAL), 000 is Norway in KLASS 91 (in neither group).
NOT_COUNTRIES = {"999": "all countries", "000": "Norway"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


# --- country groups -------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    code: str
    name_no: str
    names_no: tuple[str, ...]  # name_no and the alternatives the label may carry
    name_en: str  # our own English name, not SSB's label
    group: str  # "1", "2" or "" (in neither group)
    confirmed: bool


@cache
def list_countries() -> tuple[Country, ...]:
    """Every country code of the classification, in code order."""
    countries = []
    for row in _rows(COUNTRY_FILE):
        also = tuple(name for name in row["also_no"].split(";") if name)
        countries.append(
            Country(
                code=row["code"],
                name_no=row["name_no"],
                names_no=(row["name_no"], *also),
                name_en=row["name_en"],
                group=row["group"],
                confirmed=row["confirmed"] == "yes",
            )
        )
    return tuple(countries)


def country_group(group: str) -> tuple[Country, ...]:
    """The countries of one group ("1" or "2")."""
    return tuple(c for c in list_countries() if c.group == group)


# --- municipality changes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    year: int  # in force from 1 January of this year
    kind: str  # rename, merge, split or name_only
    source: str


@dataclass(frozen=True)
class Break:
    """A point before which a municipality's series cannot be continued under today's code."""

    code: str
    comparable_from: int  # the first year of the comparable series
    kind: str  # "merge" (counts are summed over the parts, rates are lost) or "split"
    reason: str

    @property
    def counts_summed(self) -> bool:
        return self.kind == "merge"


@cache
def list_changes() -> tuple[Change, ...]:
    return tuple(
        Change(
            old_code=row["old_code"],
            old_name=row["old_name"],
            new_code=row["new_code"],
            new_name=row["new_name"],
            year=int(row["change_from"]),
            kind=row["kind"],
            source=row["source"],
        )
        for row in _rows(CHANGES_FILE)
    )


@dataclass(frozen=True)
class _Event:
    """All changes of one date: which old codes each new code came from, and vice versa."""

    year: int
    olds_of: dict[str, frozenset[str]]
    news_of: dict[str, frozenset[str]]


@cache
def _events() -> tuple[_Event, ...]:
    """The change dates, newest first."""
    by_year: dict[int, list[Change]] = defaultdict(list)
    for change in list_changes():
        by_year[change.year].append(change)
    events = []
    for year in sorted(by_year, reverse=True):
        olds: dict[str, set[str]] = defaultdict(set)
        news: dict[str, set[str]] = defaultdict(set)
        for change in by_year[year]:
            olds[change.new_code].add(change.old_code)
            news[change.old_code].add(change.new_code)
        events.append(
            _Event(
                year,
                {k: frozenset(v) for k, v in olds.items()},
                {k: frozenset(v) for k, v in news.items()},
            )
        )
    return tuple(events)


@cache
def predecessors(code: str, year: int) -> frozenset[str] | None:
    """The codes that together covered today's municipality `code` during `year`.

    {code} itself when it was valid then; the earlier code for a renamed municipality; all the
    parts of a merged one. None when a split since then makes it impossible: the old code also
    covered land that belongs to another municipality today.
    """
    current = frozenset({code})
    for event in _events():
        if event.year <= year:
            break
        earlier: set[str] = set()
        for part in current:
            olds = event.olds_of.get(part, frozenset({part}))
            for old in olds:
                if not event.news_of.get(old, frozenset({part})) <= current:
                    return None
            earlier |= olds
        current = frozenset(earlier)
    return current


@cache
def all_codes() -> frozenset[str]:
    """Every municipality code in use at some time since FIRST_YEAR."""
    changed = {c.old_code for c in list_changes()} | {c.new_code for c in list_changes()}
    return frozenset(changed | set(municipality_codes("NO")))


@cache
def valid_codes(year: int) -> frozenset[str]:
    """Every municipality code in use during `year` (FIRST_YEAR or later)."""
    return frozenset(code for code in all_codes() if _valid_in(code, year))


@cache
def county_codes(year: int) -> frozenset[str]:
    """The counties of a year: the first two digits of the municipality codes then in use (a
    Norwegian municipality number begins with its county's). Years before FIRST_YEAR are read
    as FIRST_YEAR: the counties did not change between 2002 and 2017."""
    return frozenset(code[:2] for code in valid_codes(max(year, FIRST_YEAR)))


def _valid_in(code: str, year: int) -> bool:
    first, last = code_span(code)
    return (first is None or first <= year) and (last is None or year <= last)


@cache
def code_span(code: str) -> tuple[int | None, int | None]:
    """(first year, last year) a code was in use; None at either end means open."""
    first: int | None = None
    last: int | None = None
    for event in sorted(_events(), key=lambda e: e.year):
        if code in event.news_of and code not in event.olds_of:
            last = event.year - 1
        if code in event.olds_of and code not in event.news_of:
            first = event.year if first is None else first
    return first, last


@cache
def code_name(code: str) -> str:
    """The newest name a code carried (KLASS's own spelling)."""
    name = ""
    for change in sorted(list_changes(), key=lambda c: c.year):
        if change.new_code == code:
            name = change.new_name
        elif change.old_code == code and not name:
            name = change.old_name
    return name


def historic_codes() -> list[str]:
    """Codes no longer in use, in code order."""
    current = set(municipality_codes("NO"))
    return sorted(
        {c.old_code for c in list_changes()} - current,
    )


@cache
def list_breaks() -> tuple[Break, ...]:
    """Every merge and split behind today's municipalities, newest first per code."""
    breaks = []
    for code in municipality_codes("NO"):
        for event in _events():
            after = predecessors(code, event.year)
            if after is None:
                break  # an older split already ends the series
            before = predecessors(code, event.year - 1)
            if before is None:
                parts = sorted(after)
                olds = sorted({o for p in parts for o in event.olds_of.get(p, ())})
                breaks.append(
                    Break(code, event.year, "split", _describe("split", event.year, olds, code))
                )
                break
            merged = [p for p in after if len(event.olds_of.get(p, ())) > 1]
            if merged:
                olds = sorted({o for p in merged for o in event.olds_of[p]})
                breaks.append(
                    Break(code, event.year, "merge", _describe("merge", event.year, olds, code))
                )
    return tuple(breaks)


def _describe(kind: str, year: int, olds: list[str], code: str) -> str:
    named = ", ".join(f"{o} {code_name(o)}" for o in olds)
    if kind == "merge":
        return f"merged on 1 January {year} from {named}"
    return f"split on 1 January {year}: formed from part of {named}"

"""Statistics Norway's Region variable through the municipality reforms, for the simulator.

Statistics Norway keeps one Region value per municipality code that ever existed, labelled with
the years it was in use ("Halden (2020-2023)"), and publishes each code's figures for those
years only (shared/reference/tables/ssb_response_shape.md; the research notes on 04861, 09817
and 11607). The demo model knows today's 357 municipalities; this module spreads each of them
over the codes that covered its land in an earlier year, following the KLASS change table
(loaders/no_municipality_changes.csv), so that old codes carry figures that add up to today's.

How much of today's municipality an old code held is invented (a fixed weight per old code);
only the codes, their years and which code became which are real.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from functools import cache

import numpy as np

from loaders import norway
from loaders.municipalities import list_municipalities
from simulator.model import apportion

CURRENT = tuple(m.code for m in list_municipalities("NO"))
# Region leaves: every municipality code in use since 2010, in code order.
CODES = tuple(sorted(norway.all_codes()))
LEAF = {code: i for i, code in enumerate(CODES)}


def label(code: str, lang: str) -> str:
    """The Region label: today's name, or the name with the years in use ("(2020-2023)")."""
    names = {m.code: m.name for m in list_municipalities("NO")}
    if code in names:
        return names[code]
    first, last = norway.code_span(code)
    return f"{norway.code_name(code)} ({first or ''}-{last or ''})"


def in_use(code: str, year: int) -> str:
    """ "yes", "before" (the code did not exist yet) or "after" (it had been replaced)."""
    first, last = norway.code_span(code)
    if first is not None and year < first:
        return "before"
    if last is not None and year > last:
        return "after"
    return "yes"


def _weight(old: str, new: str) -> float:
    """Invented share of a merged municipality an old code held (the continuing code most)."""
    if old == new:
        return 3.0
    return 0.4 + (zlib.crc32(f"{old}>{new}".encode()) % 1000) / 1000.0


@cache
def composition(year: int) -> dict[str, dict[str, float]]:
    """For each current municipality: the codes in use during `year` and the share of its
    land (and people) each held. The shares of one current municipality sum to 1."""
    held: dict[str, dict[str, float]] = {code: {code: 1.0} for code in CURRENT}
    changes: dict[int, list[norway.Change]] = defaultdict(list)
    for change in norway.list_changes():
        changes[change.year].append(change)
    for event_year in sorted(changes, reverse=True):
        if event_year <= year:
            break
        olds: dict[str, list[str]] = defaultdict(list)
        for change in changes[event_year]:
            olds[change.new_code].append(change.old_code)
        for current, shares in held.items():
            earlier: dict[str, float] = defaultdict(float)
            for code, share in shares.items():
                parts = olds.get(code, [code])
                weights = np.array([_weight(part, code) for part in parts])
                for part, weight in zip(parts, weights / weights.sum(), strict=True):
                    earlier[part] += share * float(weight)
            held[current] = dict(earlier)
    return held


def to_codes(values: np.ndarray, years: list[int]) -> np.ndarray:
    """Integer figures by current municipality -> by Region code in use in each year.

    `values` has today's municipalities on its first axis and the years on its last; the
    result has CODES on its first axis. Each current municipality's figure is split over the
    codes that held its land that year (largest remainder, so the parts add up exactly).
    """
    values = np.asarray(values)
    out = np.zeros((len(CODES), *values.shape[1:]), dtype=np.int64)
    for t, year in enumerate(years):
        held = composition(year)
        for i, current in enumerate(CURRENT):
            shares = held[current]
            if len(shares) == 1:
                out[LEAF[next(iter(shares))], ..., t] += values[i, ..., t]
                continue
            codes = list(shares)
            weights = np.broadcast_to(
                np.array([shares[c] for c in codes]), (*values.shape[1:-1], len(codes))
            )
            parts = apportion(values[i, ..., t], weights)
            for k, code in enumerate(codes):
                out[LEAF[code], ..., t] += parts[..., k]
    return out

"""Ranks, peer averages and funnel-plot limits: the arithmetic of comparing municipalities.

Plain Python and numpy on rows already read (no database, no Dash):

* the rank inside a peer group (1 = best in the indicator's good direction; for shares, which
  have no good direction, 1 = largest), ties sharing the better rank;
* the weighted peer average: the sum of numerators over the sum of denominators of the peers
  that have a shown value (withheld and missing ones are left out, so the average never
  reveals a withheld figure). For a gap it is the difference of the two pooled rates, in the
  same direction as the gap. When a provider publishes rates only (no counts) there is no
  weighted average; the plain mean of the shown values is given instead, labelled unweighted;
* funnel-plot control limits around the national (weighted) value, see `build_funnel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from indicators.notes import Note
from indicators.registry import Indicator
from indicators.stats import FUNNEL_LEVELS, funnel_limits, mover_interval

# Where a municipality lies on the funnel plot.
WITHIN, ABOVE_95, BELOW_95, ABOVE_998, BELOW_998 = (
    "within",
    "above_95",
    "below_95",
    "above_998",
    "below_998",
)
# Why a funnel plot or scatter cannot be drawn.
RATES_ONLY = "rates_only"
NO_REFERENCE = "no_reference"
NO_COMPARISON = "no_comparison"
NO_VALUES = "no_values"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class Display(NamedTuple):
    """A row's numbers rounded to 2 decimals for figures, table and CSV (computed once per read).

    `plus` and `minus` are the interval's distances from the value (error bars).
    """

    value: float | None
    lower: float | None
    upper: float | None
    target_rate: float | None
    comparison_rate: float | None
    plus: float | None
    minus: float | None

    @classmethod
    def of(
        cls,
        value: float | None,
        lower: float | None,
        upper: float | None,
        target_rate: float | None,
        comparison_rate: float | None,
    ) -> Display:
        bars = value is not None and lower is not None and upper is not None
        return cls(
            _round(value),
            _round(lower),
            _round(upper),
            _round(target_rate),
            _round(comparison_rate),
            round(upper - value, 2) if bars else None,  # type: ignore[operator]
            round(value - lower, 2) if bars else None,  # type: ignore[operator]
        )


@dataclass(slots=True)
class Row:
    """One municipality of the peer group in the chosen period (values in % or pp)."""

    code: str
    name: str
    value: float | None
    lower: float | None
    upper: float | None
    n: float | None
    target_num: float | None
    target_rate: float | None  # %
    comparison_num: float | None
    comparison_den: float | None
    comparison_rate: float | None  # %
    note: Note | None
    small_number: str | None
    display: Display
    is_focus: bool = False
    rank: int | None = None
    funnel: str | None = None


@dataclass(frozen=True)
class Reference:
    """A weighted reference value (national or peer average) or, failing that, a plain mean.

    `provider`: the value is the provider's own whole-country figure (indicator_values'
    reference_source), which counts everyone, also where it suppressed municipal cells.
    """

    value: float | None
    weighted: bool
    provider: bool = False


@dataclass(frozen=True)
class Funnel:
    """Control limits around the national value on a grid of group sizes (for drawing)."""

    centre: float
    n: list[float]
    limits: dict[float, tuple[list[float], list[float]]]  # level -> (lower, upper), in % / pp
    method: str  # "rate" or "gap"
    comparison_ratio: float | None = None  # national comparison size / target size (gaps)


def is_ascending(indicator: Indicator) -> bool:
    """Whether rank 1 is the smallest value: gaps, and rates where lower is better."""
    return indicator.measure == "gap" or indicator.higher_is_better is False


def rank_rows(rows: list[Row], ascending: bool) -> list[Row]:
    """Shown rows sorted best first (ties by name) with competition ranks (1, 2, 2, 4)."""
    sign = 1.0 if ascending else -1.0
    ordered = sorted(rows, key=lambda r: (sign * (r.value or 0.0), r.name, r.code))
    previous: float | None = None
    rank = 0
    for position, row in enumerate(ordered, start=1):
        if row.value != previous:
            rank, previous = position, row.value
        row.rank = rank
    return ordered


def _gap_sign(indicator: Indicator) -> float:
    """+1 when the gap is comparison minus target (higher is better), else -1."""
    return 1.0 if indicator.higher_is_better is not False else -1.0


def weighted_average(rows: list[Row], indicator: Indicator) -> Reference:
    """Sum of numerators over sum of denominators of the rows (pooled), in % or pp.

    Falls back to the plain mean of the values (weighted=False) when any row lacks counts.
    """
    if not rows:
        return Reference(None, True)
    gap = indicator.measure == "gap"
    counted = all(
        r.target_num is not None
        and r.n
        and (not gap or (r.comparison_num is not None and r.comparison_den))
        for r in rows
    )
    if not counted:
        values = [r.value for r in rows if r.value is not None]
        return Reference(sum(values) / len(values) if values else None, False)
    target = sum(r.target_num or 0.0 for r in rows) / sum(r.n or 0.0 for r in rows)
    if not gap:
        return Reference(100 * target, True)
    comparison = sum(r.comparison_num or 0.0 for r in rows) / sum(
        r.comparison_den or 0.0 for r in rows
    )
    return Reference(100 * _gap_sign(indicator) * (comparison - target), True)


def national_reference(national: dict[str, float | None]) -> Reference:
    """The national weighted value, or its plain mean of municipalities when there is none."""
    if national["value"] is not None:
        return Reference(national["value"], True, bool(national.get("provider")))
    return Reference(national["unweighted_mean"], False)


def _limits(
    indicator: Indicator, national: dict[str, float | None], n: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Control limits (in % or pp) at target-group sizes n."""
    p_target = national["target_rate"] or 0.0
    lower_t, upper_t = (np.asarray(x) for x in funnel_limits(p_target, n, level))
    if indicator.measure != "gap":
        return 100 * lower_t, 100 * upper_t
    p_comp = national["comparison_rate"] or 0.0
    ratio = (national["comparison_den"] or 0.0) / (national["target_den"] or 1.0)
    lower_c, upper_c = (np.asarray(x) for x in funnel_limits(p_comp, ratio * n, level))
    if _gap_sign(indicator) > 0:  # gap = comparison - target
        low, high = mover_interval(p_comp, lower_c, upper_c, p_target, lower_t, upper_t)
    else:
        low, high = mover_interval(p_target, lower_t, upper_t, p_comp, lower_c, upper_c)
    return 100 * np.asarray(low), 100 * np.asarray(high)


def funnel_reason(indicator: Indicator, country: str, national: dict[str, float | None]) -> str:
    """Why no funnel plot can be drawn ("" when one can)."""
    definition = indicator.countries[country]
    if definition.target.rate is not None:  # (a rates-only group's size is approximate)
        return RATES_ONLY
    needed = ["value", "target_rate", "target_den"]
    if indicator.measure == "gap":
        needed += ["comparison_rate", "comparison_den"]
    if any(national[key] is None for key in needed):
        return NO_REFERENCE
    return ""


def build_funnel(
    indicator: Indicator, national: dict[str, float | None], rows: list[Row]
) -> Funnel | None:
    """Funnel limits around the national value and each row's place against them.

    Rates and shares: `funnel_limits(p0, n)` with p0 the national (weighted) rate and n the
    target-group size (the x axis). Gaps: each group's limits come from `funnel_limits` around
    its national rate, the target group at size n and the comparison group at r·n, r being the
    national ratio of comparison- to target-group size; the two are combined as for a
    difference of independent rates (MOVER, the construction behind the gaps' Newcombe
    intervals). Sets `row.funnel` for every row with a value and a size.
    """
    placed = [r for r in rows if r.value is not None and r.n]
    if not placed or national["value"] is None:
        return None
    sizes = np.array([r.n for r in placed], dtype=float)
    grid = np.round(np.geomspace(max(sizes.min() * 0.9, 1.0), sizes.max() * 1.1, 80), 1)
    limits = {}
    for level in FUNNEL_LEVELS:
        lower, upper = _limits(indicator, national, grid, level)
        limits[level] = (np.round(lower, 3).tolist(), np.round(upper, 3).tolist())
    inner_low, inner_high = _limits(indicator, national, sizes, FUNNEL_LEVELS[0])
    outer_low, outer_high = _limits(indicator, national, sizes, FUNNEL_LEVELS[-1])
    bounds = zip(
        outer_high.tolist(),
        outer_low.tolist(),
        inner_high.tolist(),
        inner_low.tolist(),
        strict=True,
    )
    for row, (top, bottom, high, low) in zip(placed, bounds, strict=True):
        value = row.value or 0.0
        if value > top:
            row.funnel = ABOVE_998
        elif value < bottom:
            row.funnel = BELOW_998
        elif value > high:
            row.funnel = ABOVE_95
        elif value < low:
            row.funnel = BELOW_95
        else:
            row.funnel = WITHIN
    ratio = None
    if indicator.measure == "gap":
        ratio = (national["comparison_den"] or 0.0) / (national["target_den"] or 1.0)
    return Funnel(
        centre=float(national["value"]),
        n=grid.tolist(),
        limits=limits,
        method="gap" if indicator.measure == "gap" else "rate",
        comparison_ratio=ratio,
    )

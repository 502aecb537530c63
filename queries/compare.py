"""Reads and arithmetic for the Compare page: one indicator, country and period over a peer group.

Everything comes from `indicator_values` with bound parameters; nothing here knows about Dash.
`get_comparison` checks the view's parameters (raising `CompareProblem` with suggestions for
anything unknown), reads the period's rows once and derives what the page shows:

* the rank inside the peer group (1 = best in the indicator's good direction; for shares,
  which have no good direction, 1 = largest), ties sharing the lower rank;
* the weighted peer average: the sum of numerators over the sum of denominators of the peers
  that have a shown value (withheld and missing ones are left out, so the average never
  reveals a withheld figure). For a gap it is the difference of the two pooled rates, in the
  same direction as the gap. When a provider publishes rates only (no counts) there is no
  weighted average; the plain mean of the shown values is given instead, labelled unweighted;
* funnel-plot control limits around the national (weighted) value, see `build_funnel`.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from errors import BarometerError
from indicators.notes import Note
from indicators.registry import Indicator, get_indicator, list_indicators
from indicators.stats import FUNNEL_LEVELS, funnel_limits, mover_interval
from loaders.municipalities import Municipality, find_municipality, list_municipalities
from queries.db import connection, database_identity
from queries.peers import KINDS, PeerError, PeerSet, resolve_peers
from queries.values import get_data_status

COUNTRIES = ("DK", "NO")
DEFAULT_COUNTRY = "DK"
DEFAULT_INDICATOR = "employment_gap"
DEFAULT_PEERS = "all"
PEERS_NEEDING_FOCUS = ("region", "size", "similar")

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


class CompareProblem(BarometerError):
    """A view parameter that cannot be used, with the closest values that can.

    `kind` is one of indicator, period, focus, peers, country, unavailable (the indicator is
    not published for the country) or no_data; `suggestions` are (value, label) pairs.
    """

    def __init__(
        self,
        kind: str,
        value: str,
        suggestions: list[tuple[str, str]],
        message: str,
        choices: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.value = value
        self.suggestions = suggestions
        self.choices = choices or []


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
    """A weighted reference value (national or peer average) or, failing that, a plain mean."""

    value: float | None
    weighted: bool


@dataclass(frozen=True)
class Funnel:
    """Control limits around the national value on a grid of group sizes (for drawing)."""

    centre: float
    n: list[float]
    limits: dict[float, tuple[list[float], list[float]]]  # level -> (lower, upper), in % / pp
    method: str  # "rate" or "gap"
    comparison_ratio: float | None = None  # national comparison size / target size (gaps)


@dataclass(frozen=True)
class Comparison:
    """Everything the Compare page shows for one view."""

    indicator: Indicator
    country: str
    period: str
    periods: list[str]
    peers: PeerSet
    peers_spec: str
    focus: Municipality | None
    shown: list[Row]
    missing: list[Row]
    national: Reference
    peer_average: Reference
    funnel: Funnel | None
    funnel_reason: str | None
    scatter_reason: str | None
    ascending: bool
    focus_in_peers: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[Row]:
        """Shown rows in rank order, then missing ones by name: the table and the CSV."""
        return [*self.shown, *self.missing]

    @property
    def focus_row(self) -> Row | None:
        return next((r for r in self.rows if r.is_focus), None)


# --------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    """Rows of a read query with bound parameters, as tuples (no DataFrame on the hot path)."""
    cursor = connection()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


_PERIODS_SQL = """
    SELECT period FROM indicator_values
    WHERE indicator = ? AND country = ? AND area_type = 'municipality'
    GROUP BY period HAVING count(value) > 0
    ORDER BY period DESC
"""

_ROWS_SQL = """
    SELECT m.code, m.name, v.value,
           CASE WHEN v.measure = 'gap' THEN v.gap_lower_pp ELSE 100 * v.target_lower END,
           CASE WHEN v.measure = 'gap' THEN v.gap_upper_pp ELSE 100 * v.target_upper END,
           v.target_den, v.target_num, 100 * v.target_rate,
           v.comparison_num, v.comparison_den, 100 * v.comparison_rate,
           v.note_code, v.note_symbol, v.note_n, v.small_number
    FROM municipalities m
    LEFT JOIN indicator_values v
      ON v.country = m.country AND v.area = m.code AND v.area_type = 'municipality'
     AND v.indicator = ? AND v.period = ?
    WHERE m.country = ?
"""

_NATIONAL_SQL = """
    SELECT value, unweighted_mean, target_num, target_den, target_rate,
           comparison_num, comparison_den, comparison_rate
    FROM indicator_values
    WHERE indicator = ? AND country = ? AND period = ? AND area_type = 'national'
"""

NATIONAL_KEYS = (
    "value",
    "unweighted_mean",
    "target_num",
    "target_den",
    "target_rate",
    "comparison_num",
    "comparison_den",
    "comparison_rate",
)


def _number(value: Any) -> float | None:
    """A float, or None for NULL / NaN (missing stays missing, never 0)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


@functools.lru_cache(maxsize=256)
def _read_periods(identity: tuple[str, int, int], indicator: str, country: str) -> tuple[str, ...]:
    return tuple(str(r[0]) for r in _fetch(_PERIODS_SQL, [indicator, country]))


@functools.lru_cache(maxsize=64)
def _read_rows(
    identity: tuple[str, int, int], indicator: str, country: str, period: str
) -> tuple[tuple, ...]:
    """Row fields as plain Python values (interval and rates only where there is a value)."""
    found = []
    for record in _fetch(_ROWS_SQL, [indicator, period, country]):
        code, name, value, lower, upper, n, t_num, t_rate, c_num, c_den, c_rate = record[:11]
        note_code, note_symbol, note_n, small = record[11:]
        value = _number(value)
        shown = value is not None
        lower = _number(lower) if shown else None
        upper = _number(upper) if shown else None
        t_rate = _number(t_rate) if shown else None
        c_rate = _number(c_rate) if shown else None
        found.append(
            (
                str(code),
                str(name),
                value,
                lower,
                upper,
                _number(n),
                _number(t_num),
                t_rate,
                _number(c_num),
                _number(c_den),
                c_rate,
                Note.from_row(
                    {"note_code": note_code, "note_symbol": note_symbol, "note_n": note_n}
                ),
                small,
                Display.of(value, lower, upper, t_rate, c_rate),
            )
        )
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _read_national(
    identity: tuple[str, int, int], indicator: str, country: str, period: str
) -> tuple[float | None, ...]:
    rows = _fetch(_NATIONAL_SQL, [indicator, country, period])
    return tuple(_number(v) for v in rows[0]) if rows else (None,) * len(NATIONAL_KEYS)


Identity = tuple[str, int, int]


def clear_read_cache() -> None:
    """Forget every cached read (tests and benchmarks; a swapped file needs no clearing)."""
    for reader in (_read_periods, _read_rows, _read_national):
        reader.cache_clear()


def list_periods(indicator: str, country: str, identity: Identity | None = None) -> list[str]:
    """Periods of an indicator and country with at least one municipal value, newest first."""
    return list(_read_periods(identity or database_identity(), indicator, country))


def get_rows(
    indicator: str, country: str, period: str, identity: Identity | None = None
) -> dict[str, Row]:
    """Every municipality of the country in one period, by code (missing values as None).

    Fresh Row objects each time (the view sets rank, focus and funnel place on them).
    """
    cached = _read_rows(identity or database_identity(), indicator, country, period)
    return {fields[0]: Row(*fields) for fields in cached}


def get_national(
    indicator: str, country: str, period: str, identity: Identity | None = None
) -> dict[str, float | None]:
    """The national row: weighted value, plain mean, and the pooled counts and rates."""
    values = _read_national(identity or database_identity(), indicator, country, period)
    return dict(zip(NATIONAL_KEYS, values, strict=True))


@dataclass(frozen=True)
class Provenance:
    """Where a view's figures come from, for the CSV header."""

    source: str
    built_at: str
    tables: list[dict[str, str]]


def get_provenance(indicator: Indicator, country: str) -> Provenance:
    """Build information and the provider tables (with update times) the indicator uses."""
    status = get_data_status()
    definition = indicator.countries.get(country)
    wanted: set[tuple[str, str]] = set()
    if definition is not None:
        for group in (definition.target, definition.comparison):
            if group is None:
                continue
            for part in (group.numerator, group.denominator, group.rate, group.size):
                if part is not None:
                    wanted.add((part.provider, part.table.upper()))
    tables = [
        {
            "provider": str(row["provider"]),
            "table_id": str(row["table_id"]),
            "title": str(row["title"]),
            "provider_updated": str(row["provider_updated"]),
        }
        for row in status.tables.to_dict(orient="records")
        if (str(row["provider"]), str(row["table_id"]).upper()) in wanted
    ]
    return Provenance(status.source, status.built_at, tables)


# --------------------------------------------------------------------------------------------
# Checking the view's parameters
# --------------------------------------------------------------------------------------------


def _close(value: str, choices: dict[str, str], count: int = 3) -> list[tuple[str, str]]:
    """The choices (value -> label) closest to `value`, matching on values and labels."""
    by_key = {k.lower(): k for k in choices}
    by_label = {label.lower(): k for k, label in choices.items()}
    text = value.lower()
    found = [by_key[m] for m in difflib.get_close_matches(text, by_key, n=count, cutoff=0.4)]
    found += [by_label[m] for m in difflib.get_close_matches(text, by_label, n=count, cutoff=0.4)]
    found += [k for k in choices if text and (text in k.lower() or text in choices[k].lower())]
    return [(k, choices[k]) for k in list(dict.fromkeys(found))[:count]]


def check_indicator(value: str | None) -> Indicator:
    """The indicator with this id, or CompareProblem naming the closest ones."""
    found = get_indicator(value or DEFAULT_INDICATOR)
    if found is not None:
        return found
    choices = {i.id: i.title_in("en") for i in list_indicators()}
    suggestions = _close(value or "", choices) or list(choices.items())
    raise CompareProblem("indicator", value or "", suggestions, f"unknown indicator {value!r}")


def check_focus(value: str | None) -> Municipality | None:
    """The focus municipality (by code, or by exact name), None for none, else CompareProblem."""
    if not value:
        return None
    text = value.strip()
    found = find_municipality(text)
    if found is None:
        exact = [m for m in list_municipalities() if m.name.lower() == text.lower()]
        found = exact[0] if len(exact) == 1 else None
    if found is not None:
        return found
    everyone = {m.code: f"{m.name} ({m.code})" for m in list_municipalities()}
    names = {m.name: m.code for m in list_municipalities()}
    close = difflib.get_close_matches(text, list(names), n=5, cutoff=0.6)
    suggestions = [(names[n], everyone[names[n]]) for n in close]
    suggestions += _close(text, everyone, count=5) if text.isdigit() else []
    suggestions = list(dict.fromkeys(suggestions))[:5]
    raise CompareProblem("focus", text, suggestions, f"unknown municipality {text!r}")


def check_country(value: str | None, focus: Municipality | None) -> str:
    """The country: the focus municipality's, else the parameter's, else Denmark."""
    if focus is not None:
        return focus.country
    if not value:
        return DEFAULT_COUNTRY
    country = value.strip().upper()
    if country in COUNTRIES:
        return country
    names = {"DK": "Denmark", "NO": "Norway"}
    raise CompareProblem("country", value, list(names.items()), f"unknown country {value!r}")


def check_available(indicator: Indicator, country: str) -> None:
    """CompareProblem when the indicator is not published for the country."""
    if country in indicator.countries:
        return
    others = [(i.id, i.title_in("en")) for i in list_indicators() if country in i.countries]
    raise CompareProblem(
        "unavailable", indicator.id, others, f"{indicator.id} is not published for {country}"
    )


def check_period(value: str | None, periods: list[str], indicator: Indicator, country: str) -> str:
    """The period (default: the latest with values), or CompareProblem with the closest ones."""
    if not periods:
        raise CompareProblem("no_data", indicator.id, [], f"no values for {indicator.id}")
    if not value:
        return periods[0]
    text = value.strip().upper()
    if text in periods:
        return text
    close = difflib.get_close_matches(text, periods, n=3, cutoff=0.5)
    suggestions = [(p, p) for p in dict.fromkeys([periods[0], *close])]
    raise CompareProblem("period", value, suggestions, f"unknown period {value!r}", periods)


_SIMILAR = re.compile(r"similar(:[a-z]+=[0-9.]+(,[a-z]+=[0-9.]+)*)?")


def check_peers(spec: str | None, focus: Municipality | None, country: str) -> PeerSet:
    """The peer set of a `peers=` value, or CompareProblem saying what would work."""
    spec = (spec or DEFAULT_PEERS).strip()
    kind = spec.split(":", 1)[0]
    kinds = {k: k for k in KINDS if k != "group"}
    if kind not in KINDS:
        suggestions = _close(kind, kinds) or list(kinds.items())
        raise CompareProblem("peers", spec, suggestions, f"unknown peer group {spec!r}")
    if kind in PEERS_NEEDING_FOCUS and focus is None:
        raise CompareProblem("peers_focus", spec, [("all", "all")], f"{kind} needs a focus")
    try:
        return resolve_peers(spec, focus.code if focus else None, country)
    except (PeerError, ValueError) as exc:
        raise CompareProblem("peers", spec, list(kinds.items()), str(exc)) from None


# --------------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------------


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
        return Reference(national["value"], True)
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
    if definition.target.rate is not None and definition.target.size is None:
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


def peers_spec(peers: PeerSet, spec: str) -> str:
    """The canonical `peers=` value of a resolved peer set.

    A named group is written in the decoded form `group:Name~code,code` (the URL layer encodes
    it once, so the address shows "group:Vestegn+netværk~151,153"); `decode_group` reads both.
    """
    if peers.kind == "group":
        return f"group:{peers.label}~{','.join(peers.codes)}"
    if peers.kind == "similar" and spec.startswith("similar:") and _SIMILAR.fullmatch(spec):
        return spec
    return peers.kind


# --------------------------------------------------------------------------------------------
# The whole view
# --------------------------------------------------------------------------------------------


def get_comparison(
    indicator: str | None,
    period: str | None = None,
    peers: str | None = None,
    focus: str | None = None,
    country: str | None = None,
    latest_if_unknown: bool = False,
) -> Comparison:
    """The Compare page's view; raises CompareProblem (with suggestions) for unusable params.

    With `latest_if_unknown` a period the indicator does not have becomes the latest one (the
    controls changed the indicator or country under a period), instead of a problem.
    """
    definition = check_indicator(indicator)
    focus_municipality = check_focus(focus)
    country_code = check_country(country, focus_municipality)
    check_available(definition, country_code)
    identity = database_identity()  # one file for the whole view, even during a swap
    periods = list_periods(definition.id, country_code, identity)
    if latest_if_unknown and period not in periods:
        period = None
    chosen_period = check_period(period, periods, definition, country_code)
    peer_set = check_peers(peers, focus_municipality, country_code)

    everyone = get_rows(definition.id, country_code, chosen_period, identity)
    national = get_national(definition.id, country_code, chosen_period, identity)
    focus_code = focus_municipality.code if focus_municipality else None
    members = [everyone[c] for c in dict.fromkeys(peer_set.codes) if c in everyone]
    for row in members:
        row.is_focus = row.code == focus_code
    ascending = is_ascending(definition)
    shown = rank_rows([r for r in members if r.value is not None], ascending)
    missing = sorted((r for r in members if r.value is None), key=lambda r: (r.name, r.code))

    reason = funnel_reason(definition, country_code, national)
    funnel = None if reason else build_funnel(definition, national, shown)
    if not reason and funnel is None:
        reason = NO_VALUES
    scatter_reason = None
    if definition.measure == "share":
        scatter_reason = NO_COMPARISON
    elif not any(r.target_rate is not None and r.comparison_rate is not None for r in shown):
        scatter_reason = NO_VALUES
    return Comparison(
        indicator=definition,
        country=country_code,
        period=chosen_period,
        periods=periods,
        peers=peer_set,
        peers_spec=peers_spec(peer_set, (peers or DEFAULT_PEERS).strip()),
        focus=focus_municipality,
        shown=shown,
        missing=missing,
        national=national_reference(national),
        peer_average=weighted_average(shown, definition),
        funnel=funnel,
        funnel_reason=reason or None,
        scatter_reason=scatter_reason,
        ascending=ascending,
        focus_in_peers=focus_code is None or any(r.is_focus for r in members),
    )


def view_query(comparison: Comparison, lang: str) -> dict[str, str | None]:
    """The URL query that reproduces the view exactly (the period pinned)."""
    return {
        "indicator": comparison.indicator.id,
        "period": comparison.period,
        "peers": comparison.peers_spec,
        "focus": comparison.focus.code if comparison.focus else None,
        "country": None if comparison.focus else comparison.country,
        "lang": lang,
    }

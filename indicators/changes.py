"""What changed between two snapshots: the arithmetic behind /changes and the deck's first slide.

Plain functions on the municipal rows of `indicator_values` read from each snapshot (one
DataFrame each, as queries/values.get_values gives them; no database, no Dash, no words):

* ``new_period``: a period the later snapshot has values for and the earlier one had none;
* ``revised``: the same municipality and period with another value (the provider revised a
  figure, or a value appeared or was withheld);
* ``beyond_interval``: the latest value now lies outside the 95 % interval of the latest value
  then (a movement the uncertainty does not explain);
* ``rank``: another rank within the group of municipalities compared (the network), latest
  period then and now, 1 = best in the indicator's good direction;
* ``light``: the traffic light of the latest period flipped, per rule (barometer, significance).

Values are the headline in the indicator's unit (gap in pp, rate or share in %); a value that
is withheld or missing is None and is never compared as a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from indicators.ranking import is_ascending
from indicators.registry import Indicator
from locales.numbers import number

NEW_PERIOD, REVISED, BEYOND_INTERVAL, RANK, LIGHT = (
    "new_period",
    "revised",
    "beyond_interval",
    "rank",
    "light",
)
KINDS = (NEW_PERIOD, REVISED, BEYOND_INTERVAL, RANK, LIGHT)
LIGHT_RULES = {"barometer": "light_barometer", "significance": "light_significance"}
# Two values closer than this are the same figure (floating-point noise between builds).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Change:
    """One change for one indicator, country and municipality.

    `old`/`new` are values (new_period: new only), ranks (rank) or None; `old_period`/`period`
    the periods they belong to; `lower`/`upper` the earlier value's interval (beyond_interval);
    `of` how many were ranked (rank); `old_light`/`new_light` and `rule` for a light.
    """

    kind: str
    indicator: str
    country: str
    municipality: str
    name: str
    period: str
    old_period: str | None = None
    old: float | None = None
    new: float | None = None
    lower: float | None = None
    upper: float | None = None
    of: int | None = None
    old_of: int | None = None
    old_light: str | None = None
    new_light: str | None = None
    rule: str | None = None


def between(
    kind: str,
    indicator: Indicator,
    then: Mapping[Any, Any],
    now: Mapping[Any, Any],
    **numbers: Any,
) -> Change:
    """A change from a municipality's latest row then to its latest row now."""
    return Change(
        kind,
        indicator.id,
        str(now["country"]),
        str(now["municipality"]),
        str(now["name"]),
        str(now["period"]),
        old_period=str(then["period"]),
        **numbers,
    )


def _text(x: Any) -> str | None:
    return None if x is None or (not isinstance(x, str) and pd.isna(x)) else str(x)


def interval(row: Mapping[str, Any], measure: str) -> tuple[float | None, float | None]:
    """A row's 95 % interval in the headline's unit (pp for a gap, % otherwise)."""
    if measure == "gap":
        return number(row.get("gap_lower_pp")), number(row.get("gap_upper_pp"))
    lower, upper = number(row.get("target_lower")), number(row.get("target_upper"))
    return (
        None if lower is None else 100 * lower,
        None if upper is None else 100 * upper,
    )


def _latest(rows: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (country, municipality): the row of the latest period with a value."""
    shown = rows[rows["value"].notna()].sort_values("period")
    latest = shown.groupby(["country", "municipality"], sort=False).tail(1)
    records: list[dict[str, Any]] = latest.to_dict(orient="records")  # type: ignore[assignment]
    return {(str(r["country"]), str(r["municipality"])): r for r in records}


def _latest_pairs(
    before: pd.DataFrame, after: pd.DataFrame
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(latest row then, latest row now) of each municipality that had a value in both."""
    then, now = _latest(before), _latest(after)
    for key in sorted(then.keys() & now.keys()):
        yield then[key], now[key]


def _periods_with_values(rows: pd.DataFrame) -> dict[str, set[str]]:
    shown = rows[rows["value"].notna()]
    return {
        str(country): set(group["period"].astype(str))
        for country, group in shown.groupby("country")
    }


def find_new_periods(
    indicator: Indicator, before: pd.DataFrame, after: pd.DataFrame
) -> list[Change]:
    """Rows of `after` in periods for which `before` had no value at all (in that country).

    Pass the whole earlier snapshot as `before`: a period one municipality lacked but others
    had is not new.
    """
    known = _periods_with_values(before)
    arrived = _periods_with_values(after)
    changes = []
    for row in after.sort_values(["country", "period", "municipality"]).to_dict(orient="records"):
        country, period = str(row["country"]), str(row["period"])
        if period in known.get(country, set()) or period not in arrived.get(country, set()):
            continue
        changes.append(
            Change(
                NEW_PERIOD,
                indicator.id,
                country,
                str(row["municipality"]),
                str(row["name"]),
                period,
                new=number(row["value"]),
            )
        )
    return changes


def find_revisions(indicator: Indicator, before: pd.DataFrame, after: pd.DataFrame) -> list[Change]:
    """The same municipality and period with another value (or a value appearing or withheld)."""
    keys = ["country", "municipality", "period"]
    joined = before[[*keys, "value"]].merge(
        after[[*keys, "name", "value"]], on=keys, suffixes=("_old", "_new")
    )
    changes = []
    for row in joined.sort_values(keys).to_dict(orient="records"):
        old, new = number(row["value_old"]), number(row["value_new"])
        if old is None and new is None:
            continue
        if old is not None and new is not None and abs(new - old) <= TOLERANCE:
            continue
        changes.append(between(REVISED, indicator, row, row, old=old, new=new))  # same period
    return changes


def find_latest_changes(
    indicator: Indicator, before: pd.DataFrame, after: pd.DataFrame
) -> list[Change]:
    """What moved between each municipality's latest value then and its latest value now:
    a value outside the earlier value's 95 % interval, and traffic lights that flipped."""
    changes = []
    for old_row, new_row in _latest_pairs(before, after):
        beyond = beyond_interval(indicator, old_row, new_row)
        if beyond is not None:
            changes.append(beyond)
        changes += flipped_lights(indicator, old_row, new_row)
    return changes


def beyond_interval(
    indicator: Indicator, old_row: Mapping[str, Any], new_row: Mapping[str, Any]
) -> Change | None:
    """The latest value now, if it lies outside the 95 % interval of the latest value then."""
    old, new = number(old_row["value"]), number(new_row["value"])
    lower, upper = interval(old_row, indicator.measure)
    if old is None or new is None or lower is None or upper is None or lower <= new <= upper:
        return None
    return between(
        BEYOND_INTERVAL, indicator, old_row, new_row, old=old, new=new, lower=lower, upper=upper
    )


def flipped_lights(
    indicator: Indicator, old_row: Mapping[str, Any], new_row: Mapping[str, Any]
) -> list[Change]:
    """The traffic lights of the latest period that differ then and now, per rule."""
    changes = []
    for rule, column in LIGHT_RULES.items():
        old, new = _text(old_row.get(column)), _text(new_row.get(column))
        if old is not None and new is not None and old != new:
            changes.append(
                between(
                    LIGHT,
                    indicator,
                    old_row,
                    new_row,
                    old=number(old_row["value"]),
                    new=number(new_row["value"]),
                    old_light=old,
                    new_light=new,
                    rule=rule,
                )
            )
    return changes


def rank_within(
    latest: Mapping[tuple[str, str], Mapping[str, Any]], members: Iterable[str], ascending: bool
) -> dict[str, tuple[int, int]]:
    """Competition ranks (1, 2, 2, 4) of the members' latest values: code -> (rank, of)."""
    values = {}
    for (_, code), row in latest.items():
        value = number(row["value"])
        if code in members and value is not None:
            values[code] = round(value, 9)
    sign = 1.0 if ascending else -1.0
    ordered = sorted(values, key=lambda code: (sign * values[code], code))
    ranks: dict[str, tuple[int, int]] = {}
    for position, code in enumerate(ordered, start=1):
        tied = next((c for c in ordered[: position - 1] if values[c] == values[code]), None)
        ranks[code] = (ranks[tied][0] if tied else position, len(ordered))
    return ranks


def find_rank_changes(
    indicator: Indicator,
    before: pd.DataFrame,
    after: pd.DataFrame,
    members: Iterable[str],
) -> list[Change]:
    """Ranks within `members` (one country's codes) that moved, latest period then and now."""
    group = set(members)
    if len(group) < 2:
        return []
    then, now = _latest(before), _latest(after)
    ascending = is_ascending(indicator)
    old_ranks = rank_within(then, group, ascending)
    new_ranks = rank_within(now, group, ascending)
    changes = []
    for key in sorted(now):
        code = key[1]
        if code not in old_ranks or code not in new_ranks:
            continue
        (old, old_of), (new, of) = old_ranks[code], new_ranks[code]
        if old == new:
            continue
        changes.append(
            between(
                RANK,
                indicator,
                then[key],
                now[key],
                old=float(old),
                new=float(new),
                of=of,
                old_of=old_of,
            )
        )
    return changes


def compare_snapshots(
    indicator: Indicator,
    before: pd.DataFrame,
    after: pd.DataFrame,
    municipalities: Iterable[str] | None = None,
) -> list[Change]:
    """Every change of one indicator between two snapshots' municipal rows.

    `municipalities` limits the changes to those codes (None: all) and is the group ranks are
    compared within (per country); without it ranks are not compared. Ranks are compared only
    where the indicator is ranked (not for a count of persons, nor a figure published per
    county: pass the county codes among `municipalities` for those).
    """
    chosen = None if municipalities is None else {str(c) for c in municipalities}
    whole_before = before
    if chosen is not None:
        before = before[before["municipality"].astype(str).isin(chosen)]
        after = after[after["municipality"].astype(str).isin(chosen)]
    changes = [
        *find_new_periods(indicator, whole_before, after),
        *find_revisions(indicator, before, after),
        *find_latest_changes(indicator, before, after),
    ]
    if chosen is not None:
        for country in sorted(set(after["country"].astype(str))):
            if not indicator.ranked_in(country):
                continue
            members = set(after.loc[after["country"] == country, "municipality"].astype(str))
            changes += find_rank_changes(
                indicator,
                before[before["country"] == country],
                after[after["country"] == country],
                members,
            )
    order = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(changes, key=lambda c: (order[c.kind], c.country, c.name, c.period))

"""Intervals, traffic lights and small-number rules for the indicator catalogue.

Every rule lives twice: as a DuckDB SQL macro (used by the one generic indicator query) and as a
plain numpy function (the reference the tests hold the SQL to, and handy for ad-hoc use). The two
must agree; tests/test_stats.py checks that they do.

Conventions shared by both sides:

* Missing stays missing. A NULL/NaN count, or a denominator of 0, gives NULL/NaN, never 0.
* Impossible counts (x < 0, n < 0, x > n) are data errors and fail loudly: ValueError in Python,
  DuckDB's ``error()`` in SQL.
* Intervals are two-sided 95 % with z = ``Z95``.
* Rounding to whole percentage points is round-half-away-from-zero, which is what DuckDB's
  ``round`` does (``round(2.5) = 3``, ``round(-2.5) = -3``) and unlike Python's ``round``
  (half-to-even). Before rounding, values are snapped to 9 decimals so that float noise does
  not decide a verdict: 57/200 * 100 is 28.499999999999996 in binary floating point but
  28.5 on paper, and rounds to 29.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

Z95 = 1.959963984540054
"""Two-sided 95 % standard normal quantile, NormalDist().inv_cdf(0.975)."""

MIN_N_DEFAULT = 20
"""Below this target-group denominator the value is withheld ("too few to show")."""

CAUTION_N_DEFAULT = 80
"""Below this target-group denominator the value is flagged and a pooled value offered."""

FUNNEL_LEVELS = (0.95, 0.998)
"""The two control limits drawn on funnel plots."""

BETTER, UNCHANGED, WORSE = "better", "unchanged", "worse"
WITHHELD, CAUTION, OK = "withheld", "caution", "ok"

# Digits a percentage is snapped to before it is rounded to whole points (see module docstring).
_SNAP_DIGITS = 9

FloatOrArray = float | npt.NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _as_array(value: Any) -> npt.NDArray[np.float64]:
    """Turn a scalar, list, numpy array or pandas object into a float array, missing -> NaN."""
    if value is None or value is pd.NA:
        return np.array(np.nan)
    if hasattr(value, "to_numpy"):  # pandas Series/Index/extension arrays holding pd.NA
        return np.asarray(value.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    return np.asarray(value, dtype=float)


def _result(value: npt.NDArray[np.float64]) -> FloatOrArray:
    """Give back a plain float for scalar input, an array otherwise."""
    return float(value) if value.ndim == 0 else value


def _is_missing(value: Any) -> bool:
    """True for None, NaN and pd.NA (scalars only)."""
    return bool(pd.isna(value))


def _positive(n: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """n where n > 0, NaN elsewhere: no persons means no rate, not a rate of 0."""
    with np.errstate(invalid="ignore"):
        return np.where(n > 0, n, np.nan)


def _check_counts(x: npt.NDArray[np.float64], n: npt.NDArray[np.float64]) -> None:
    with np.errstate(invalid="ignore"):
        bad = (x < 0) | (n < 0) | (x > n)
    if np.any(bad):
        xb, nb = np.broadcast_arrays(x, n)
        i = np.flatnonzero(np.broadcast_to(bad, xb.shape))[0]
        raise ValueError(f"counts must satisfy 0 <= x <= n; got x={xb.flat[i]:g}, n={nb.flat[i]:g}")


# --------------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------------


def wilson_interval(x: Any, n: Any, z: float = Z95) -> tuple[FloatOrArray, FloatOrArray]:
    """Wilson score interval for the proportion x/n.

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` with p = x/n, clipped to [0, 1].
    Scalars or arrays (broadcast); NaN when x or n is missing or n is 0. Raises ValueError when
    x < 0, n < 0 or x > n.
    """
    xa, na = _as_array(x), _as_array(n)
    _check_counts(xa, na)
    n_ok = _positive(na)
    with np.errstate(invalid="ignore"):
        p = xa / n_ok
        z2n = z * z / n_ok
        centre = (p + z2n / 2) / (1 + z2n)
        half = z * np.sqrt(p * (1 - p) / n_ok + z2n / (4 * n_ok)) / (1 + z2n)
    return _result(np.clip(centre - half, 0.0, 1.0)), _result(np.clip(centre + half, 0.0, 1.0))


def mover_interval(
    est1: Any, lower1: Any, upper1: Any, est2: Any, lower2: Any, upper2: Any
) -> tuple[FloatOrArray, FloatOrArray]:
    """Interval for est1 - est2 from the two estimates' own intervals (MOVER, Zou & Donner 2008).

    ``L = d - sqrt((est1-lower1)² + (upper2-est2)²)``,
    ``U = d + sqrt((upper1-est1)² + (est2-lower2)²)``, d = est1 - est2. Assumes the two estimates
    are independent. Any unit works (proportions or percentage points) as long as all six
    arguments share it. NaN-propagating.
    """
    e1, l1, u1 = _as_array(est1), _as_array(lower1), _as_array(upper1)
    e2, l2, u2 = _as_array(est2), _as_array(lower2), _as_array(upper2)
    d = e1 - e2
    lower = d - np.sqrt((e1 - l1) ** 2 + (u2 - e2) ** 2)
    upper = d + np.sqrt((u1 - e1) ** 2 + (e2 - l2) ** 2)
    return _result(lower), _result(upper)


def newcombe_interval(x1: Any, n1: Any, x2: Any, n2: Any) -> tuple[FloatOrArray, FloatOrArray]:
    """Newcombe's hybrid score interval (method 10) for p1 - p2, p1 = x1/n1, p2 = x2/n2.

    The MOVER combination of the two 95 % Wilson intervals (l1, u1) and (l2, u2):
    ``L = d - sqrt((p1-l1)² + (u2-p2)²)``, ``U = d + sqrt((u1-p1)² + (p2-l2)²)``, d = p1 - p2.
    For a gap, pass the group that should be higher first: comparison then target when higher
    is better, target then comparison when lower is better. NaN-propagating.
    """
    l1, u1 = wilson_interval(x1, n1)
    l2, u2 = wilson_interval(x2, n2)
    p1 = _as_array(x1) / _positive(_as_array(n1))
    p2 = _as_array(x2) / _positive(_as_array(n2))
    return mover_interval(p1, l1, u1, p2, l2, u2)


def gap_change_interval(
    gap1: Any, lower1: Any, upper1: Any, gap0: Any, lower0: Any, upper0: Any
) -> tuple[FloatOrArray, FloatOrArray]:
    """Interval for the change of a gap, gap1 - gap0, treating the two periods as independent.

    gap1 (lower1, upper1) is the current gap with its Newcombe interval, gap0 (lower0, upper0)
    the baseline's. The two intervals are combined with MOVER, the same recipe Newcombe's method
    uses for the rates, so the result equals combining all four Wilson intervals directly. The
    change is distinguishable when the interval excludes 0.
    """
    return mover_interval(gap1, lower1, upper1, gap0, lower0, upper0)


def funnel_limits(p0: Any, n: Any, level: float = 0.95) -> tuple[FloatOrArray, FloatOrArray]:
    """Funnel-plot control limits around a national proportion p0 for denominators n.

    Normal approximation to the binomial: ``p0 ± z·sqrt(p0(1-p0)/n)`` with z the two-sided
    quantile for ``level`` (1.960 for 0.95, 3.090 for 0.998), clipped to [0, 1]. Good enough for
    drawing; it is too narrow for very small n, where the small-number rules apply anyway.
    NaN where n is missing or not positive.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be a probability such as 0.95 or 0.998; got {level!r}")
    z = NormalDist().inv_cdf(0.5 + level / 2)
    pa, na = _as_array(p0), _as_array(n)
    with np.errstate(invalid="ignore"):
        half = z * np.sqrt(pa * (1 - pa) / _positive(na))
    return _result(np.clip(pa - half, 0.0, 1.0)), _result(np.clip(pa + half, 0.0, 1.0))


# --------------------------------------------------------------------------------------------
# Rounding, traffic lights and small numbers
# --------------------------------------------------------------------------------------------


def round_half_away(value: Any, digits: int = 0) -> FloatOrArray:
    """Round half away from zero to ``digits`` decimals, exactly as DuckDB rounds a DOUBLE.

    DuckDB computes ``std::round(value * 10^digits) / 10^digits``; this does the same arithmetic.
    """
    if digits < 0:
        raise ValueError("digits must be >= 0")
    scale = 10.0**digits
    scaled = _as_array(value) * scale
    whole = np.trunc(scaled)
    with np.errstate(invalid="ignore"):
        whole = whole + np.where(np.abs(scaled - whole) >= 0.5, np.sign(scaled), 0.0)
    return _result(whole / scale)


def round_pp(value_pct: Any) -> FloatOrArray:
    """Round a percentage (or pp value) to whole points: snap to 9 decimals, then half-away."""
    return round_half_away(round_half_away(value_pct, _SNAP_DIGITS))


def _direction_word(increased: bool, higher_is_better: bool) -> str:
    return BETTER if increased == higher_is_better else WORSE


def barometer_light(value_pct: Any, baseline_pct: Any, higher_is_better: bool) -> str | None:
    """The national barometer's rule: compare values rounded to whole percentage points.

    Both values are in percent (a rate of 0.486 is passed as 48.6) or in percentage points for a
    gap. Returns "better", "unchanged" or "worse" in the indicator's good direction, or None when
    either value is missing. For a gap (positive = target group behind) pass
    higher_is_better=False. Rounding can move the verdict by ±1 pp against the unrounded change:
    from a baseline of 48.6 to 49.4 is "unchanged" (49 = 49), from 48.4 to 48.6 is "better"
    (48 -> 49).
    """
    if _is_missing(value_pct) or _is_missing(baseline_pct):
        return None
    now, then = float(round_pp(float(value_pct))), float(round_pp(float(baseline_pct)))
    if now == then:
        return UNCHANGED
    return _direction_word(now > then, higher_is_better)


def significance_light(change: Any, lower: Any, upper: Any, higher_is_better: bool) -> str | None:
    """The significance rule: better or worse only when the change's interval excludes 0.

    ``change`` is the point estimate and (lower, upper) its interval, in any one unit. Returns
    None when any of them is missing. The direction is read from the interval, which lies wholly
    on the change's side of 0 whenever the change is distinguishable.
    """
    if _is_missing(change) or _is_missing(lower) or _is_missing(upper):
        return None
    if float(lower) > 0:
        return _direction_word(True, higher_is_better)
    if float(upper) < 0:
        return _direction_word(False, higher_is_better)
    return UNCHANGED


def small_number_flag(
    n: Any, minimum: int = MIN_N_DEFAULT, caution: int = CAUTION_N_DEFAULT
) -> str | None:
    """Classify a target-group denominator: "withheld" (n < minimum), "caution" (n < caution), "ok".

    None when n is missing. Raises ValueError when minimum > caution.
    """
    if minimum > caution:
        raise ValueError(f"minimum ({minimum}) must not exceed caution ({caution})")
    if _is_missing(n):
        return None
    if float(n) < minimum:
        return WITHHELD
    if float(n) < caution:
        return CAUTION
    return OK


# --------------------------------------------------------------------------------------------
# SQL macros
# --------------------------------------------------------------------------------------------

# A macro's arguments are substituted textually, so each macro casts once in its own body and
# only calls other macros with plain arguments.
_MISSING_COUNTS = "x IS NULL OR n IS NULL OR isnan(x::DOUBLE) OR isnan(n::DOUBLE) OR n = 0"
_BAD_COUNTS = (
    "x < 0 OR n < 0 OR x > n THEN error('counts must satisfy 0 <= x <= n; got x=' "
    "|| x::VARCHAR || ', n=' || n::VARCHAR)"
)
_Z = repr(Z95)


def _wilson_macro(name: str, sign: str, clip: str) -> str:
    """One Wilson bound; ``clip`` is greatest/least, guarding against float noise at 0 and 1."""
    limit = "0.0" if clip == "greatest" else "1.0"
    p = "(x::DOUBLE / n::DOUBLE)"
    z2n = f"({_Z} * {_Z} / n::DOUBLE)"
    spread = f"sqrt({p} * (1 - {p}) / n::DOUBLE + {z2n} / (4 * n::DOUBLE))"
    bound = f"({p} + {z2n} / 2 {sign} {_Z} * {spread}) / (1 + {z2n})"
    return (
        f"CREATE OR REPLACE MACRO {name}(x, n) AS CASE WHEN {_MISSING_COUNTS} THEN NULL "
        f"WHEN {_BAD_COUNTS} ELSE {clip}({limit}, {bound}) END"
    )


_MACROS = (
    _wilson_macro("wilson_lower", "-", "greatest"),
    _wilson_macro("wilson_upper", "+", "least"),
    # NULL for NaN and infinities: a stored number is a real number or NULL, never NaN.
    "CREATE OR REPLACE MACRO finite(v) AS "
    "CASE WHEN isnan(v::DOUBLE) OR isinf(v::DOUBLE) THEN NULL ELSE v END",
    # x/n as a DOUBLE, NULL when n is missing or 0.
    "CREATE OR REPLACE MACRO safe_rate(x, n) AS "
    "CASE WHEN n IS NULL OR n = 0 THEN NULL ELSE x::DOUBLE / n::DOUBLE END",
    # MOVER: interval of est1 - est2 from their own intervals (independent estimates).
    "CREATE OR REPLACE MACRO mover_lower(e1, l1, u1, e2, l2, u2) AS "
    "(e1 - e2) - sqrt(pow(e1 - l1, 2) + pow(u2 - e2, 2))",
    "CREATE OR REPLACE MACRO mover_upper(e1, l1, u1, e2, l2, u2) AS "
    "(e1 - e2) + sqrt(pow(u1 - e1, 2) + pow(e2 - l2, 2))",
    # Newcombe method 10 for p1 - p2.
    "CREATE OR REPLACE MACRO newcombe_lower(x1, n1, x2, n2) AS mover_lower("
    "safe_rate(x1, n1), wilson_lower(x1, n1), wilson_upper(x1, n1), "
    "safe_rate(x2, n2), wilson_lower(x2, n2), wilson_upper(x2, n2))",
    "CREATE OR REPLACE MACRO newcombe_upper(x1, n1, x2, n2) AS mover_upper("
    "safe_rate(x1, n1), wilson_lower(x1, n1), wilson_upper(x1, n1), "
    "safe_rate(x2, n2), wilson_lower(x2, n2), wilson_upper(x2, n2))",
    # Change of a gap between two independent periods: MOVER over the two Newcombe intervals.
    "CREATE OR REPLACE MACRO gap_change_lower(g1, l1, u1, g0, l0, u0) AS "
    "mover_lower(g1, l1, u1, g0, l0, u0)",
    "CREATE OR REPLACE MACRO gap_change_upper(g1, l1, u1, g0, l0, u0) AS "
    "mover_upper(g1, l1, u1, g0, l0, u0)",
    # Whole percentage points, half away from zero, after snapping float noise.
    f"CREATE OR REPLACE MACRO round_pp(v) AS round(round(v::DOUBLE, {_SNAP_DIGITS}))",
    "CREATE OR REPLACE MACRO barometer_light(value_pct, baseline_pct, higher_is_better) AS "
    "CASE WHEN value_pct IS NULL OR baseline_pct IS NULL OR higher_is_better IS NULL THEN NULL "
    "WHEN isnan(value_pct::DOUBLE) OR isnan(baseline_pct::DOUBLE) THEN NULL "
    "WHEN round_pp(value_pct) = round_pp(baseline_pct) THEN 'unchanged' "
    "WHEN (round_pp(value_pct) > round_pp(baseline_pct)) = higher_is_better THEN 'better' "
    "ELSE 'worse' END",
    "CREATE OR REPLACE MACRO significance_light(change, lower, upper, higher_is_better) AS "
    "CASE WHEN change IS NULL OR lower IS NULL OR upper IS NULL OR higher_is_better IS NULL "
    "THEN NULL "
    "WHEN isnan(change::DOUBLE) OR isnan(lower::DOUBLE) OR isnan(upper::DOUBLE) THEN NULL "
    "WHEN lower > 0 THEN CASE WHEN higher_is_better THEN 'better' ELSE 'worse' END "
    "WHEN upper < 0 THEN CASE WHEN higher_is_better THEN 'worse' ELSE 'better' END "
    "ELSE 'unchanged' END",
    f"CREATE OR REPLACE MACRO small_number_flag(n, minimum := {MIN_N_DEFAULT}, "
    f"caution := {CAUTION_N_DEFAULT}) AS "
    "CASE WHEN minimum > caution THEN error('small_number_flag: minimum must not exceed caution') "
    "WHEN n IS NULL OR isnan(n::DOUBLE) THEN NULL "
    "WHEN n < minimum THEN 'withheld' WHEN n < caution THEN 'caution' ELSE 'ok' END",
)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the statistics macros on a DuckDB connection.

    Macros and their arguments (NULL in, NULL out, as in the Python functions):

    * ``wilson_lower(x, n)``, ``wilson_upper(x, n)``: 95 % Wilson bounds of x/n.
    * ``finite(v)``: v, or NULL when v is NaN or infinite.
    * ``safe_rate(x, n)``: x/n as DOUBLE, NULL when n is NULL or 0.
    * ``newcombe_lower(x1, n1, x2, n2)``, ``newcombe_upper(...)``: 95 % interval of p1 - p2.
    * ``mover_lower(e1, l1, u1, e2, l2, u2)``, ``mover_upper(...)``: interval of e1 - e2.
    * ``gap_change_lower(g1, l1, u1, g0, l0, u0)``, ``gap_change_upper(...)``: interval of
      g1 - g0, two independent gaps with their intervals.
    * ``round_pp(v)``: whole percentage points, half away from zero.
    * ``barometer_light(value_pct, baseline_pct, higher_is_better)``,
      ``significance_light(change, lower, upper, higher_is_better)``: 'better' | 'unchanged' |
      'worse'.
    * ``small_number_flag(n, minimum := 20, caution := 80)``: 'withheld' | 'caution' | 'ok'
      (the thresholds are passed by name).
    """
    for statement in _MACROS:
        con.execute(statement)

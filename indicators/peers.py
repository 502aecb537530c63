"""Peer groups: population size bands, similar municipalities and named groups for the URL.

Pure pandas/numpy: no Dash, no DuckDB. Municipality codes are strings ("0301", "151").
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------------
# Population size bands
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeBand:
    """A population size band: ``lower <= population < upper`` (upper None = no limit).

    Its label is written in the reader's language at the edge (`locales.words.size_band_label`).
    """

    id: str
    lower: int
    upper: int | None


# The bands of the Norwegian evaluation of municipal integration grants, largest first. The lower
# bound is inclusive: a municipality of exactly 20,000 is in "20,000-49,999".
SIZE_BANDS: tuple[SizeBand, ...] = (
    SizeBand("50k_plus", 50_000, None),
    SizeBand("20k_50k", 20_000, 50_000),
    SizeBand("10k_20k", 10_000, 20_000),
    SizeBand("5k_10k", 5_000, 10_000),
    SizeBand("2k_5k", 2_000, 5_000),
    SizeBand("1k_2k", 1_000, 2_000),
    SizeBand("under_1k", 0, 1_000),
)


def size_band(population: float | int | None) -> str | None:
    """The id of the size band a population falls in (lower bound inclusive); None if missing.

    Raises ValueError for a negative population.
    """
    if population is None or pd.isna(population):
        return None
    if population < 0:
        raise ValueError(f"population must not be negative; got {population}")
    for band in SIZE_BANDS:
        if population >= band.lower:
            return band.id
    raise AssertionError("unreachable: the last band starts at 0")


# --------------------------------------------------------------------------------------------
# Similar municipalities
# --------------------------------------------------------------------------------------------


def _check_inputs(features: pd.DataFrame, focus: str, weights: dict[str, float], k: int) -> None:
    if not features.index.is_unique:
        raise ValueError("features must have one row per municipality code (index not unique)")
    if focus not in features.index:
        codes = sorted(str(code) for code in features.index)
        shown = ", ".join(codes[:20]) + (", ..." if len(codes) > 20 else "")
        raise ValueError(
            f"unknown focus municipality {focus!r}; valid codes ({len(codes)}): {shown}"
        )
    unknown = [name for name in weights if name not in features.columns]
    if unknown:
        raise ValueError(
            f"unknown variable(s) in weights: {', '.join(map(repr, unknown))}; "
            f"valid names: {', '.join(map(str, features.columns))}"
        )
    for name, weight in weights.items():
        if not isinstance(weight, numbers.Real) or math.isnan(weight) or weight < 0:
            raise ValueError(f"weight for {name!r} must be a number >= 0; got {weight!r}")
        if weight > 0 and not pd.api.types.is_numeric_dtype(features[name]):
            raise ValueError(f"variable {name!r} is not numeric")
    if not any(weight > 0 for weight in weights.values()):
        raise ValueError("at least one weight must be > 0")
    if k < 1:
        raise ValueError(f"k must be at least 1; got {k}")


def _standardise(frame: pd.DataFrame) -> pd.DataFrame:
    """z-scores per column over all non-missing values (population SD); a constant column -> 0."""
    values = frame.astype(float)
    sd = values.std(ddof=0)
    return (values - values.mean()) / sd.where(sd > 0, 1.0)


def _closest(gaps: pd.Series) -> str:
    """The (at most two) variables on which a peer is closest to the focus, as codes: "pop,share"
    (words are chosen where the reason is shown, views/peers.py)."""
    return ",".join(str(name) for name in gaps.sort_values(kind="stable").head(2).index)


def find_similar(
    features: pd.DataFrame, focus: str, weights: dict[str, float], k: int = 10
) -> pd.DataFrame:
    """The k municipalities nearest to ``focus`` on standardised structural variables.

    ``features`` is indexed by municipality code with numeric columns (log population,
    target-group share, ...). Each column is turned into z-scores over all rows (mean and
    population SD of the non-missing values; a constant column scores 0 everywhere). The
    distance to the focus is the weighted root mean square of the z-score differences over the
    variables with weight > 0::

        distance = sqrt(sum(w * (z_peer - z_focus)**2) / sum(w))

    so it reads as "about this many standard deviations apart"; scaling all weights by the same
    factor changes nothing. Rows with a missing value in a used variable cannot be placed and are
    dropped; their codes are listed in ``result.attrs["dropped"]``.

    Returns one row per peer, nearest first (ties by code): ``code``, ``distance``, ``rank``
    (1..k), then for each used variable ``<var>_peer`` and ``<var>_focus`` (raw values, so the
    page can show why the peer was chosen) and ``<var>_sd`` (how far apart the two are, in
    standard deviations), and ``closest``: the codes of the two used variables on which the
    peer is closest to the focus, comma-separated. Raises ValueError for an unknown focus,
    unknown or invalid weights, a focus with a missing used variable, or k < 1.
    """
    _check_inputs(features, focus, weights, k)
    used = [name for name, weight in weights.items() if weight > 0]
    raw = features[used]
    focus_row = raw.loc[[focus]].iloc[0]
    if focus_row.isna().any():
        absent = ", ".join(map(str, focus_row.index[focus_row.isna()]))
        raise ValueError(f"focus {focus!r} has no value for: {absent}")
    missing = raw.isna().any(axis=1)

    z = _standardise(raw)
    w = pd.Series({name: float(weights[name]) for name in used})
    gaps = (z[~missing].drop(index=focus) - z.loc[focus]).abs()
    ranked = pd.DataFrame(
        {
            "distance": np.sqrt((gaps**2 * w).sum(axis=1) / w.sum()).to_numpy(),
            "code": gaps.index.astype(str),
        },
        index=gaps.index.rename(None),  # an index named "code" would clash with the column
    )
    chosen = ranked.sort_values(["distance", "code"], kind="stable").head(k).index

    result = pd.DataFrame(
        {
            "code": ranked.loc[chosen, "code"].to_numpy(),
            "distance": ranked.loc[chosen, "distance"].to_numpy(),
            "rank": np.arange(1, len(chosen) + 1),
        }
    )
    for name in used:
        result[f"{name}_peer"] = raw.loc[chosen, name].to_numpy()
        result[f"{name}_focus"] = raw.loc[[focus], name].iloc[0]
        result[f"{name}_sd"] = gaps.loc[chosen, name].to_numpy()
    result["closest"] = [_closest(gaps.loc[label]) for label in chosen]
    result.attrs["dropped"] = [str(code) for code in raw.index[missing]]
    return result


# --------------------------------------------------------------------------------------------
# Named groups in the URL
# --------------------------------------------------------------------------------------------

_CODE = re.compile(r"[0-9]{1,8}")
_MAX_NAME = 80
_MAX_CODES = 500


def _clean_group(name: str, codes: list[str]) -> tuple[str, list[str]]:
    """Validate a group; strip the name, drop repeated codes keeping the first."""
    name = name.strip()
    if not name:
        raise ValueError("a group needs a name")
    if len(name) > _MAX_NAME:
        raise ValueError(f"group name is longer than {_MAX_NAME} characters")
    if "%" in name:
        raise ValueError("a group name may not contain '%'")
    if any(not char.isprintable() for char in name):
        raise ValueError("a group name may not contain control characters")
    if not codes:
        raise ValueError("a group needs at least one municipality code")
    bad = [code for code in codes if not isinstance(code, str) or not _CODE.fullmatch(code)]
    if bad:
        raise ValueError(f"municipality codes must be strings of digits; got {bad[:5]!r}")
    unique = list(dict.fromkeys(codes))
    if len(unique) > _MAX_CODES:
        raise ValueError(f"a group may have at most {_MAX_CODES} municipalities")
    return name, unique


def encode_group(name: str, codes: list[str]) -> str:
    """A named group as one URL-safe token: ``name~code,code,...``.

    The name is percent-encoded (so "Vestegns netværk" becomes "Vestegns%20netv%C3%A6rk",
    which browsers display decoded), the codes are written as they are:
    ``encode_group("Vestegns-netvaerk", ["151", "153", "165"]) == "Vestegns-netvaerk~151,153,165"``.
    Names may not contain '%' (so a token decodes the same whether or not the URL layer has
    already decoded it once); repeated codes are dropped. Raises ValueError for an empty or
    over-long name, no codes, or codes that are not strings of digits.
    """
    name, unique = _clean_group(name, codes)
    return quote(name, safe="") + "~" + ",".join(unique)


def decode_group(text: str) -> tuple[str, list[str]]:
    """Read a token made by ``encode_group`` back into (name, codes).

    Accepts the token as written or after one round of URL decoding (Dash pages hand query
    parameters over decoded). The codes are everything after the last '~'. Raises ValueError
    with the reason for anything malformed; nothing is evaluated.
    """
    if not isinstance(text, str):
        raise ValueError(f"a group token must be text; got {type(text).__name__}")
    encoded_name, separator, code_text = text.strip().rpartition("~")
    if not separator:
        raise ValueError(f"not a group token (expected 'name~code,code,...'): {text[:100]!r}")
    try:
        name = unquote(encoded_name, errors="strict")
    except UnicodeDecodeError as error:
        raise ValueError(f"group name is not valid percent-encoded UTF-8: {error}") from None
    codes = [code.strip() for code in code_text.split(",")] if code_text else []
    return _clean_group(name, codes)

"""Peer groups for the pages: who a municipality is compared with, and why.

A peer group is written in the URL as `peers=`:

| value | meaning |
|---|---|
| `all` | every municipality of the country |
| `region` | the focus municipality's region (DK) or county (NO) |
| `size` | the focus municipality's population size band |
| `similar[:k=10,pop=1,share=1,emp=1]` | the k nearest on weighted standardised variables |
| `group:<name>~<code>,<code>,...` | a named group of the user's (indicators.peers) |
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from errors import BarometerError
from indicators.peers import decode_group, find_similar, size_band
from loaders.municipalities import find_municipality, list_municipalities
from locales import N_, _
from locales.numbers import list_words
from locales.words import STRUCTURE_WORDS, country_name, word
from queries.db import read_frame

KINDS = ("all", "region", "size", "similar", "group")
# Structural variables for "similar", with their default weights.
STRUCTURE = {"pop": "log population", "share": "non-Western share", "emp": "employment rate"}
DEFAULT_WEIGHTS = {"pop": 1.0, "share": 1.0, "emp": 1.0}
DEFAULT_K = 10


class PeerError(BarometerError):
    """A peer group in the URL that cannot be understood or used (the message says why)."""

    def describe(self, lang: str) -> str:
        values = dict(self.values)
        if "country" in values:
            values["country"] = country_name(str(values["country"]), lang)
        if "variables" in values:
            names = [word(STRUCTURE_WORDS, str(v), lang) for v in values["variables"]]  # type: ignore[attr-defined]
            values["variables"] = list_words(names, lang)
        return _(self.message, lang, **values)


@dataclass(frozen=True)
class PeerSet:
    """The municipalities a view compares, and for "similar", why each was chosen.

    `label` names the group: the region's name, the size band's id, the group's own name.
    """

    kind: str
    label: str
    codes: list[str]
    reasons: pd.DataFrame | None = None


def get_structure(country: str) -> pd.DataFrame:
    """Structural variables per municipality (latest period), indexed by code.

    Columns: population, pop (log population), share (non-Western share, %), emp (comparison
    group's employment rate, %; NaN where the provider publishes none).
    """
    frame = read_frame(
        """
        WITH latest AS (
            SELECT indicator, max(period) AS period FROM indicator_values
            WHERE country = ? AND indicator IN ('nonwestern_share', 'employment_rate')
              AND area_type = 'municipality' AND value IS NOT NULL
            GROUP BY indicator
        )
        SELECT m.code,
               any_value(s.target_den) FILTER (WHERE s.indicator = 'nonwestern_share')
                   AS population,
               any_value(s.value) FILTER (WHERE s.indicator = 'nonwestern_share') AS share,
               any_value(100 * s.comparison_rate) FILTER (WHERE s.indicator = 'employment_rate')
                   AS emp
        FROM municipalities m
        LEFT JOIN indicator_values s ON s.country = m.country AND s.area = m.code
             AND s.area_type = 'municipality'
             AND (s.indicator, s.period) IN (SELECT (indicator, period) FROM latest)
        WHERE m.country = ?
        GROUP BY m.code
        """,
        [country, country],
    ).set_index("code")
    frame["pop"] = [math.log(p) if p and p > 0 else math.nan for p in frame["population"]]
    return frame


def _parse_similar(spec: str) -> tuple[int, dict[str, float]]:
    k, weights = DEFAULT_K, dict(DEFAULT_WEIGHTS)
    _, _, options = spec.partition(":")
    for item in filter(None, options.split(",")):
        key, _, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            raise PeerError(
                N_("“{item}” needs a number, for example k=10 or pop=1"), item=item
            ) from None
        if key == "k":
            k = max(1, int(number))
        elif key in STRUCTURE:
            weights[key] = number
        else:
            raise PeerError(N_("unknown setting “{key}”: use k, pop, share or emp"), key=key)
    return k, weights


def resolve_peers(spec: str | None, focus: str | None, country: str) -> PeerSet:
    """The municipalities of a peer group spec; raise PeerError with a helpful message."""
    spec = (spec or "all").strip()
    kind = spec.split(":", 1)[0]
    everyone = [m.code for m in list_municipalities(country)]
    focus_municipality = find_municipality(focus) if focus else None
    if kind not in KINDS:
        raise PeerError(N_("“{spec}” is not a peer group"), spec=spec)
    if kind == "all":
        return PeerSet("all", "all municipalities", everyone)
    if kind == "group":
        try:
            name, codes = decode_group(spec.partition(":")[2])
        except ValueError as exc:
            raise PeerError(N_("the group cannot be read: {reason}"), reason=str(exc)) from None
        unknown = [c for c in codes if c not in everyone]
        if unknown:
            raise PeerError(
                N_("group “{name}”: {codes} are not municipalities of {country}"),
                name=name,
                codes=", ".join(unknown),
                country=country,
            )
        return PeerSet("group", name, codes)
    if focus_municipality is None or focus_municipality.country != country:
        raise PeerError(
            N_("the peer group “{kind}” needs a focus municipality of {country}"),
            kind=kind,
            country=country,
        )
    if kind == "region":
        codes = [
            m.code
            for m in list_municipalities(country)
            if m.region_code == focus_municipality.region_code
        ]
        return PeerSet("region", focus_municipality.region_name, codes)
    structure = get_structure(country)
    if kind == "size":
        population = structure["population"].to_dict().get(focus_municipality.code)
        band = size_band(population)
        bands = structure["population"].map(size_band)
        # The label is the band's id: pages write it in the reader's language.
        return PeerSet("size", band or "", [str(c) for c in structure.index[bands == band]])
    k, weights = _parse_similar(spec)
    usable = {name: weight for name, weight in weights.items() if weight > 0}
    if structure[list(usable)].dropna(how="all", axis=1).shape[1] < len(usable):
        usable = {n: w for n, w in usable.items() if structure[n].notna().any()}
    absent = [n for n in usable if pd.isna(structure[n].get(focus_municipality.code))]
    if absent:
        raise PeerError(
            N_(
                "{name} has no value for {variables} in the latest period, so no similar "
                "municipalities can be found."
            ),
            name=focus_municipality.name,
            variables=tuple(absent),
        )
    try:
        reasons = find_similar(structure[list(usable)], focus_municipality.code, usable, k=k)
    except ValueError as exc:
        raise PeerError(N_("no similar municipalities: {reason}"), reason=str(exc)) from None
    codes = [focus_municipality.code, *[str(c) for c in reasons["code"]]]
    return PeerSet("similar", f"{k} most similar municipalities", codes, reasons)

"""The map page's logic: the view a URL asks for, its address, its summary (no Dash).

`/map?indicator=&period=&country=&lang=`: an indicator's headline by municipality; pages/map.py
draws what these functions decide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from exports.tables import Variant
from indicators.registry import Indicator, get_indicator, list_indicators
from locales import N_, _, normalise_language
from locales.numbers import format_value
from locales.words import COUNTRIES, country_name
from queries.trend import latest_period_with_values, list_periods
from views.downloads import values_download
from views.links import Context
from views.params import query_of, unknown_indicator
from views.problems import Link, Problem, not_published

PATH = "/map"
DEFAULT_INDICATOR = "nonwestern_share"
DEFAULT_COUNTRY = "DK"


@dataclass(frozen=True)
class MapView:
    """What the map shows: an indicator in one period and country (periods: all it has)."""

    indicator: Indicator
    period: str
    country: str
    periods: list[str]

    @property
    def context(self) -> Context:
        """What the page shows, for links to other pages (views/links.py)."""
        return Context(indicator=self.indicator.id, period=self.period, country=self.country)


def map_href(indicator: str, period: str | None, country: str, lang: str) -> str:
    """The shareable address of a map view."""
    query = {"country": country, "indicator": indicator, "lang": lang, "period": period}
    kept = {k: v for k, v in sorted(query.items()) if v}
    return f"{PATH}?{urlencode(kept)}"


def read_view(
    indicator_id: str, period: str | None, country_text: str | None, lang: str
) -> MapView | Problem:
    """The view the URL asks for, or the problem with it and what would work instead."""
    country = (country_text or DEFAULT_COUNTRY).upper()
    if country not in COUNTRIES:
        links = [
            Link(country_name(c, lang), map_href(indicator_id, None, c, lang)) for c in COUNTRIES
        ]
        return Problem(
            "country",
            _("Unknown country", lang),
            _("“{value}” is not a country of this barometer. Choose:", lang, value=country_text),
            links,
        )
    where = country_name(country, lang)
    definition = get_indicator(indicator_id)
    if definition is None:
        here = {i.id: i for i in list_indicators() if country in i.countries}
        return unknown_indicator(
            indicator_id, here, lambda i: map_href(i, None, country, lang), lang
        )
    if not definition.ranked_in(country):
        # Not published for the country, or not mapped by municipality there (a count of
        # persons, or a figure published per county only).
        links = [
            Link(i.title_in(lang), map_href(i.id, None, country, lang))
            for i in list_indicators()
            if i.ranked_in(country)
        ] + [
            Link(
                f"{definition.title_in(lang)} – {country_name(c, lang)}",
                map_href(definition.id, None, c, lang),
            )
            for c in definition.countries
            if definition.ranked_in(c)
        ]
        message = N_(
            "“{indicator}” is not available for {country}. Choose another indicator or country:"
        )
        return not_published(message, definition.title_in(lang), where, lang, links)
    periods = list_periods(definition.id, country)
    if not periods:
        return Problem(
            "no_data",
            _("No data yet", lang),
            _(
                "The database has no values for this indicator in {country}.",
                lang,
                country=where,
            ),
            [],
        )
    if period is None:
        newest = latest_period_with_values(definition.id, country) or periods[-1]
        return MapView(definition, newest, country, periods)
    if period not in periods:
        latest = [
            Link(p, map_href(definition.id, p, country, lang)) for p in reversed(periods[-6:])
        ]
        return Problem(
            "period",
            _("Unknown period", lang),
            _(
                "“{value}” is not a period of {indicator} in {country}. "
                "Periods run from {first} to {last}; the latest are:",
                lang,
                value=period,
                indicator=definition.title_in(lang),
                country=where,
                first=periods[0],
                last=periods[-1],
            ),
            latest,
        )
    return MapView(definition, period, country, periods)


def summarise(
    frame: pd.DataFrame,
    title: str,
    country: str,
    period: str,
    national: str | None,
    measure: str,
    lang: str,
) -> str:
    """What the map shows, in a few sentences (for everyone and for screen readers)."""
    known = frame[frame["value"].notna()].sort_values("value")
    parts = [
        _(
            "{indicator}, {country}, {period}: {known} of {total} municipalities have a value.",
            lang,
            indicator=title,
            country=country_name(country, lang),
            period=period,
            known=len(known),
            total=len(frame),
        )
    ]
    if not known.empty:
        low, high = known.iloc[0], known.iloc[-1]
        parts.append(
            _(
                "Lowest {low_name} ({low}), highest {high_name} ({high}).",
                lang,
                low_name=low["name"],
                low=format_value(low["value"], measure, lang),
                high_name=high["name"],
                high=format_value(high["value"], measure, lang),
            )
        )
    if national:
        parts.append(national)
    without = frame[frame["value"].isna()]["name"].tolist()
    if without:
        names = ", ".join(without[:5])
        if len(without) > 5:
            names += " " + _("and {count} more", lang, count=len(without) - 5)
        parts.append(_("Without a value: {names}.", lang, names=names))
    return " ".join(parts)


def update_href(
    indicator: str | None, period: str | None, country: str | None, search: str | None
) -> str:
    """The address for the controls' values, keeping the language.

    An indicator the country lacks falls back to the default; another indicator, or a period
    the indicator lacks, opens on its latest period with values.
    """
    before = query_of(search)
    lang = normalise_language(before.get("lang"))
    country = country if country in COUNTRIES else DEFAULT_COUNTRY
    definition = get_indicator(indicator or DEFAULT_INDICATOR)
    if definition is None or country not in definition.countries:
        definition = get_indicator(DEFAULT_INDICATOR)
    assert definition is not None
    changed = definition.id != (before.get("indicator") or DEFAULT_INDICATOR)
    if changed or period not in list_periods(definition.id, country):
        period = latest_period_with_values(definition.id, country)
    return map_href(definition.id, period, country, lang)


def export_map(
    search: str | None, variant: Variant | str, base_url: str, now: dt.datetime | None = None
) -> dict[str, Any] | None:
    """The map's table as a CSV download (dcc.Download's dict) for the address's view; None
    when the address shows no map (a problem page)."""
    query = query_of(search)
    lang = normalise_language(query.get("lang"))
    view = read_view(
        query.get("indicator") or DEFAULT_INDICATOR, query.get("period"), query.get("country"), lang
    )
    if not isinstance(view, MapView):
        return None
    url = base_url + map_href(view.indicator.id, view.period, view.country, lang)
    return values_download(view.indicator, view.country, view.period, lang, variant, url, now)

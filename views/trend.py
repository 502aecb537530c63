"""The trend page's logic: the view a URL asks for, its address, its sentences (no Dash).

`/trend?indicator=&municipalities=&measure=&lang=`: chosen municipalities of one country over
time beside the national figure; pages/trend.py draws what these functions decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from components.trend import (
    MAX_MUNICIPALITIES,
    EventMark,
    Series,
    available_measures,
    headline_measure,
    period_to_date,
)
from indicators.registry import Indicator, get_indicator, list_indicators
from loaders.municipalities import Municipality, find_municipality
from locales import N_, _, normalise_language
from locales.notes import describe_missing
from locales.numbers import format_number, format_value
from locales.words import country_name, word
from views.links import Context
from views.params import query_of, unknown_indicator, unknown_municipality
from views.problems import Link, Problem, not_published

PATH = "/trend"
DEFAULT_INDICATOR = "employment_gap"
CAPITALS = {"DK": "101", "NO": "0301"}


@dataclass(frozen=True)
class TrendView:
    """A request the trend page can draw: indicator, country, municipalities and measure."""

    indicator: Indicator
    country: str
    municipalities: tuple[Municipality, ...]
    measure: str
    dropped: int = 0

    @property
    def context(self) -> Context:
        """What the page shows, for links to other pages (views/links.py)."""
        return Context(
            municipalities=tuple(m.code for m in self.municipalities),
            indicator=self.indicator.id,
            country=self.country,
        )


def trend_href(indicator: str, municipalities: list[str], measure: str, lang: str) -> str:
    """The shareable address of a view (commas kept readable in the municipality list)."""
    query = {
        "indicator": indicator,
        "municipalities": ",".join(municipalities),
        "measure": measure,
        "lang": lang,
    }
    kept = {k: v for k, v in sorted(query.items()) if v}
    return f"{PATH}?{urlencode(kept, safe=',')}" if kept else PATH


def parse_codes(text: str | None) -> list[str]:
    """Municipality codes from the URL's comma-separated list, without blanks or repeats."""
    codes = [c.strip() for c in (text or "").split(",")]
    return list(dict.fromkeys(c for c in codes if c))


def read_view(
    indicator_id: str, codes_text: str | None, measure: str | None, lang: str
) -> TrendView | Problem:
    """The view a URL asks for, or a helpful message saying what is wrong and what would work."""
    definition = get_indicator(indicator_id)
    if definition is None:
        return unknown_indicator(
            indicator_id,
            {i.id: i for i in list_indicators()},
            lambda i: trend_href(i, parse_codes(codes_text), "", lang),
            lang,
        )
    codes = parse_codes(codes_text)
    if not codes:
        country = "DK" if "DK" in definition.countries else "NO"
        codes = [CAPITALS[country]]
    found = [find_municipality(c) for c in codes]
    unknown = [c for c, m in zip(codes, found, strict=True) if m is None]
    known = [m for m in found if m is not None]
    if unknown:
        return unknown_municipality(
            unknown[0],
            lambda code: trend_href(definition.id, [*(m.code for m in known), code], "", lang),
            lang,
        )
    countries = list(dict.fromkeys(m.country for m in known))
    if len(countries) > 1:
        links = [
            Link(
                ", ".join(m.name for m in known if m.country == c),
                trend_href(
                    definition.id, [m.code for m in known if m.country == c], measure or "", lang
                ),
            )
            for c in countries
        ]
        return Problem(
            "country",
            _("One country at a time", lang),
            _(
                "Danish and Norwegian figures are defined differently, so "
                "this page shows one country at a time. Continue with:",
                lang,
            ),
            links,
        )
    country = countries[0]
    where = country_name(country, lang)
    if not definition.municipal_in(country):
        # Not published for the country, or per county only (no municipal lines).
        links = [
            Link(i.title_in(lang), trend_href(i.id, [m.code for m in known], "", lang))
            for i in list_indicators()
            if i.municipal_in(country)
        ]
        message = N_("“{indicator}” is not available for {country}. Choose another indicator:")
        return not_published(message, definition.title_in(lang), where, lang, links)
    allowed = available_measures(definition.measure)
    chosen = measure or headline_measure(definition.measure)
    if chosen not in allowed:
        links = [
            Link(
                word(MEASURES_SHOWN, m, lang),
                trend_href(definition.id, [k.code for k in known], m, lang),
            )
            for m in allowed
        ]
        share = (
            [
                _(
                    "This indicator is a share of the population: it has no "
                    "comparison group and no gap.",
                    lang,
                )
            ]
            if definition.measure == "share"
            else []
        )
        return Problem(
            "measure",
            _("Unknown measure", lang),
            _(
                "“{value}” is not something this page can show for {indicator}. Choose one of:",
                lang,
                value=chosen,
                indicator=definition.title_in(lang),
            ),
            links,
            notes=share,
        )
    kept = tuple(known[:MAX_MUNICIPALITIES])
    return TrendView(definition, country, kept, chosen, dropped=len(known) - len(kept))


MEASURES_SHOWN = {
    "count": N_("Number of persons"),
    "target": N_("Target group's rate"),
    "comparison": N_("Comparison group's rate"),
    "gap": N_("Gap (percentage points)"),
}


def _format(value: float | None, measure: str, lang: str) -> str:
    return format_value(value, measure if measure in ("gap", "count") else "rate", lang)


BREAK_LABEL = N_("{name}: series break")
BREAK_TEXTS = {
    "split": N_(
        "Split on 1 January {year} ({name}): the figures start again there and are not "
        "compared with earlier years."
    ),
    "merge": N_(
        "Merger on 1 January {year} ({name}): the published rates of the old municipalities "
        "cannot be added up, so the figures start again there and are not compared with "
        "earlier years."
    ),
}


def break_marks(breaks: list[dict], names: dict[str, str], lang: str) -> list[EventMark]:
    """A vertical line where a reform cut the chosen municipalities' series (their
    `comparable_from`), drawn like the events and labelled with the municipalities' names;
    municipalities cut by the same reform share one line."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for brk in breaks:
        kind = str(brk.get("kind")) if brk.get("kind") in BREAK_TEXTS else "split"
        key = (str(brk["comparable_from"]), kind)
        grouped.setdefault(key, []).append(names.get(str(brk["area"]), str(brk["area"])))
    marks = []
    for (period, kind), found in grouped.items():
        name = ", ".join(found)
        marks.append(
            EventMark(
                period_to_date(period),
                "break",
                _(BREAK_LABEL, lang, name=name),
                _(BREAK_TEXTS[kind], lang, name=name, year=period[:4]),
            )
        )
    return marks


def summarise(
    view: TrendView,
    lines: list[Series],
    national: Series | None,
    periods: list[str],
    events: list[EventMark],
    lang: str,
) -> str:
    """A few sentences saying what the chart shows, for everyone and for screen readers."""
    measure = word(MEASURES_SHOWN, view.measure, lang)
    head = f"{view.indicator.title_in(lang)}, {measure.lower()}, {periods[0]}–{periods[-1]}."
    sentences = [head]
    for line in [*lines, *([national] if national else [])]:
        known = [(p, v) for p, v in zip(periods, line.y, strict=True) if v is not None]
        if not known:
            sentences.append(_("{name}: no published values", lang, name=line.name) + ".")
            continue
        (first_period, first), (last_period, last) = known[0], known[-1]
        text = _(
            "{name}: {first} in {first_period}, {last} in {last_period}",
            lang,
            name=line.name,
            first=_format(first, view.measure, lang),
            first_period=first_period,
            last=_format(last, view.measure, lang),
            last_period=last_period,
        )
        missing = len(periods) - len(known)
        if missing:
            count = _(
                "{count} of {total} periods without a published value",
                lang,
                count=missing,
                total=len(periods),
            )
            text += f" ({count})"
        sentences.append(text + ".")
    if events:
        labels = ", ".join(f"{e.label} ({e.date[:7]})" for e in events)
        sentences.append(_("Marked events: {events}.", lang, events=labels))
    return " ".join(sentences)


def table_cell(line: Series, i: int, measure: str, lang: str) -> str:
    """One cell of the table under the chart: value (interval), or why it is missing."""
    value = line.y[i]
    if value is None:
        return _("missing ({why})", lang, why=describe_missing(line.notes[i], lang))
    text = _format(value, measure, lang)
    lower, upper = line.lower[i], line.upper[i]
    if lower is not None and upper is not None:
        text += f" ({format_number(lower, lang)}–{format_number(upper, lang)})"
    return text


def within(when: str, periods: list[str]) -> bool:
    day = when if len(when) > 7 else when + "-01"
    return period_to_date(periods[0]) <= day <= period_to_date(periods[-1])


def update_href(
    indicator: str | None, codes: list[str] | None, measure: str | None, search: str | None
) -> str:
    """The address for the controls' values, keeping the language.

    One country at a time: choosing a municipality of the other country starts a new
    selection with it. An indicator the country lacks falls back to the default, and a
    measure the indicator lacks to its headline.
    """
    lang = normalise_language(query_of(search).get("lang"))
    chosen = [m for m in (find_municipality(c) for c in codes or []) if m is not None]
    if chosen:
        country = chosen[-1].country  # the newest choice decides the country
        chosen = [m for m in chosen if m.country == country]
    definition = get_indicator(indicator or DEFAULT_INDICATOR) or get_indicator(DEFAULT_INDICATOR)
    assert definition is not None
    if chosen and chosen[0].country not in definition.countries:
        definition = get_indicator(DEFAULT_INDICATOR)
        assert definition is not None
    allowed = available_measures(definition.measure)
    wanted = measure if measure in allowed else headline_measure(definition.measure)
    return trend_href(definition.id, [m.code for m in chosen], wanted or "", lang)

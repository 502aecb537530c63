"""The municipality scorecard: one card per indicator, built from plain data.

Pure functions, no callbacks and no database: `build_card_facts` turns the frames read by
queries/scorecard.py into a `CardFacts`; `headline_text`, `rank_text` and friends write it in
English, Danish or Norwegian; `build_card`, `build_peer_selector` and `build_similar_table`
return Dash components; `build_sparkline_figure` a dict figure. Every text goes through the
catalogue (locales/).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import dcc, html

from components.chart import Chart
from components.controls import graph_config
from components.plain import plain_parts
from indicators.notes import CAUTION, SIZE_UNKNOWN, Note
from indicators.ranking import is_ascending
from indicators.registry import CountryDefinition, Group, Indicator
from indicators.stats import CAUTION_N_DEFAULT, round_pp
from loaders.municipalities import find_municipality
from locales import _
from locales.notes import describe_missing, describe_note
from locales.numbers import (
    format_change,
    format_count,
    format_number,
    format_percent,
    format_pp,
    format_value,
    number,
    ordinal,
    rounds_to_zero,
)
from locales.words import (
    LIGHT_WORDS,
    MEASURE_NOUNS,
    MEASURE_WORDS,
    STRUCTURE_HEADS,
    VERDICT_WORDS,
    country_name,
    word,
)
from queries.scorecard import ScorecardData
from views.municipality import PEER_CHOICES, peer_choice_labels, peer_kind
from views.peers import reason_text

# Okabe-Ito blue and vermilion with a neutral grey: never red against green.
LIGHTS = {
    "better": ("▲", "#0072B2"),
    "unchanged": ("●", "#6E6E6E"),
    "worse": ("▼", "#D55E00"),
}
SPARK_COLOUR = "#0072B2"


def aria(**values: str) -> dict[str, Any]:
    """ARIA attributes for a Dash component: aria(label="x") -> {"aria-label": "x"}."""
    return {f"aria-{name}": value for name, value in values.items()}


def age_text(age_band: str, lang: str) -> str:
    """The definition's age band in words."""
    if not age_band or age_band == "all ages":
        return _("all ages", lang)
    return _("ages {band}", lang, band=age_band)


# --------------------------------------------------------------------------------------------
# Facts: the numbers of one card
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFacts:
    """One population group's rate (in %), interval and base in the latest period."""

    label: dict[str, str]
    rate: float | None
    lower: float | None
    upper: float | None
    den: float | None


@dataclass(frozen=True)
class Rank:
    """The focus's place among its peers: 1 = best; None when the focus has no value."""

    position: int | None
    of: int


@dataclass(frozen=True)
class CardFacts:
    """Everything one scorecard card shows, as numbers (no language)."""

    indicator: Indicator
    definition: CountryDefinition
    period: str | None
    previous_period: str | None
    value: float | None
    note: Note | None
    small_number: str | None
    pooled_value: float | None
    target: GroupFacts
    comparison: GroupFacts | None
    gap: float | None
    gap_lower: float | None
    gap_upper: float | None
    baseline_period: str | None
    baseline_value: float | None
    change_base: float | None
    change_prev: float | None
    light: str | None
    significance: str | None
    rank: Rank
    periods: tuple[str, ...]
    values: tuple[float | None, ...]
    # A figure published per county only: the county it is (as the provider names it), and
    # the whole country's value beside it. None for a municipality's own figure.
    place: str | None = None
    national: float | None = None

    @property
    def measure(self) -> str:
        return self.indicator.measure


def rank_within(
    latest: list[dict[str, Any]], indicator: Indicator, codes: Iterable[str], focus: str
) -> Rank:
    """The focus's rank among the peers' latest values (ties share the better rank).

    `latest`: the indicator's rows of ScorecardData.latest (area, value, note_code). The focus
    always counts as one of its peers; peers without a value are not ranked, nor is a group
    whose size is not known (it could be below the minimum), as on Compare.
    """
    members = {*codes, focus}
    values: dict[str, float] = {}
    for row in latest:
        value = number(row.get("value"))
        unknown_size = _text_or_none(row.get("note_code")) == SIZE_UNKNOWN
        if row["area"] in members and value is not None and not unknown_size:
            values[str(row["area"])] = value
    mine = values.get(focus)
    if mine is None:
        return Rank(None, len(values))
    ascending = is_ascending(indicator)
    ahead = sum(1 for v in values.values() if (v < mine if ascending else v > mine))
    return Rank(ahead + 1, len(values))


def _group(row: dict[str, Any], prefix: str, group: Group) -> GroupFacts:
    def pct(column: str) -> float | None:
        found = number(row.get(f"{prefix}_{column}"))
        return None if found is None else 100 * found

    return GroupFacts(
        label=group.label,
        rate=pct("rate"),
        lower=pct("lower"),
        upper=pct("upper"),
        den=number(row.get(f"{prefix}_den")),
    )


def _text_or_none(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def build_card_facts(
    indicator: Indicator, country: str, data: ScorecardData, peers: Iterable[str], focus: str
) -> CardFacts:
    """The facts of one card: the indicator's latest period for `focus`, ranked among `peers`."""
    definition = indicator.countries[country]
    county = definition.geography == "county"
    history = (data.county_rows if county else data.history_rows).get(indicator.id, [])
    periods = [str(r["period"]) for r in history]
    values = [number(r["value"]) for r in history]
    period = data.latest_period(indicator.id)
    row = next((r for r in history if str(r["period"]) == period), {})
    earlier = [p for p in periods if period is not None and p < period]
    baseline = _text_or_none(row.get("baseline_period")) or definition.baseline
    baseline_value = next((values[i] for i, p in enumerate(periods) if p == baseline), None)
    comparison = definition.comparison
    return CardFacts(
        indicator=indicator,
        definition=definition,
        period=period,
        previous_period=earlier[-1] if earlier else None,
        value=number(row.get("value")),
        note=Note.from_row(row),
        small_number=_text_or_none(row.get("small_number")),
        pooled_value=number(row.get("pooled_value")),
        target=_group(row, "target", definition.target),
        comparison=_group(row, "comparison", comparison) if comparison else None,
        gap=number(row.get("gap_pp")),
        gap_lower=number(row.get("gap_lower_pp")),
        gap_upper=number(row.get("gap_upper_pp")),
        baseline_period=baseline,
        baseline_value=baseline_value,
        change_base=number(row.get("change_base_pp")),
        change_prev=number(row.get("change_prev_pp")),
        light=_text_or_none(row.get("light_barometer")),
        significance=_text_or_none(row.get("light_significance")),
        rank=Rank(None, 0)
        if county
        else rank_within(data.latest_rows.get(indicator.id, []), indicator, peers, focus),
        periods=tuple(periods),
        values=tuple(values),
        place=_text_or_none(row.get("place")) if county else None,
        national=number(row.get("national")) if county else None,
    )


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------


def _superlative(indicator: Indicator, lang: str) -> str:
    if indicator.measure == "gap":
        return _("smallest", lang)
    return _("lowest", lang) if indicator.higher_is_better is False else _("highest", lang)


def rank_text(facts: CardFacts, lang: str, with_noun: bool = True) -> str:
    """E.g. "4th smallest gap of 12 peers" (or without the noun, for the headline)."""
    if facts.place is not None:
        return _("a county figure: not ranked among municipalities", lang)
    if facts.measure == "count":
        return _("a number of persons: not ranked", lang)
    rank = facts.rank
    if rank.position is None:
        return _("not ranked: no value for {period}", lang, period=facts.period or "")
    if rank.of <= 1:
        return _("the only one of its peers with a value", lang)
    superlative = _superlative(facts.indicator, lang)
    if with_noun:
        superlative += " " + word(MEASURE_NOUNS, facts.measure, lang)
    return _(
        "{ordinal} {superlative} of {n} peers",
        lang,
        ordinal=ordinal(rank.position, lang),
        superlative=superlative,
        n=rank.of,
    )


def rank_caution(facts: CardFacts, lang: str) -> html.Span | None:
    """The mark of a place taken by a small group (below the caution level), as Compare marks
    its bar; None when the focus is not ranked or its group is not small."""
    if facts.rank.position is None or facts.place is not None or facts.measure == "count":
        return None
    if facts.small_number != CAUTION:
        return None
    n = facts.note.n if facts.note and facts.note.code == CAUTION and facts.note.n else None
    return html.Span(
        [
            html.Span("⚠ ", **aria(hidden="true")),
            _(
                "Small group (fewer than {n} in the target group): read this place with caution",
                lang,
                n=n or CAUTION_N_DEFAULT,
            ),
        ],
        className="scorecard-rank-caution",
    )


def change_words(facts: CardFacts, lang: str) -> str | None:
    """E.g. "3.1 pp smaller than in 2012"; None when the definition has no baseline."""
    if facts.baseline_period is None:
        return None
    if facts.change_base is None:
        return _("no value in {period} to compare with", lang, period=facts.baseline_period)
    count = facts.measure == "count"
    size = (
        format_count(abs(facts.change_base), lang)
        if count
        else format_pp(abs(facts.change_base), lang)
    )
    if rounds_to_zero(facts.change_base, 0 if count else 1):
        return _("the same as in {period}", lang, period=facts.baseline_period)
    up = facts.change_base > 0
    if count:
        direction = _("more", lang) if up else _("fewer", lang)
    elif facts.measure == "gap":
        direction = _("larger", lang) if up else _("smaller", lang)
    else:
        direction = _("higher", lang) if up else _("lower", lang)
    return _(
        "{change} {direction} than in {period}",
        lang,
        change=size,
        direction=direction,
        period=facts.baseline_period,
    )


def headline_text(facts: CardFacts, lang: str) -> str:
    """One plain-language line, e.g. "Gap 12.0 pp, 3.0 pp smaller than in 2012; 4th smallest
    of 12 peers"."""
    if facts.period is None:
        return _("No published values yet", lang)
    if facts.value is None:
        return _(
            "No value for {period}: {note}",
            lang,
            period=facts.period,
            note=describe_missing(facts.note, lang),
        )
    first = (
        word(MEASURE_WORDS, facts.measure, lang)
        + " "
        + format_value(facts.value, facts.measure, lang)
    )
    if facts.place is not None:
        first = _(
            "County figure ({place}): {value}",
            lang,
            place=facts.place,
            value=format_value(facts.value, facts.measure, lang),
        )
    change = change_words(facts, lang)
    opening = f"{first}, {change}" if change else first
    return f"{opening}; {rank_text(facts, lang, with_noun=False)}"


def light_rule_text(facts: CardFacts, lang: str) -> str:
    """The barometer rule, with this card's rounded numbers, for the light's tooltip."""
    if facts.measure == "gap":
        direction = _("a smaller gap is better", lang)
    else:
        direction = (
            _("higher is better", lang)
            if facts.indicator.higher_is_better
            else _("lower is better", lang)
        )

    def whole(value: float | None) -> str:
        if value is None:
            return "–"
        return format_value(float(round_pp(value)), facts.measure, lang, digits=0)

    return _(
        "Barometer rule since {period}: {then} then and {now} now, "
        "both rounded to whole percentage points. Better or worse in "
        "the good direction ({direction}); the same whole number is "
        "unchanged.",
        lang,
        period=facts.baseline_period or "",
        then=whole(facts.baseline_value),
        now=whole(facts.value),
        direction=direction,
    )


def significance_text(facts: CardFacts, lang: str) -> str:
    """The significance rule's verdict in words."""
    verdict = (
        word(VERDICT_WORDS, facts.significance, lang)
        if facts.significance in LIGHTS
        else _("not available (no interval)", lang)
    )
    return _("Significance rule: {verdict}", lang, verdict=verdict)


# --------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------


def build_sparkline_figure(periods: Iterable[str], values: Iterable[float | None]) -> dict:
    """A small line of the headline over time, no axes; missing periods are gaps."""
    x = list(periods)
    y = [None if v is None or math.isnan(v) else round(v, 2) for v in values]
    known = [i for i, v in enumerate(y) if v is not None]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": y,
            "line": {"color": SPARK_COLOUR, "width": 2},
            "connectgaps": False,
            "hoverinfo": "skip",
        }
    ]
    if known:
        last = known[-1]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [x[last]],
                "y": [y[last]],
                "marker": {"color": SPARK_COLOUR, "size": 7},
                "hoverinfo": "skip",
            }
        )
    hidden = {"visible": False, "fixedrange": True}
    return {
        "data": traces,
        "layout": {
            "height": 56,
            "margin": {"l": 4, "r": 8, "t": 4, "b": 4},
            "xaxis": {**hidden, "type": "category"},
            "yaxis": hidden,
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
        },
    }


def _row(label: str, value: str, detail: list | None = None) -> list:
    """A label and its value side by side; the detail (interval, n) on a full-width line."""
    row = [
        html.Dt(label, className="scorecard-label"),
        html.Dd(html.Strong(value), className="scorecard-value"),
    ]
    if detail:
        row.append(html.Dd(detail, className="scorecard-detail-row"))
    return row


def _interval(lower: float | None, upper: float | None, measure: str, lang: str) -> str | None:
    if lower is None or upper is None:
        return None
    written = (
        (format_pp(lower, lang), format_pp(upper, lang))
        if measure == "gap"
        else (format_percent(lower, lang), format_percent(upper, lang))
    )
    return _("95 % interval {lower} to {upper}", lang, lower=written[0], upper=written[1])


def _detail(parts: list[Any]) -> list:
    """Secondary text under a value, one part per line."""
    return [html.Div(part, className="scorecard-detail") for part in parts if part]


def _uncertainty(facts: CardFacts, lang: str) -> list:
    """The gap's (or share's) interval and n, or the note saying why there is none."""
    why = describe_note(facts.note, lang) or None
    if facts.comparison is None:
        lower, upper = facts.target.lower, facts.target.upper
        interval = _interval(lower, upper, "share", lang)
        n = (
            _("n = {target} residents", lang, target=format_count(facts.target.den, lang))
            if facts.target.den is not None
            else None
        )
        return _detail([interval, n] if interval else [why])
    interval = _interval(facts.gap_lower, facts.gap_upper, "gap", lang)
    if interval is None or facts.target.den is None or facts.comparison.den is None:
        return _detail([why])
    counts = {
        "target": format_count(facts.target.den, lang),
        "comparison": format_count(facts.comparison.den, lang),
    }
    # What n means opens on a tap, a click or keyboard focus (no hover-only tooltip).
    sizes = html.Details(
        [
            html.Summary(_("n = {target} and {comparison}", lang, **counts)),
            html.Span(
                _(
                    "n: people in the target group ({target}) and in the comparison group "
                    "({comparison})",
                    lang,
                    **counts,
                )
            ),
        ],
        className="disclosure scorecard-sizes",
    )
    return _detail([interval, sizes])


def last_published_text(facts: CardFacts, lang: str) -> str:
    """For a card without a current value: the last value published before, and when."""
    earlier = [
        (period, value)
        for period, value in zip(facts.periods, facts.values, strict=True)
        if value is not None and (facts.period is None or period < facts.period)
    ]
    if not earlier:
        return _("No value published for any period", lang)
    period, value = earlier[-1]
    written = format_value(value, facts.measure, lang)
    return _("Last published: {value} in {period}", lang, value=written, period=period)


def _figures(facts: CardFacts, lang: str) -> html.Dl | html.P:
    """The groups' values and the gap, or the note for a missing value."""
    if facts.value is None:
        return html.P(last_published_text(facts, lang), className="scorecard-missing")
    target = facts.target
    label = target.label.get(lang) or target.label["en"]
    rows: list = []
    if facts.place is not None:
        # Not the municipality's own figure: its county's, beside the whole country's.
        rows += _row(facts.place, format_value(facts.value, facts.measure, lang))
        rows += _row(
            country_name(facts.definition.country, lang),
            format_value(facts.national, facts.measure, lang),
            _detail([_("published per county only, not per municipality", lang)]),
        )
        return html.Dl(rows, className="scorecard-figures")
    if facts.comparison is None:
        rows += _row(
            label, format_value(facts.value, facts.measure, lang), _uncertainty(facts, lang)
        )
        return html.Dl(rows, className="scorecard-figures")
    comparison = facts.comparison
    if target.rate is not None:
        rows += _row(label, format_percent(target.rate, lang))
    if comparison.rate is not None:
        rows += _row(
            comparison.label.get(lang) or comparison.label["en"],
            format_percent(comparison.rate, lang),
        )
    if facts.gap is not None:
        rows += _row(_("Gap", lang), format_pp(facts.gap, lang), _uncertainty(facts, lang))
    return html.Dl(rows, className="scorecard-figures")


def _changes(facts: CardFacts, lang: str) -> html.P | None:
    if facts.value is None:
        return None
    parts = [
        _(
            "Since {period}: {change}",
            lang,
            period=period,
            change=_("no value", lang)
            if change is None
            else format_change(change, facts.measure, lang),
        )
        for period, change in (
            (facts.baseline_period, facts.change_base),
            (facts.previous_period, facts.change_prev),
        )
        if period
    ]
    return html.P(" · ".join(parts), className="scorecard-changes") if parts else None


def build_light(facts: CardFacts, lang: str) -> html.Div:
    """The traffic light: icon, word and colour, the significance beside; each opens to its
    rule (click, tap or keyboard)."""
    if facts.indicator.higher_is_better is None:
        return html.Div(
            _("No traffic light: this describes the population, not a goal", lang),
            className="scorecard-lights scorecard-muted",
        )
    if facts.light not in LIGHTS:
        missing = _(
            "No traffic light: no value to compare with {period}",
            lang,
            period=facts.baseline_period or "",
        )
        return html.Div(missing, className="scorecard-lights scorecard-muted")
    icon, colour = LIGHTS[facts.light]
    # The rules open on click, tap, Enter or Space (a <details>), not on hover only.
    badge = html.Details(
        [
            html.Summary(
                [
                    html.Span(
                        icon,
                        className="scorecard-light-icon",
                        style={"color": colour},
                        **aria(hidden="true"),
                    ),
                    html.Span(
                        word(LIGHT_WORDS, facts.light, lang), className="scorecard-light-word"
                    ),
                ],
                className=f"scorecard-light scorecard-light-{facts.light}",
                style={"borderColor": colour},
            ),
            html.P(light_rule_text(facts, lang), className="scorecard-rule"),
        ],
        className="disclosure scorecard-light-details",
    )
    significance = html.Details(
        [
            html.Summary(significance_text(facts, lang), className="scorecard-significance"),
            html.P(
                _(
                    "Significance rule: better or worse only when the 95 % "
                    "interval of the change since the baseline excludes 0; "
                    "otherwise unchanged.",
                    lang,
                ),
                className="scorecard-rule",
            ),
        ],
        className="disclosure scorecard-significance-details",
    )
    return html.Div([badge, significance], className="scorecard-lights")


def build_card(facts: CardFacts, lang: str, href: str, selected: bool) -> html.Article:
    """One indicator's card; its title links to the view with this indicator selected."""
    indicator = facts.indicator
    title = indicator.title_in(lang)
    caveat = facts.definition.caveats.get(lang) or facts.definition.caveats.get("en")
    when = " · ".join(
        part for part in (facts.period, age_text(facts.definition.age_band, lang)) if part
    )
    header = html.Div(
        [
            html.H3(
                dcc.Link(
                    title,
                    href=href,
                    id=f"scorecard-title-{indicator.id}",
                ),
                className="scorecard-title",
            ),
            html.Span(when, className="scorecard-period"),
        ],
        className="scorecard-header",
    )
    caution = (
        html.P(
            _(
                "Small group: read with caution. Last 3 periods pooled: {value}",
                lang,
                value=format_value(facts.pooled_value, facts.measure, lang),
            ),
            className="scorecard-caution",
        )
        if facts.small_number == "caution"
        and facts.pooled_value is not None
        and facts.value is not None
        else None
    )
    spark_label = (
        _(
            "{title}, {first} to {last}",
            lang,
            title=title,
            first=facts.periods[0],
            last=facts.periods[-1],
        )
        if facts.periods
        else title
    )
    has_line = any(value is not None for value in facts.values)
    children = [
        header,
        html.P(
            headline_text(facts, lang),
            className="scorecard-headline",
            id=f"scorecard-headline-{indicator.id}",
        ),
        _figures(facts, lang),
        _changes(facts, lang),
        build_light(facts, lang),
        caution,
        html.P(
            [rank_text(facts, lang), rank_caution(facts, lang)],
            className="scorecard-rank",
            id=f"scorecard-rank-{indicator.id}",
        ),
        html.Div(
            Chart(
                figure=build_sparkline_figure(facts.periods, facts.values),
                config=graph_config(lang, staticPlot=True, displayModeBar=False),
                style={"height": "56px"},
            ),
            className="scorecard-sparkline",
            role="img",
            **aria(label=spark_label),
        )
        if has_line
        else None,
        html.Div(
            [html.Span(facts.periods[0]), html.Span(facts.periods[-1])],
            className="scorecard-spark-range",
            **aria(hidden="true"),
        )
        if has_line
        else None,
        html.Details(
            [
                html.Summary(
                    [
                        html.Span("i", className="scorecard-caveat-icon", **aria(hidden="true")),
                        _("Caveat", lang),
                    ],
                    className="scorecard-caveat",
                ),
                html.P(caveat, className="scorecard-rule"),
            ],
            className="disclosure scorecard-caveat-details",
        )
        if caveat
        else None,
        html.P(_("Shown in the chart below", lang), className="scorecard-selected-note")
        if selected
        else None,
    ]
    light = facts.light if facts.light in LIGHTS else "none"
    # The sparkline is a Dash graph; the text around it no callback changes: Plain components
    # rather than about forty Dash components per card.
    return html.Article(
        plain_parts(children),
        className="scorecard-card scorecard-card-"
        + light
        + (" scorecard-card-selected" if selected else ""),
        id=f"scorecard-card-{indicator.id}",
        **(aria(current="true") if selected else {}),
    )


# --------------------------------------------------------------------------------------------
# Peer groups
# --------------------------------------------------------------------------------------------


def build_peer_selector(
    spec: str, country: str, lang: str, href_for: Callable[[str | None], str]
) -> html.Nav:
    """Links for each peer group; the choice goes to the URL's `peers=`."""
    current = peer_kind(spec)
    labels = peer_choice_labels(country, lang)
    links: list[Any] = []
    for kind in PEER_CHOICES:
        chosen = kind == current
        # Keep a customised "similar:k=..." when it is the current choice.
        target = spec if chosen else kind
        links.append(
            dcc.Link(
                labels[kind],
                href=href_for(None if target == "all" else target),
                id=f"scorecard-peers-{kind}",
                className="scorecard-peer" + (" scorecard-peer-current" if chosen else ""),
            )
        )
    if current == "group":
        name = spec.split(":", 1)[1].rpartition("~")[0] or "?"
        links.append(
            html.Span(
                _("Group: {name}", lang, name=name),
                id="scorecard-peers-group",
                className="scorecard-peer scorecard-peer-current",
            )
        )
    return html.Nav(
        [html.Span(_("Compared with", lang), className="scorecard-peers-label"), *links],
        id="scorecard-peers",
        className="scorecard-peers",
        **aria(label=_("Compared with", lang)),
    )


def _structure_value(column: str, value: Any, lang: str) -> str:
    found = number(value)
    if found is None:
        return "–"
    if column == "pop":
        return format_count(math.exp(found), lang)
    return format_percent(found, lang)


def build_similar_table(
    reasons: pd.DataFrame, focus_code: str, lang: str, on_compare: bool = False
) -> html.Details:
    """The chosen similar municipalities and why: their values beside the focus's.

    On the municipality page it is open under its peer choice; on Compare (`on_compare`) it
    starts folded, so the charts stay in view, and the focus is called the focus.
    """
    variables = [c[: -len("_peer")] for c in reasons.columns if c.endswith("_peer")]
    focus = find_municipality(focus_code)
    focus_name = focus.name if focus else focus_code
    head = html.Tr(
        [
            html.Th(_("Municipality", lang)),
            *[html.Th(word(STRUCTURE_HEADS, v, lang)) for v in variables],
            html.Th(_("Distance (SD)", lang)),
            html.Th(_("Why", lang)),
        ]
    )
    first = reasons.iloc[0] if not reasons.empty else None
    focus_row = html.Tr(
        [
            html.Td(
                _("{name} (focus)", lang, name=focus_name)
                if on_compare
                else _("{name} (this page)", lang, name=focus_name)
            ),
            *[
                html.Td(
                    _structure_value(v, first[f"{v}_focus"] if first is not None else None, lang)
                )
                for v in variables
            ],
            html.Td("0"),
            html.Td(""),
        ],
        className="scorecard-focus-row",
    )
    rows = []
    for peer in reasons.to_dict(orient="records"):
        found = find_municipality(str(peer["code"]))
        rows.append(
            html.Tr(
                [
                    html.Td(f"{found.name if found else peer['code']} ({peer['code']})"),
                    *[html.Td(_structure_value(v, peer[f"{v}_peer"], lang)) for v in variables],
                    html.Td(format_number(float(peer["distance"]), lang, 2)),
                    html.Td(reason_text(peer, lang)),
                ]
            )
        )
    return html.Details(
        [
            html.Summary(
                _("Why these peers: their structure beside {name}", lang, name=focus_name)
            ),
            html.Div(
                html.Table(
                    [html.Thead(head), html.Tbody([focus_row, *rows])],
                    className="scorecard-similar-table",
                ),
                # A wide table scrolls in its own box (reachable by keyboard to scroll it).
                className="table-scroll",
                tabIndex="0",
                role="region",
                **aria(label=_("Why these peers", lang)),
            ),
            html.P(
                _(
                    "Distance: the weighted root mean square of the standardised "
                    "differences, roughly how many standard deviations (SD) "
                    "apart. Variables from the latest period.",
                    lang,
                ),
                className="note",
            ),
        ],
        open=not on_compare,
        id="scorecard-similar",
        className="scorecard-similar",
    )

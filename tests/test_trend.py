"""The trend page's plain functions: events as data, series with gaps, the figure dict."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from components.charts import add_caption
from components.trend import (
    EventMark,
    Series,
    available_measures,
    band_polygons,
    build_national_series,
    build_series,
    build_trend_figure,
    headline_measure,
    period_to_date,
    place_events,
    spread,
)
from indicators.notes import Note
from indicators.registry import list_indicators
from queries.trend import EVENT_LANGUAGES, EventsError, list_events, load_events
from views.trend import break_marks

PERIODS = ["2015", "2016", "2017", "2018", "2019", "2020"]


def rows(**columns: list) -> pd.DataFrame:
    return pd.DataFrame({"period": PERIODS, **columns})


def oslo_series() -> Series:
    """Oslo's gap falling from 10 to 5 points over `PERIODS`."""
    return build_series(rows(gap_pp=[10.0, 9, 8, 7, 6, 5]), "gap", PERIODS, "0301", "Oslo")


# Two events inside `PERIODS`; the tests add a third of their own.
OSLO_EVENTS = [
    EventMark("2015-09-01", "refugees", "Refugee arrivals 2015", "Autumn 2015 ..."),
    EventMark("2020-01-01", "reform", "Municipal reform", "1 January 2020 ..."),
]


# --- events --------------------------------------------------------------------------------


def test_events_file_is_valid_and_complete() -> None:
    events = load_events()
    indicator_ids = {i.id for i in list_indicators()}
    by_country = {c: {(e.kind, e.date[:4]) for e in events if e.country == c} for c in ("DK", "NO")}
    assert ("reform", "2007") in by_country["DK"]
    assert {("reform", "2020"), ("reform", "2024")} <= by_country["NO"]
    for country in ("DK", "NO"):
        assert {("refugees", "2015"), ("refugees", "2022")} <= by_country[country]
        assert any(kind == "break" for kind, _ in by_country[country])
    for event in events:
        assert set(event.label) == set(event.text) == set(EVENT_LANGUAGES)
        assert all(event.label.values()) and all(event.text.values())
        assert set(event.indicators) <= indicator_ids, event.id
    ids = [(e.country, e.id) for e in events]
    assert len(ids) == len(set(ids))


def test_events_are_chosen_per_country_and_indicator() -> None:
    employment = [e.id for e in list_events("NO", "employment_gap")]
    share = [e.id for e in list_events("NO", "nonwestern_share")]
    assert "a_ordning_2015" in employment and "a_ordning_2015" not in share
    assert employment == sorted(
        employment,
        key=lambda i: next(e.date for e in load_events() if e.id == i and e.country == "NO"),
    )
    assert "cash_benefit_reform_2014" in [e.id for e in list_events("DK", "cash_benefit_share")]
    assert all(e.country == "DK" for e in list_events("DK", "employment_gap"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NO:\n  - {id: x}\n", 'write "NO" in quotes'),
        ('"DK":\n  - {id: x, date: "2015", kind: reform, label: {}, text: {}}\n', "date"),
        ('"DK":\n  - {id: x, date: "2015-01", kind: war, label: {}, text: {}}\n', "kind"),
        (
            '"DK":\n  - {id: x, date: "2015-01", kind: reform, label: {en: a}, text: {en: b}}\n',
            "languages",
        ),
        ('"DK":\n  - {id: x, date: "2015-01", kind: reform, colour: red}\n', "colour"),
    ],
    ids=["bare-NO", "date", "kind", "languages", "unknown-key"],
)
def test_bad_events_file_fails_loudly(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "events.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EventsError, match=message):
        load_events(path)


def test_events_outside_the_data_are_left_out_and_labels_do_not_overlap() -> None:
    events = [
        EventMark("2007-01-01", "reform", "Reform", "before the data"),
        EventMark("2015-01-01", "break", "Break", "a break"),
        EventMark("2015-09-01", "refugees", "Refugees", "close to the break"),
        EventMark("2020-01-01", "reform", "Reform 2020", "later"),
        EventMark("2031-01-01", "reform", "Future", "after the data"),
    ]
    placed = place_events(events, "2015-01-01", "2024-01-01")
    assert [(e.label, row) for e, row in placed] == [
        ("Break", 0),
        ("Refugees", 1),  # eight months after the break: a second row
        ("Reform 2020", 0),
    ]


def test_events_become_vertical_lines_with_labels() -> None:
    series = oslo_series()
    events = [
        *OSLO_EVENTS,
        EventMark("2024-01-01", "reform", "County split", "after the last period"),
    ]
    figure = build_trend_figure([series], None, PERIODS, events, "pp", "pp", "95 %", False)
    shapes, annotations = figure["layout"]["shapes"], figure["layout"]["annotations"]
    notes = [a for a in annotations if a.get("yref") == "paper"]  # the line-end names are not
    assert [s["x0"] for s in shapes] == ["2015-09-01", "2020-01-01"]
    assert all(s["yref"] == "paper" and s["y0"] == 0 and s["y1"] == 1 for s in shapes)
    assert shapes[0]["line"]["dash"] != shapes[1]["line"]["dash"]  # kinds look different
    assert [a["text"] for a in notes] == ["Refugee arrivals 2015", "Municipal reform"]
    assert notes[0]["hovertext"] == "Autumn 2015 ..."
    assert figure["layout"]["meta"]["events"] == 2
    json.dumps(figure)  # a plain, serialisable dict


def test_lines_differ_by_dash_and_marker_and_carry_their_names() -> None:
    oslo = oslo_series()
    # Bergen's last period is missing: its name goes at its last published value.
    bergen = build_series(
        rows(gap_pp=[10.2, 9.1, 8.3, 7.2, 6.1, None]), "gap", PERIODS, "4601", "Bergen"
    )
    national = build_series(rows(gap_pp=[12.0] * 6), "gap", PERIODS, "national", "Norway")
    figure = build_trend_figure([oslo, bergen], national, PERIODS, [], "pp", "pp", "95 %", False)
    lines = [t for t in figure["data"] if t.get("mode", "").startswith("lines") and "fill" not in t]
    assert len({t["line"]["dash"] for t in lines}) == 3
    assert lines[0]["marker"]["symbol"] != lines[1]["marker"]["symbol"]
    ends = {
        a["text"]: a for a in figure["layout"]["annotations"] if a.get("meta", {}).get("end_label")
    }
    assert set(ends) == {"Oslo", "Bergen", "Norway"}
    assert ends["Bergen"]["x"] == period_to_date(PERIODS[-2])
    assert ends["Oslo"]["font"]["color"] == lines[0]["line"]["color"]


def test_end_labels_are_kept_apart_on_the_screen() -> None:
    """Oslo ends at 5.0 and Bergen at 5.2: drawn, that is under a label's height apart, so
    Bergen's name moves up by 18 px. By hand: values 5.0-12.0, axis 4.65-12.35 (5 % room),
    a plot 480 - 24 (top) - 110 (ticks, legend) = 346 px high, so 18 px = 18 * 7.7 / 346."""
    oslo = oslo_series()
    bergen = build_series(rows(gap_pp=[10.2, 9, 8, 7, 6, 5.2]), "gap", PERIODS, "4601", "Bergen")
    national = build_series(rows(gap_pp=[12.0] * 6), "gap", PERIODS, "national", "Norway")
    figure = build_trend_figure([oslo, bergen], national, PERIODS, [], "pp", "pp", "95 %", False)
    ends = {
        a["text"]: a["y"]
        for a in figure["layout"]["annotations"]
        if a.get("meta", {}).get("end_label")
    }
    assert ends["Oslo"] == 5.0 and ends["Norway"] == 12.0
    assert ends["Bergen"] == pytest.approx(5.0 + 18 * 7.7 / 346)


def test_spread_keeps_labels_apart_and_under_the_top() -> None:
    assert spread([1.0, 1.1, 9.9], gap=0.5, high=10.0) == pytest.approx([1.0, 1.5, 9.9])
    # Pushed past the top, the labels move down again: 9.8 and 10.3 -> 9.5 and 10.0.
    assert spread([9.8, 9.9], gap=0.5, high=10.0) == pytest.approx([9.5, 10.0])


def test_on_a_phone_events_are_numbered_and_lines_named_in_the_legend() -> None:
    """The figure's narrow layout (applied by assets/charts.js below 560 px): each event is its
    number, in the order of the list under the chart, close events in rows of their own; no
    names at the lines' ends (the legend has them) and narrow margins."""
    series = oslo_series()
    events = [
        *OSLO_EVENTS,
        EventMark("2020-01-01", "break", "Oslo: break in the series", "the same day"),
    ]
    figure = build_trend_figure([series], None, PERIODS, events, "pp", "pp", "95 %", False)
    layout = figure["layout"]
    narrow = layout["meta"]["narrow"]
    assert [(a["text"], a["x"], a["yshift"]) for a in narrow["annotations"]] == [
        ("1", "2015-09-01", 4),
        ("2", "2020-01-01", 4),
        ("3", "2020-01-01", 26),  # the same day: the next row up
    ]
    assert narrow["margin.r"] == 12 < layout["margin"]["r"]
    assert any(a.get("meta", {}).get("end_label") for a in layout["annotations"])
    assert layout["meta"]["narrow_below"] == 560


def test_a_long_axis_title_is_broken_into_lines() -> None:
    series = oslo_series()
    title = "prosentpoeng (positiv = målgruppen bak)"
    figure = build_trend_figure([series], None, PERIODS, [], "pp", title, "95 %", False)
    axis = figure["layout"]["yaxis"]["title"]["text"]
    assert axis == "prosentpoeng (positiv =<br>målgruppen bak)"
    short = build_trend_figure([series], None, PERIODS, [], "pp", "pp", "95 %", False)
    assert figure["layout"]["margin"]["l"] > short["layout"]["margin"]["l"]


def test_a_caption_has_shorter_lines_on_a_phone() -> None:
    figure = {"layout": {"margin": {"t": 30}, "height": 400}}
    title = "Employment rate of immigrants from country group 2 · Target group's rate"
    add_caption(figure, title, "Source: Statistics Norway 11607<br>DEMO DATA", title_chars=60)
    layout = figure["layout"]
    narrow = layout["meta"]["narrow"]
    assert layout["title"]["text"].count("<br>") == 1  # 60 characters a line
    assert all(len(line) <= 34 for line in narrow["title.text"][3:-4].split("<br>"))
    assert narrow["margin.t"] > layout["margin"]["t"] > 30
    assert layout["height"] - 400 == layout["margin"]["t"] - 30  # the plot keeps its height
    assert "height" not in narrow  # the graph's box decides (Chart, responsive)


# --- series and gaps -----------------------------------------------------------------------


def test_suppressed_period_stays_a_gap() -> None:
    frame = rows(
        target_rate=[0.30, 0.31, float("nan"), 0.33, 0.34, 0.35],
        target_lower=[0.28, 0.29, float("nan"), 0.31, 0.32, 0.33],
        target_upper=[0.32, 0.33, float("nan"), 0.35, 0.36, 0.37],
        target_status=[None, None, "..", None, None, None],
        note_code=[None, None, "suppressed", None, None, None],
        note_symbol=[None, None, "..", None, None, None],
    )
    series = build_series(frame.drop(index=4), "target", PERIODS, "151", "Ballerup")  # 2019 absent
    assert series.y == [30.0, 31.0, None, 33.0, None, 35.0]
    assert series.notes[2] == Note("suppressed", "..") and series.notes[4] is None
    assert 0 not in series.y and 0.0 not in series.y
    figure = build_trend_figure([series], None, PERIODS, [], "%", "%", "95 %", False)
    band, line = figure["data"]
    assert line["y"] == [30.0, 31.0, None, 33.0, None, 35.0]
    assert line["connectgaps"] is False
    # the band is split at the gaps: two periods before, none around 2018 alone, 2020 alone
    assert band["fill"] == "toself" and band["hoverinfo"] == "skip"
    assert band["x"] == [
        "2015-01-01",
        "2016-01-01",
        "2016-01-01",
        "2015-01-01",
    ]
    assert band["y"] == [32.0, 33.0, 29.0, 28.0]


def test_band_polygons_split_at_every_missing_period() -> None:
    x = ["a", "b", "c", "d", "e"]
    xs, ys = band_polygons(x, [1, 2, None, 4, 5], [3, 4, None, 6, 7])
    assert xs == ["a", "b", "b", "a", None, "d", "e", "e", "d"]
    assert ys == [3, 4, 2, 1, None, 6, 7, 5, 4]


def test_series_reads_each_measure() -> None:
    frame = rows(
        target_rate=[0.5] * 6,
        comparison_rate=[0.75] * 6,
        comparison_lower=[0.7] * 6,
        comparison_upper=[0.8] * 6,
        gap_pp=[25.0] * 6,
        gap_lower_pp=[20.0] * 6,
        gap_upper_pp=[30.0] * 6,
    )
    assert build_series(frame, "target", PERIODS, "1", "x").y[0] == 50.0
    comparison = build_series(frame, "comparison", PERIODS, "1", "x")
    assert (comparison.y[0], comparison.lower[0], comparison.upper[0]) == (75.0, 70.0, 80.0)
    gap = build_series(frame, "gap", PERIODS, "1", "x")
    assert (gap.y[0], gap.lower[0], gap.upper[0]) == (25.0, 20.0, 30.0)


def test_national_line_is_weighted_or_labelled_unweighted() -> None:
    names = {"weighted": "Norway (weighted)", "unweighted": "Norway: mean (unweighted)"}
    weighted = rows(gap_pp=[5.0] * 6, unweighted_mean=[6.0] * 6)
    series, is_weighted = build_national_series(weighted, "gap", "gap", PERIODS, names)
    assert series is not None and is_weighted and series.name == "Norway (weighted)"
    rates_only = rows(gap_pp=[math.nan] * 6, unweighted_mean=[6.0, 5.5, None, 5, 4, 3])
    series, is_weighted = build_national_series(rates_only, "gap", "gap", PERIODS, names)
    assert series is not None and not is_weighted
    assert series.name == "Norway: mean (unweighted)" and series.y[2] is None
    # the unweighted mean is of the headline, so it is never drawn for another measure
    assert build_national_series(rates_only, "target", "gap", PERIODS, names) == (None, False)


def test_national_line_names_the_providers_own_figure() -> None:
    names = {"weighted": "w", "unweighted": "u", "provider": "Norway (the provider's figure)"}
    provider = rows(gap_pp=[5.0] * 6).assign(reference_source="provider_national")
    series, is_weighted = build_national_series(provider, "gap", "gap", PERIODS, names)
    assert series is not None and is_weighted and series.name == "Norway (the provider's figure)"
    # one period summed over municipalities: the line is not all the provider's, so "weighted"
    mixed = provider.assign(reference_source=["sum_of_municipalities"] + ["provider_national"] * 5)
    series, _ = build_national_series(mixed, "gap", "gap", PERIODS, names)
    assert series is not None and series.name == "w"


def test_break_marks_name_the_municipality_and_the_reform() -> None:
    breaks = [
        {"area": "1580", "comparable_from": "2024", "kind": "split"},
        {"area": "1577", "comparable_from": "2020", "kind": "merge"},
    ]
    marks = break_marks(breaks, {"1580": "Haram", "1577": "Volda"}, "en")
    assert [(m.date, m.kind, m.label) for m in marks] == [
        ("2024-01-01", "break", "Haram: series break"),
        ("2020-01-01", "break", "Volda: series break"),
    ]
    assert marks[0].text.startswith("Split on 1 January 2024 (Haram): ")
    assert marks[1].text.startswith("Merger on 1 January 2020 (Volda)")
    assert "cannot be added up" in marks[1].text
    assert break_marks(breaks[:1], {"1580": "Haram"}, "nb")[0].label == "Haram: brudd i serien"
    # Two municipalities cut by the same reform share one line.
    both = [*breaks[:1], {"area": "1508", "comparable_from": "2024", "kind": "split"}]
    (mark,) = break_marks(both, {"1580": "Haram", "1508": "Ålesund"}, "en")
    assert mark.label == "Haram, Ålesund: series break"


def test_measures_by_indicator_kind() -> None:
    assert headline_measure("gap") == "gap"
    assert headline_measure("rate") == headline_measure("share") == "target"
    assert available_measures("share") == ("target",)
    assert available_measures("gap") == ("target", "comparison", "gap")


def test_periods_map_to_dates() -> None:
    assert period_to_date("2015") == "2015-01-01"
    assert period_to_date("2015K1") == "2015-01-01"
    assert period_to_date("2015K3") == "2015-07-01"
    assert period_to_date("2015K4") == "2015-10-01"


# --- against the demo database -------------------------------------------------------------


def test_trend_query_keeps_suppressed_cells_missing(demo_env: Path) -> None:
    from queries.db import read_frame
    from queries.trend import get_trend, list_periods

    found = read_frame(
        "SELECT area, period, note_symbol FROM indicator_values WHERE indicator = ? "
        "AND country = 'DK' AND area_type = 'municipality' AND note_code = 'suppressed' LIMIT 1",
        ["cash_benefit_share"],
    )
    assert not found.empty, "the demo data should hold a suppressed cell"
    area, period, note = found.iloc[0]
    periods = list_periods("cash_benefit_share", "DK")
    frame = get_trend("cash_benefit_share", "DK", [area, "101"])
    assert set(frame["area_type"]) == {"municipality", "national"}
    assert set(frame.loc[frame["area_type"] == "municipality", "area"]) == {area, "101"}
    mine = frame[(frame["area_type"] == "municipality") & (frame["area"] == area)]
    series = build_series(mine, "target", periods, area, "x")
    index = periods.index(period)
    assert series.y[index] is None and series.notes[index] == Note("suppressed", note)
    published = {
        str(p): r * 100
        for p, r in zip(mine["period"], mine["target_rate"], strict=True)
        if not pd.isna(r)
    }
    assert {p: v for p, v in zip(periods, series.y, strict=True) if v is not None} == (
        pytest.approx(published, abs=1e-3)
    )
    national = frame[frame["area_type"] == "national"]
    assert len(national) == len(periods)


def test_trend_query_with_no_municipalities_returns_only_national(demo_env: Path) -> None:
    from queries.trend import get_trend

    frame = get_trend("employment_gap", "NO", [])
    assert set(frame["area_type"]) == {"national"}

"""The deck's view (views/present.py) and its chart (components/present.py) on the demo data:
numbers read back from the database, and the three kinds of slide: figures compared across
the network, counts of persons, and figures published per county only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from components.present import build_slide_figure
from indicators.registry import list_indicators
from views.present import COUNT, COUNTY, MUNICIPAL, Deck, parse_slide, read_deck
from views.problems import Problem


def stored(path: Path, sql: str, *params: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def latest(path: Path, indicator: str, area_type: str, country: str) -> str:
    return stored(
        path,
        "SELECT max(period) FROM indicator_values WHERE indicator = ? AND area_type = ? "
        "AND country = ? AND value IS NOT NULL",
        indicator,
        area_type,
        country,
    )[0][0]


def value_of(path: Path, indicator: str, area_type: str, area: str, period: str) -> float:
    return stored(
        path,
        "SELECT value FROM indicator_values WHERE indicator = ? AND area_type = ? AND area = ? "
        "AND period = ?",
        indicator,
        area_type,
        area,
        period,
    )[0][0]


def deck(codes: str, indicators: str | None = None, lang: str = "en", peers=None) -> Deck:
    found = read_deck(codes, indicators, peers, None, None, lang)
    assert isinstance(found, Deck), found
    return found


def test_a_slide_per_indicator_of_the_country_with_its_kind(demo_env: Path) -> None:
    norway = deck("0301,4601,5001")
    wanted = [i.id for i in list_indicators() if "NO" in i.countries]
    assert [s.indicator.id for s in norway.slides] == wanted
    kinds = {s.indicator.id: s.kind for s in norway.slides}
    assert kinds["intro_participants"] == COUNT and kinds["intro_work_education"] == COUNTY
    assert kinds["employment_gap"] == MUNICIPAL
    denmark = deck("151,740,751")
    assert len(denmark.slides) == len([i for i in list_indicators() if "DK" in i.countries])
    assert norway.count == 1 + len(wanted)


def test_compared_figures_are_the_database_values_and_the_headline_names_the_best(
    demo_env: Path,
) -> None:
    slide = deck("151,740,751", "employment_gap").slides[0]
    db = demo_env / "barometer.duckdb"
    period = latest(db, "employment_gap", "municipality", "DK")
    assert slide.period == period
    values = {r.code: r.value for r in slide.rows}
    for code in ("151", "740", "751"):
        assert values[code] == pytest.approx(
            value_of(db, "employment_gap", "municipality", code, period)
        )
    national = value_of(db, "employment_gap", "national", "DK", period)
    assert slide.national.value == pytest.approx(national)
    best = min(slide.rows, key=lambda r: r.value)  # a gap: the smallest is the best
    assert slide.headline.startswith(
        f"{best.name} has the network's smallest gap, {best.value:.1f}"
    )
    assert f"Denmark {national:.1f}" in slide.headline
    assert "RAS201" in slide.source and "DEMO" in slide.source
    figure = build_slide_figure(slide, "en")
    assert figure["data"][0]["error_y"]["visible"]  # intervals drawn
    assert [s["y0"] for s in figure["layout"]["shapes"]][0] == pytest.approx(national)


def test_a_peer_group_inside_the_network_adds_no_line(demo_env: Path) -> None:
    """Oslo's county is Oslo alone: its peers' average would only repeat its own bar."""
    oslo = deck("0301,4601", "employment_gap", peers="region").slides[0]
    assert oslo.peer_average.value is None and "peers" not in oslo.headline
    assert len(build_slide_figure(oslo, "en")["layout"]["shapes"]) == 1  # the national line
    bergen = deck("4601,0301", "employment_gap", peers="region").slides[0]  # Vestland's peers
    assert bergen.peer_average.value is not None and "peers" in bergen.headline


def test_a_count_is_shown_in_persons_without_a_national_line(demo_env: Path) -> None:
    slide = deck("0301,4601,5001", "intro_participants").slides[0]
    db = demo_env / "barometer.duckdb"
    period = latest(db, "intro_participants", "municipality", "NO")
    counts = {r.code: r.value for r in slide.rows}
    assert counts == {
        c: value_of(db, "intro_participants", "municipality", c, period)
        for c in ("0301", "4601", "5001")
    }
    total = value_of(db, "intro_participants", "national", "NO", period)
    most = max(slide.rows, key=lambda r: r.value)
    assert slide.headline == (
        f"{most.name} has the network's largest number, {most.value:,.0f}; "
        f"Norway in total {total:,.0f}."
    )
    figure = build_slide_figure(slide, "en")
    assert figure["layout"]["shapes"] == []  # a country's total is not on the bars' scale
    assert figure["layout"]["yaxis"]["title"]["text"] == "persons"
    assert not figure["data"][0]["error_y"]["visible"]
    assert "nan" not in slide.source and "IMDi: Participants" in slide.source
    assert "IMDi: no licence stated" in slide.notes


def test_a_county_figure_is_shown_for_the_networks_counties(demo_env: Path) -> None:
    slide = deck("0301,4601,4602", "intro_work_education").slides[0]
    db = demo_env / "barometer.duckdb"
    period = latest(db, "intro_work_education", "county", "NO")
    assert slide.period == period
    # Oslo is its own county; Bergen and Kinn are both in Vestland (46): one bar, two names
    assert [r.code for r in slide.rows] == ["03", "46"]
    assert slide.members == {"03": ["Oslo"], "46": ["Bergen", "Kinn"]}
    for row in slide.rows:
        assert row.value == value_of(db, "intro_work_education", "county", row.code, period)
    assert slide.headline.startswith("County figures: ")
    labels = build_slide_figure(slide, "en")["data"][0]["x"]
    assert "<i>Bergen and Kinn</i>" in labels[1]


def test_the_slide_number_stays_in_the_deck() -> None:
    assert [parse_slide(v, 5) for v in (None, "3", "0", "9", "x", "-2")] == [1, 3, 1, 5, 1, 1]


def test_a_deck_needs_municipalities_of_one_country(demo_env: Path) -> None:
    assert isinstance(read_deck(None, None, None, None, None, "en"), Problem)
    mixed = read_deck("151,0301", None, None, None, None, "en")
    assert isinstance(mixed, Problem) and mixed.kind == "country"
    assert read_deck("151", "employmnt", None, None, None, "en").kind == "indicator"

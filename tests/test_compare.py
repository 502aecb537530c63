"""The Compare page's plain functions against the demo database (no Dash server).

Expected values are computed here straight from `indicator_values`, independently of the code
under test: the ranked order, the weighted peer average, and missing municipalities.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from pathlib import Path

import duckdb
import numpy as np
import pytest

from components import compare as ui
from components import ids
from exports.tables import read_table
from indicators.notes import Note
from indicators.stats import funnel_limits
from locales.numbers import ordinal
from queries.compare import get_provenance
from views.compare import (
    CompareProblem,
    build_csv,
    get_comparison,
    table_records,
    view_query,
)


def read(data_dir: Path, sql: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "barometer.duckdb"), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def latest(data_dir: Path, indicator: str, country: str) -> str:
    sql = (
        "SELECT max(period) FROM indicator_values WHERE indicator = ? AND country = ? "
        "AND area_type = 'municipality' AND value IS NOT NULL"
    )
    return str(read(data_dir, sql, [indicator, country])[0][0])


def table_column(out: dict, key: str) -> list[str]:
    """A column of the Compare table's cells, from the main callback's outputs."""
    at = [column["id"] for column in out["table_columns"]].index(key)
    return [row[at] for row in out["table_data"]]


def controls(*values: object, lang: str = "en") -> dict[str, object]:
    """The compare controls' values by name, in the order of CONTROL_KEYS (then the language)."""
    names = ("indicator", "period", "country", "focus", "peers", "group_members", "group_name")
    given = dict(zip(names, values, strict=False))
    return {**given, "lang": values[7] if len(values) > 7 else lang}


@pytest.fixture(scope="module")
def app_loaded():
    import app  # noqa: F401  (pages register themselves once the app exists)


# --------------------------------------------------------------------------------------------
# Ranking, references and missing values
# --------------------------------------------------------------------------------------------


def test_ranked_order_matches_indicator_values(demo_env: Path) -> None:
    period = latest(demo_env, "employment_gap", "DK")
    expected = read(
        demo_env,
        """
        SELECT v.area, v.rank_country FROM indicator_values v
        JOIN municipalities m ON m.country = v.country AND m.code = v.area
        WHERE v.indicator = 'employment_gap' AND v.country = 'DK' AND v.period = ?
          AND v.area_type = 'municipality' AND v.value IS NOT NULL
        ORDER BY v.value, m.name
        """,
        [period],
    )
    comparison = get_comparison("employment_gap", period, "all", None, "DK")
    assert [row.code for row in comparison.shown] == [code for code, _ in expected]
    # Over all municipalities the rank inside the peer group is the country rank.
    assert [row.rank for row in comparison.shown] == [rank for _, rank in expected]
    values = [row.value for row in comparison.shown]
    assert values == sorted(values)  # a gap: smallest (best) first


def test_rates_rank_in_their_good_direction(demo_env: Path) -> None:
    comparison = get_comparison("cash_benefit_share", None, "all", None, "DK")  # lower is better
    values = [row.value for row in comparison.shown]
    assert values == sorted(values)
    comparison = get_comparison("youth_education_20_24", None, "all", None, "DK")
    values = [row.value for row in comparison.shown]
    assert values == sorted(values, reverse=True)
    assert comparison.shown[0].rank == 1


def test_peer_average_of_a_gap_is_pooled_over_the_peers(demo_env: Path) -> None:
    period = latest(demo_env, "employment_gap", "DK")
    comparison = get_comparison("employment_gap", period, "region", "151", None)
    rows = read(
        demo_env,
        """
        SELECT sum(v.target_num), sum(v.target_den), sum(v.comparison_num),
               sum(v.comparison_den), count(*)
        FROM indicator_values v JOIN municipalities m ON m.country = v.country AND m.code = v.area
        WHERE v.indicator = 'employment_gap' AND v.country = 'DK' AND v.period = ?
          AND v.area_type = 'municipality' AND v.value IS NOT NULL
          AND m.region_code = (SELECT region_code FROM municipalities WHERE code = '151')
        """,
        [period],
    )
    t_num, t_den, c_num, c_den, count = rows[0]
    # Employment: higher is better, so the gap is comparison minus target.
    expected = 100 * (c_num / c_den - t_num / t_den)
    assert len(comparison.shown) == count
    assert comparison.peer_average.weighted
    assert comparison.peer_average.value == pytest.approx(expected, abs=1e-9)
    # Not the plain mean of the municipal gaps.
    plain = sum(r.value for r in comparison.shown) / count
    assert comparison.peer_average.value != pytest.approx(plain, abs=1e-6)
    national = read(
        demo_env,
        "SELECT value FROM indicator_values WHERE indicator = 'employment_gap' AND country = 'DK'"
        " AND period = ? AND area_type = 'national'",
        [period],
    )[0][0]
    assert comparison.national.value == pytest.approx(national)
    assert comparison.focus_row is not None and comparison.focus_row.code == "151"


def test_suppressed_municipality_is_listed_as_missing_not_zero(demo_env: Path) -> None:
    withheld = read(
        demo_env,
        """
        SELECT period, area, note_n FROM indicator_values
        WHERE indicator = 'youth_education_20_24' AND country = 'DK'
          AND area_type = 'municipality' AND value IS NULL AND note_code = 'withheld'
        ORDER BY period DESC, area LIMIT 1
        """,
        [],
    )
    assert withheld, "the demo data should withhold at least one small municipality"
    period, code, minimum = withheld[0]
    shown_codes = [
        r[0]
        for r in read(
            demo_env,
            "SELECT area FROM indicator_values WHERE indicator = 'youth_education_20_24' "
            "AND country = 'DK' AND period = ? AND area_type = 'municipality' "
            "AND value IS NOT NULL ORDER BY area LIMIT 4",
            [period],
        )
    ]
    group = f"group:Test~{','.join([*shown_codes, code])}"
    comparison = get_comparison("youth_education_20_24", period, group, None, "DK")

    assert [r.code for r in comparison.missing] == [code]
    assert comparison.missing[0].note == Note("withheld", None, minimum)
    assert code not in [r.code for r in comparison.shown]
    assert len(comparison.shown) == len(shown_codes)
    # The peer average leaves the withheld municipality out (it would reveal its figure).
    sums = read(
        demo_env,
        "SELECT sum(target_num), sum(target_den) FROM indicator_values "
        "WHERE indicator = 'youth_education_20_24' AND country = 'DK' AND period = ? "
        "AND area_type = 'municipality' AND list_contains(?, area)",
        [period, shown_codes],
    )[0]
    assert comparison.peer_average.value == pytest.approx(100 * sums[0] / sums[1])

    records = table_records(comparison, "en")
    missing = next(r for r in records if r["code"] == code)
    assert missing["value"] is None and missing["rank"] is None
    assert missing["note"] == f"too few to show (fewer than {minimum} in the target group)"
    figure = ui.build_ranked_figure(comparison, "en")
    assert code not in figure["layout"]["yaxis"]["categoryarray"]
    drawn = [y for trace in figure["data"] if trace["type"] == "bar" for y in trace["y"]]
    assert code not in drawn and len(drawn) == len(shown_codes)
    summary = ui.summarise_ranking(comparison, "en")
    assert "1 without a value" in summary


def test_rates_only_indicator_has_no_funnel_and_an_unweighted_average(demo_env: Path) -> None:
    comparison = get_comparison("employment_gap", None, "all", "0301", None)
    assert comparison.country == "NO"
    assert comparison.funnel is None and comparison.funnel_reason == "rates_only"
    assert not comparison.peer_average.weighted
    values = [r.value for r in comparison.shown]
    assert comparison.peer_average.value == pytest.approx(sum(values) / len(values))
    figure = ui.build_funnel_figure(comparison, "en")
    assert figure["data"] == []
    message = figure["layout"]["annotations"][0]["text"]
    assert message == "Funnel plot not available: provider publishes rates only."
    assert all(row.lower is None for row in comparison.shown)  # no interval, not a 0 interval


# --------------------------------------------------------------------------------------------
# Funnel limits
# --------------------------------------------------------------------------------------------


def test_rate_funnel_limits_come_from_funnel_limits(demo_env: Path) -> None:
    comparison = get_comparison("youth_education_20_24", None, "all", None, "DK")
    funnel = comparison.funnel
    assert funnel is not None and funnel.method == "rate"
    p0 = read(
        demo_env,
        "SELECT target_rate FROM indicator_values WHERE indicator = 'youth_education_20_24' "
        "AND country = 'DK' AND period = ? AND area_type = 'national'",
        [comparison.period],
    )[0][0]
    lower, upper = funnel_limits(p0, np.array(funnel.n), 0.998)
    assert funnel.limits[0.998][0] == pytest.approx(100 * np.asarray(lower), abs=1e-3)
    assert funnel.limits[0.998][1] == pytest.approx(100 * np.asarray(upper), abs=1e-3)


def test_gap_funnel_limits_narrow_with_size_and_classify_points(demo_env: Path) -> None:
    comparison = get_comparison("employment_gap", None, "all", None, "DK")
    funnel = comparison.funnel
    assert funnel is not None and funnel.method == "gap"
    lower95, upper95 = funnel.limits[0.95]
    lower998, upper998 = funnel.limits[0.998]
    widths = [u - lo for lo, u in zip(lower95, upper95, strict=True)]
    assert widths == sorted(widths, reverse=True)  # narrower for larger groups
    assert all(lo < funnel.centre < u for lo, u in zip(lower998, upper998, strict=True))
    assert all(a <= b for a, b in zip(lower998, lower95, strict=True))
    placed = [r for r in comparison.shown if r.n]
    assert all(r.funnel is not None for r in placed)
    summary = ui.summarise_funnel(comparison, "en")
    outside = sum(1 for r in placed if r.funnel in ("above_998", "below_998"))
    assert summary.startswith(f"{outside} of {len(placed)} municipalities")


# --------------------------------------------------------------------------------------------
# Figures, summaries, table and CSV
# --------------------------------------------------------------------------------------------


def test_ranked_figure_highlights_the_focus(demo_env: Path) -> None:
    comparison = get_comparison("employment_gap", None, "region", "151", None)
    figure = ui.build_ranked_figure(comparison, "en")
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert [trace["y"] for trace in bars[1:]] == [["151"]]
    assert bars[1]["marker"]["pattern"]["shape"] == "/"
    assert bars[1]["marker"]["color"] != bars[0]["marker"]["color"]
    axis = figure["layout"]["yaxis"]
    ticks = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
    assert ticks["151"] == "<b>▶ Ballerup</b>"
    # (a long legend entry is broken in two lines for a phone)
    lines = [
        trace["name"].replace("<br>", " ") for trace in figure["data"] if trace["type"] == "scatter"
    ]
    # The national figure is Statistics Denmark's own whole-country cell (area 000).
    assert lines[0].startswith("National (the provider's figure): ")
    assert lines[1].startswith("Peer average (weighted): ")
    rank = comparison.focus_row.rank if comparison.focus_row else None
    summary = ui.summarise_ranking(comparison, "en")
    assert summary.startswith(f"Ballerup ranks {ordinal(rank or 0, 'en')} of 29 (1 = best)")
    assert "National (the provider's figure): " in summary


def test_csv_has_provenance_and_empty_missing_values(demo_env: Path) -> None:
    comparison = get_comparison("youth_education_20_24", None, "all", "151", None)
    records = table_records(comparison, "en")
    provenance = get_provenance(comparison.indicator, comparison.country)
    url = "http://example.test/compare?indicator=youth_education_20_24"
    content = build_csv(comparison, records, provenance, url, "2026-01-02T03:04:05+00:00")
    text = content.decode("utf-8")
    header = [line for line in text.splitlines() if line.startswith("# ")]
    assert any("LIGEUB1" in line and "(updated " in line for line in header)
    assert any(line.startswith("# Data: DEMO, simulated figures") for line in header)
    assert "# Age band: 20-24" in header and "# Licence: Statistics Denmark, CC BY 4.0" in " ".join(
        header
    )
    assert f"# View: {url}" in header
    assert "# Generated at: 2026-01-02T03:04:05+00:00" in header
    body = [line for line in text.splitlines() if not line.startswith("# ")]
    rows = list(csv.DictReader(io.StringIO("\n".join(body))))
    assert len(rows) == len(comparison.rows)
    missing = [r for r in rows if r["value"] == ""]
    assert len(missing) == len(comparison.missing) > 0
    assert all(r["note"] for r in missing)
    assert all(r["value"] != "0" for r in missing)
    assert [r["code"] for r in rows if r["focus"]] == ["151"]


def test_view_query_pins_the_period(demo_env: Path) -> None:
    comparison = get_comparison("employment_gap", None, None, "151", None)
    query = view_query(comparison, "da")
    assert query == {
        "indicator": "employment_gap",
        "period": comparison.periods[0],
        "peers": "all",
        "focus": "151",
        "country": None,
        "small": None,
        "sort": None,
        "lang": "da",
    }
    group = get_comparison("employment_gap", None, "group:Vestegn~151,153,165", None, "DK")
    assert group.peers_spec == "group:Vestegn~151,153,165"


# --------------------------------------------------------------------------------------------
# Unusable parameters: suggestions, never a traceback
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "kind", "suggested"),
    [
        ({"indicator": "employmnt_gap"}, "indicator", "employment_gap"),
        ({"indicator": "employment_gap", "period": "2099"}, "period", None),
        ({"indicator": "employment_gap", "peers": "regin", "focus": "151"}, "peers", "region"),
        ({"indicator": "employment_gap", "focus": "Balerup"}, "focus", "151"),
        ({"indicator": "employment_gap", "country": "SE"}, "country", "NO"),
        ({"indicator": "unemployment_gap", "focus": "0301"}, "unavailable", "employment_gap"),
        ({"indicator": "employment_gap", "peers": "region"}, "peers_focus", "all"),
        ({"indicator": "employment_gap", "peers": "group:x~999"}, "peers", "all"),
        ({"indicator": "employment_gap", "peers": "group:no-codes"}, "peers", "all"),
    ],
)
def test_unusable_parameters_raise_a_problem_with_suggestions(
    demo_env: Path, params: dict, kind: str, suggested: str | None
) -> None:
    with pytest.raises(CompareProblem) as caught:
        get_comparison(**params)
    assert caught.value.kind == kind
    values = [value for value, _ in caught.value.suggestions]
    if suggested is not None:
        assert suggested in values
    if kind == "period":
        assert values[0] == caught.value.choices[0]  # the latest first


def test_focus_by_exact_name_works(demo_env: Path) -> None:
    assert get_comparison("employment_gap", focus="Ballerup").focus_row is not None


# --------------------------------------------------------------------------------------------
# The page's plain functions (need the app for register_page)
# --------------------------------------------------------------------------------------------


def test_update_view_keeps_controls_consistent(demo_env: Path, app_loaded) -> None:
    from pages.compare import update_view

    # Choosing a Norwegian focus moves the view to Norway.
    out = update_view(controls("employment_gap", "2023", "DK", "0301", "all", [], None, "en"), "x")
    assert out["country"] == "NO" and out["focus"] == "0301"
    url = out["url"]["url"]
    assert url.startswith("/compare?indicator=employment_gap&period=")
    assert "focus=0301" in url and "country=" not in url and not out["url"]["replace"]
    assert out["lang_da"].endswith("lang=da")
    # Choosing a country drops a focus from the other one; region falls back to all.
    values = controls("employment_gap", "2023", "NO", "151", "region", [], None, "en")
    out = update_view(values, ids.COMPARE_COUNTRY)
    assert out["focus"] is None and out["country"] == "NO" and out["peers"] == "all"
    assert "country=NO" in out["url"]["url"]
    # Another indicator opens on its own latest period, even where the old period exists too.
    values = controls("higher_education_25_39", "2015", "DK", "151", "all", [], None, "en")
    out = update_view(values, ids.COMPARE_INDICATOR)
    assert out["period"] == out["period_options"][0]["value"] != "2015"
    assert update_view(values, ids.COMPARE_PERIOD)["period"] == "2015"  # a chosen period stays
    # A quarterly indicator under a yearly period falls back to its latest period.
    out = update_view(controls("nonwestern_share", "2023", "DK", None, "all", [], None, "en"))
    assert out["period"].startswith("20") and "K" in out["period"]
    # An own group from the picker.
    out = update_view(
        controls("employment_gap", None, "DK", "151", "group", ["151", "153"], "Vest")
    )
    assert "peers=group:Vest~151,153" in out["url"]["url"]
    assert table_column(out, "code").count("151") == 1
    # Nothing to show: a message, never an error.
    out = update_view(controls("unemployment_gap", None, "NO", None, "all", [], None, "en"))
    assert out["results_style"] == {"display": "none"} and out["message"] is not None


def test_layout_of_bad_parameters_is_helpful(demo_env: Path, app_loaded) -> None:
    from pages.compare import layout

    text = str(layout(indicator="employmnt_gap", lang="en"))
    assert "Unknown indicator" in text and "employment_gap" in text
    text = str(layout(focus="Balerup", lang="da"))
    assert "Ballerup (151)" in text
    text = str(layout(indicator=["employment_gap", "x"], period="1999K7", lang="nb"))
    assert "Ukjent periode" in text


def test_csv_download_names_the_exact_view(demo_env: Path, app_loaded) -> None:
    from views.compare import export_csv as csv_download

    now = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    result = csv_download(
        controls("employment_gap", None, "DK", "151", "region", [], None, "da"), "http://h", now
    )
    assert result is not None
    assert result["filename"].startswith("compare-employment_gap-DK-")
    content = base64.b64decode(result["content"]).decode("utf-8")
    assert "# View: http://h/compare?indicator=employment_gap&period=" in content
    assert "&peers=region&focus=151&lang=da" in content
    # For spreadsheets: a byte order mark, semicolons, the reader's language, codes as text.
    sheet = csv_download(
        controls("employment_gap", None, "DK", "151", "region", [], None, "da"),
        "http://h",
        now,
        "spreadsheet",
    )
    assert sheet is not None and sheet["filename"].endswith("-spreadsheet.csv")
    table = read_table(base64.b64decode(sheet["content"]))
    assert table.variant == "spreadsheet" and table.header[:3] == ["Placering", "Kommune", "Kode"]
    assert any(
        line.startswith("Sammenlignet med: kommuner i Region Hovedstaden")
        for line in table.preamble
    )
    assert "151" in [row[2] for row in table.rows]
    # An own group without members shows a message on the page, so there is nothing to download.
    assert csv_download(controls("employment_gap", None, "DK", None, "group", [], "x"), "h") is None


# --------------------------------------------------------------------------------------------
# Small groups: marked in the ranking, or left out of it with one switch
# --------------------------------------------------------------------------------------------


def small_groups(data_dir: Path, indicator: str, country: str, period: str) -> set[str]:
    sql = (
        "SELECT area FROM indicator_values WHERE indicator = ? AND country = ? AND period = ? "
        "AND area_type = 'municipality' AND value IS NOT NULL AND small_number = 'caution'"
    )
    return {str(r[0]) for r in read(data_dir, sql, [indicator, country, period])}


def test_small_groups_are_marked_in_the_ranking(demo_env: Path) -> None:
    comparison = get_comparison("employment_gap", None, "all", None, "NO")
    small = small_groups(demo_env, "employment_gap", "NO", comparison.period)
    assert small, "the demo data should have small Norwegian groups"
    assert {r.code for r in comparison.cautioned} == small
    assert not comparison.hidden and not comparison.hide_small
    figure = ui.build_ranked_figure(comparison, "en")
    bars = {t["name"].replace("<br>", " "): t for t in figure["data"] if t["type"] == "bar"}
    marked = bars["Small groups (fewer than 80 in the target group)"]
    assert set(marked["y"]) == small and marked["marker"]["pattern"]["shape"] == "."
    assert "Small group: read with caution" in marked["hovertemplate"]
    assert not small & set(bars["Other municipalities"]["y"])
    summary = ui.summarise_ranking(comparison, "en")
    assert f"{len(small)} of the ranked have fewer than 80 in the target group" in summary
    # The national figure is Statistics Norway's own rate for the whole country.
    assert comparison.national.provider and summary.count("the provider's figure") == 1


def test_switch_leaves_small_groups_out_of_the_ranking_only(demo_env: Path) -> None:
    marked = get_comparison("employment_gap", None, "all", None, "NO")
    hidden = get_comparison("employment_gap", None, "all", None, "NO", small="hide")
    small = {r.code for r in marked.cautioned}
    assert hidden.hide_small and not hidden.cautioned
    assert {r.code for r in hidden.hidden} == small
    # Ranks among the rest: from 1, competition ranks (ties share the better one).
    ranks = [r.rank for r in hidden.shown]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    assert all(rank <= place for place, rank in enumerate(ranks, start=1))
    assert len(hidden.shown) == len(marked.shown) - len(small)
    assert all(r.rank is None for r in hidden.hidden)
    # Only the ranking changes: the same rows, values and references.
    assert sorted(r.code for r in hidden.rows) == sorted(r.code for r in marked.rows)
    assert hidden.peer_average == marked.peer_average and hidden.national == marked.national
    assert view_query(hidden, "en")["small"] == "hide"
    summary = ui.summarise_ranking(hidden, "en")
    assert f"{len(small)} with a value are left out of the ranking" in summary
    listed = str(ui.build_missing_list(hidden, "en"))
    assert f"Left out of the ranking ({len(small)})" in listed
    # The CSV keeps them, without a rank, marked small.
    records = table_records(hidden, "en")
    rows = {r["code"]: r for r in records}
    assert all(rows[c]["rank"] is None and rows[c]["small_group"] == "caution" for c in small)
    text = build_csv(hidden, records, get_provenance(hidden.indicator, "NO"), "u", "t").decode()
    assert "left out of the ranking in this view" in text
    header = next(line for line in text.splitlines() if line.startswith("rank,"))
    assert header.endswith(",note,small_group")


def test_switch_in_the_controls_and_the_address(demo_env: Path, app_loaded) -> None:
    from pages.compare import layout, update_view

    values = {**controls("employment_gap", None, "NO", None, "all", [], None), "small": ["hide"]}
    out = update_view(values, ids.COMPARE_SMALL)
    assert "&small=hide" in out["url"]["url"] and out["small"] == ["hide"]
    assert "out of the ranking" in out["small_options"][0]["label"]
    assert "Left out of the ranking" in str(out["missing"])
    out = update_view({**values, "small": []}, ids.COMPARE_SMALL)
    assert "small=" not in out["url"]["url"] and out["small"] == []
    text = str(layout(indicator="employment_gap", country="NO", small="hide", lang="da"))
    assert "Udeladt af rangeringen" in text


@pytest.mark.parametrize(
    ("indicator", "focus"),
    [("youth_education_20_24", "151"), ("persistent_low_income", "0301")],
)
def test_the_national_figure_says_how_many_municipalities_lack_a_value(
    demo_env: Path, indicator: str, focus: str
) -> None:
    """Beside the national figure (summary and CSV): how many of the country's municipalities
    have no value in the period, counted here from `indicator_values` and `municipalities`."""
    comparison = get_comparison(indicator, None, "region", focus, None)
    country, period = comparison.country, comparison.period
    areas, without = read(
        demo_env,
        """
        SELECT count(*), count(*) FILTER (WHERE v.value IS NULL)
        FROM municipalities m LEFT JOIN indicator_values v
          ON v.area = m.code AND v.country = m.country AND v.area_type = 'municipality'
         AND v.indicator = ? AND v.period = ?
        WHERE m.country = ?
        """,
        [indicator, period, country],
    )[0]
    assert without > 0, "the demo data has municipalities without a value"
    expected = f"{without} of {areas} municipalities have no value for this period"
    assert expected in ui.summarise_ranking(comparison, "en")
    provenance = get_provenance(comparison.indicator, country)
    text = build_csv(comparison, table_records(comparison, "en"), provenance, "u", "t").decode()
    assert f"# {expected}" in text
    source = read(
        demo_env,
        "SELECT reference_source FROM indicator_values WHERE indicator = ? AND country = ? "
        "AND period = ? AND area_type = 'national'",
        [indicator, country, period],
    )[0][0]
    if source == "provider_national":
        assert "the provider's national figure counts them too" in text


def test_the_table_opens_at_the_focus_municipalitys_page(demo_env: Path, client) -> None:
    # The table shows 25 rows a page (pages/compare.py); with a focus it opens at the page
    # with the focus row, in rank order; sorted otherwise, at the first page.
    from pages.compare import TABLE_PAGE_SIZE, focus_page, page_for
    from tests.test_table import components_in

    everyone = get_comparison("employment_gap", None, "all", None, "DK")
    codes = [row.code for row in everyone.rows]
    assert len(codes) > 3 * TABLE_PAGE_SIZE
    code = codes[2 * TABLE_PAGE_SIZE + 3]  # the 54th row: the third page
    focused = get_comparison("employment_gap", None, "all", code, None)
    place = [row.code for row in focused.rows].index(code)
    assert focus_page(focused, None) == place // TABLE_PAGE_SIZE
    assert focus_page(focused, "name:asc") == 0
    assert focus_page(everyone, None) == 0
    # A sort in the browser turns the table to the page the new address opens at.
    address = f"/compare?focus={code}"
    assert page_for(address, None) == place // TABLE_PAGE_SIZE
    assert page_for(address, "name:asc") == 0
    assert page_for("/compare?indicator=no_such_thing", None) == 0

    reply = client.get(
        "/_dash-layout", headers={"Referer": f"http://localhost/compare?focus={code}"}
    )
    table = next(c for c in components_in(reply.get_json()) if c["type"] == "SortableTable")
    props = table["props"]
    assert props["page_size"] == TABLE_PAGE_SIZE and props["sort_by"] == []
    assert props["page_current"] == place // TABLE_PAGE_SIZE
    at = [column["id"] for column in props["columns"]].index("code")
    shown = props["data"][props["page_current"] * TABLE_PAGE_SIZE :][:TABLE_PAGE_SIZE]
    assert code in [row[at] for row in shown]


def test_a_derived_group_size_is_rounded_as_its_note_says(demo_env: Path) -> None:
    # Norway's employment by years of residence: the group size is derived from the
    # provider's persons and per cent, not a whole number (98.99999999...), and the table cut
    # it off (98 where the note said "about 99").
    comparison = get_comparison("employment_rate_5_9_years", None, "all", None, "NO")
    records = {r["code"]: r for r in table_records(comparison, "en")}
    derived = [row for row in comparison.rows if row.n is not None and row.n != int(row.n)]
    assert derived
    assert [row for row in derived if int(row.n) != round(row.n)]  # the case that was wrong
    for row in derived:
        assert records[row.code]["n"] == round(row.n)
        if "about" in records[row.code]["note"]:
            assert f"about {round(row.n):,}" in records[row.code]["note"]


def test_the_table_sends_text_with_its_numbers_as_sort_keys(demo_env: Path) -> None:
    # The table's cells are text written in the reader's language; each number column sends
    # the values as sort keys (numbers sort as numbers); a missing value is an empty cell and
    # a missing key, never 0; the focus municipality's row is marked for the CSS.
    from pages.compare import table_props
    from views.compare import table_keys

    comparison = get_comparison("youth_education_20_24", None, "all", "151", None)
    assert comparison.missing, "the demo data has municipalities without a value"
    props = table_props(comparison, "da")
    ids = [column["id"] for column in props["columns"]]
    assert ids == ["focus", *table_keys(comparison)]
    numeric = {"rank", "value", "lower", "upper", "n", "target_rate", "comparison_rate"}
    assert {c["id"] for c in props["columns"] if c["type"] == "numeric"} == numeric & set(ids)
    assert props["columns"][ids.index("value")]["name"] == "Værdi (%)"
    assert set(props["sort_keys"]) == numeric & set(ids)
    records = table_records(comparison, "da")
    assert len(props["data"]) == len(records) == len(comparison.rows)
    for row, record in zip(props["data"], records, strict=True):
        cells = dict(zip(ids, row, strict=True))
        assert cells["name"] == record["name"] and cells["code"] == record["code"]
        for key in numeric & set(ids):
            written, value = cells[key], record[key]
            if value is None:
                assert written == ""
                continue
            # One decimal with a comma ("7,2", "−5,6"), or a whole number ("1.234").
            decimals = written.rpartition(",")[2] if "," in written else ""
            assert len(decimals) == (0 if key in ("n", "rank") else 1), written
            read_back = float(written.replace(".", "").replace(",", ".").replace("\u2212", "-"))
            assert read_back == pytest.approx(value, abs=0.05 if key != "n" else 0.5)
    for key, keys in props["sort_keys"].items():
        assert keys == [record[key] for record in records]
    missing = [r for r in records if r["value"] is None]
    assert missing and all(
        props["data"][records.index(r)][ids.index("value")] == "" for r in missing
    )
    assert props["row_classes"].count("is-focus") == 1
    focus_row = props["data"][props["row_classes"].index("is-focus")]
    assert focus_row[ids.index("code")] == "151" and focus_row[0] == "▶"
    # Thousands get the reader's separator in the group size only.
    large = next(r for r in records if r["n"] and r["n"] >= 1000)
    written = props["data"][records.index(large)][ids.index("n")]
    assert written == f"{large['n']:,}".replace(",", ".")


def test_the_layout_takes_the_tables_sort_from_the_address(demo_env: Path, client) -> None:
    from tests.test_table import components_in

    def opened(address: str) -> tuple[dict, str]:
        reply = client.get("/_dash-layout", headers={"Referer": f"http://localhost{address}"})
        found = components_in(reply.get_json())
        table = next(c for c in found if c["type"] == "SortableTable")
        store = next(c for c in found if c["props"].get("id") == ids.COMPARE_URL_STORE)
        return table["props"], store["props"]["data"]["url"]

    props, url = opened("/compare?focus=151&peers=all&sort=name:desc&lang=nb")
    assert props["sort_by"] == [{"column_id": "name", "direction": "desc"}]
    assert props["page_current"] == 0 and props["lang"] == "nb"
    assert "sort=name:desc" in url
    assert (
        props["labels"]["next"] == "Neste side"
        and props["labels"]["page"] == "Side {page} av {pages}"
    )
    # A column this view's table does not have (Norway's employment gap has no funnel plot):
    # the table keeps its rank order and the address drops the sort.
    props, url = opened("/compare?indicator=employment_gap&country=NO&sort=funnel:asc")
    assert "funnel" not in [c["id"] for c in props["columns"]]
    assert props["sort_by"] == [] and "sort=" not in url
    # An unknown column or direction is left out too, never an error.
    props, url = opened("/compare?focus=151&sort=nonsense:sideways")
    assert props["sort_by"] == [] and "sort=" not in url

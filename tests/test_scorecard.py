"""The municipality scorecard without Dash callbacks: facts, ranks, headlines and cards.

Every expected number is recomputed here from `indicator_values` in the demo database, not
taken from the code under test.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from components import scorecard as sc
from indicators.notes import Note
from indicators.registry import get_indicator, list_indicators
from locales.notes import describe_missing, describe_note
from queries.db import read_frame
from queries.peers import resolve_peers
from queries.scorecard import get_scorecard_data
from tests.conftest import text_of
from views.municipality import carry_over_query
from views.peers import peer_group_name, reason_text

NBSP = "\u00a0"


def flatten(component: Any) -> str:
    """All text inside a Dash component tree, one piece per line."""
    return text_of(component, "\n")


def english_ordinal(n: int) -> str:
    return f"{n}" + (
        "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )


def latest(indicator: str, country: str) -> pd.DataFrame:
    """Every municipality's row in the indicator's latest period with a published value."""
    return read_frame(
        """
        SELECT area, period, value, note_code, note_symbol, note_n, small_number, pooled_value,
               change_base_pp,
               baseline_period, rank_country, n_ranked
        FROM indicator_values
        WHERE indicator = ? AND country = ? AND area_type = 'municipality'
          AND period = (SELECT max(period) FROM indicator_values
                        WHERE indicator = ? AND country = ? AND area_type = 'municipality'
                          AND value IS NOT NULL)
        """,
        [indicator, country, indicator, country],
    ).set_index("area")


def region_codes(code: str) -> list[str]:
    frame = read_frame(
        "SELECT code FROM municipalities WHERE region_code = "
        "(SELECT region_code FROM municipalities WHERE code = ?)",
        [code],
    )
    return list(frame["code"])


def facts_for(indicator_id: str, code: str, country: str, spec: str = "all") -> sc.CardFacts:
    indicator = get_indicator(indicator_id)
    assert indicator is not None
    peers = resolve_peers(spec, code, country)
    return sc.build_card_facts(
        indicator, country, get_scorecard_data(country, code), peers.codes, code
    )


# --------------------------------------------------------------------------------------------
# Texts and number formats (no database)
# --------------------------------------------------------------------------------------------


def test_notes_are_words_never_zero() -> None:
    withheld = Note("withheld", None, 20)
    assert describe_note(withheld, "en") == "too few to show (fewer than 20 in the target group)"
    assert describe_note(withheld, "da").startswith("for få til at blive vist (færre end 20")
    assert describe_note(Note("suppressed", ":"), "en") == (
        "suppressed by the provider for confidentiality (“:”)"
    )
    assert describe_note(Note("suppressed", "x"), "en") == "not published (provider symbol “x”)"
    assert describe_note(Note("rates_only"), "nb").startswith("intet intervall")
    assert describe_note(Note("caution", None, 80), "da").startswith("lille gruppe")
    assert describe_missing(None, "en") == "not published for this period"
    assert describe_note(None, "en") == ""


def test_sparkline_has_gaps_and_no_axes() -> None:
    figure = sc.build_sparkline_figure(["2020", "2021", "2022"], [1.0, math.nan, 3.0])
    assert figure["data"][0]["y"] == [1.0, None, 3.0]
    assert figure["data"][0]["connectgaps"] is False
    assert figure["layout"]["xaxis"]["visible"] is False
    assert figure["layout"]["yaxis"]["visible"] is False


def test_query_carried_to_another_municipality() -> None:
    query = {"indicator": "cash_benefit_share", "lang": "da", "peers": "group:V~151,153"}
    assert carry_over_query(query, "0301") == {
        "indicator": None,  # not published for Norway
        "lang": "da",
        "peers": None,  # a group of Danish municipalities
    }
    assert carry_over_query(query, "165") == query
    assert carry_over_query({"peers": "region"}, "0301") == {"peers": "region"}


# --------------------------------------------------------------------------------------------
# On the demo database
# --------------------------------------------------------------------------------------------


def test_headline_and_rank_within_region(demo_env) -> None:
    rows = latest("employment_gap", "DK")
    peers = rows.loc[rows.index.isin(region_codes("151"))].dropna(subset=["value"])
    mine = rows.loc["151"]
    rank = int((peers["value"] < mine["value"]).sum()) + 1
    change = float(mine["change_base_pp"])

    facts = facts_for("employment_gap", "151", "DK", "region")
    assert (facts.rank.position, facts.rank.of) == (rank, len(peers))
    assert facts.period == mine["period"]

    direction = "smaller" if change < 0 else "larger"
    expected = (
        f"Gap {mine['value']:.1f}{NBSP}pp, {abs(change):.1f}{NBSP}pp {direction} than in 2012; "
        f"{english_ordinal(rank)} smallest of {len(peers)} peers"
    )
    assert sc.headline_text(facts, "en") == expected
    assert sc.rank_text(facts, "en") == (
        f"{english_ordinal(rank)} smallest gap of {len(peers)} peers"
    )

    def comma(x: float) -> str:
        return f"{x:.1f}".replace(".", ",")

    retning = "mindre" if change < 0 else "større"
    assert sc.headline_text(facts, "da") == (
        f"Forskel {comma(mine['value'])}{NBSP}procentpoint, {comma(abs(change))}{NBSP}procentpoint "
        f"{retning} end i 2012; {rank}. mindste blandt {len(peers)} kommuner"
    )
    assert sc.headline_text(facts, "nb").startswith(f"Forskjell {comma(mine['value'])}")


@pytest.mark.parametrize("code, country", [("151", "DK"), ("0301", "NO")])
def test_rank_among_all_matches_the_computed_country_rank(demo_env, code, country) -> None:
    data = get_scorecard_data(country, code)
    everyone = resolve_peers("all", code, country)
    for indicator in list_indicators():
        if not indicator.ranked_in(country):
            continue  # not published for the country, a count or a county figure: no rank
        rows = latest(indicator.id, country)
        facts = sc.build_card_facts(indicator, country, data, everyone.codes, code)
        assert facts.rank.position == rows.loc[code, "rank_country"], indicator.id
        assert facts.rank.of == rows["n_ranked"].max(), indicator.id


def test_a_count_and_a_county_figure_are_not_ranked(demo_env) -> None:
    data = get_scorecard_data("NO", "3101")
    everyone = resolve_peers("all", "3101", "NO")
    count = next(i for i in list_indicators() if i.id == "intro_participants")
    facts = sc.build_card_facts(count, "NO", data, everyone.codes, "3101")
    assert facts.value is not None and facts.value == int(facts.value)
    assert sc.rank_text(facts, "en") == "a number of persons: not ranked"
    assert sc.headline_text(facts, "en").startswith(f"Persons {int(facts.value):,}")
    county = next(i for i in list_indicators() if i.id == "intro_work_education")
    facts = sc.build_card_facts(county, "NO", data, everyone.codes, "3101")
    # Halden belonged to Viken (30) in 2023, the year the latest figure (2024) describes.
    assert facts.place is not None and facts.place.startswith("Viken")
    assert facts.period == "2024" and facts.national is not None
    assert sc.headline_text(facts, "en").startswith("County figure (Viken")


def test_share_ranks_highest_first(demo_env) -> None:
    rows = latest("nonwestern_share", "DK")
    similar = resolve_peers("similar", "151", "DK")
    peers = rows.loc[rows.index.isin(similar.codes)].dropna(subset=["value"])
    rank = int((peers["value"] > rows.loc["151", "value"]).sum()) + 1
    facts = facts_for("nonwestern_share", "151", "DK", "similar")
    assert sc.rank_text(facts, "en") == (
        f"{english_ordinal(rank)} highest share of {len(peers)} peers"
    )
    assert "No traffic light" in flatten(sc.build_light(facts, "en"))


def test_rate_only_groups_show_the_note_not_an_invented_n(demo_env) -> None:
    facts = facts_for("employment_gap", "0301", "NO")
    card = flatten(sc.build_card(facts, "en", "/x", selected=False))
    assert "no interval: the provider publishes rates only" in card
    assert "n = " not in card
    assert "Significance rule: not available (no interval)" in card


def test_gap_card_shows_interval_n_and_both_groups(demo_env) -> None:
    row = read_frame(
        "SELECT * FROM indicator_values WHERE indicator = 'employment_gap' AND area = '151' "
        "AND period = ?",
        [latest("employment_gap", "DK").loc["151", "period"]],
    ).iloc[0]
    facts = facts_for("employment_gap", "151", "DK")
    card = flatten(sc.build_card(facts, "en", "/x", selected=True))
    assert f"{100 * row['target_rate']:.1f}%" in card
    assert f"{100 * row['comparison_rate']:.1f}%" in card
    assert (
        f"95 % interval {row['gap_lower_pp']:.1f}{NBSP}pp to {row['gap_upper_pp']:.1f}{NBSP}pp"
        in card
    )
    assert f"n = {row['target_den']:,.0f} and {row['comparison_den']:,.0f}" in card
    assert "Persons of Danish origin" in card
    light = sc.build_light(facts, "en")
    badge = light.children[0]
    assert row["light_barometer"].capitalize() in flatten(badge)
    # The rule is inside the badge's disclosure (opens on focus and tap), not a hover title.
    assert "Barometer rule" in flatten(badge.children[1])
    assert "Shown in the chart below" in card


def test_withheld_value_says_too_few_never_zero(demo_env) -> None:
    rows = latest("youth_education_20_24", "DK")
    withheld = rows[rows["small_number"] == "withheld"]
    if withheld.empty:
        pytest.skip("no withheld municipality in the latest period of the demo data")
    code = str(withheld.index[0])
    facts = facts_for("youth_education_20_24", code, "DK")
    assert facts.value is None and facts.rank.position is None
    assert sc.headline_text(facts, "en") == (
        f"No value for {rows.loc[code, 'period']}: too few to show "
        "(fewer than 20 in the target group)"
    )
    card = flatten(sc.build_card(facts, "en", "/x", selected=False))
    assert "0.0" not in card
    assert "not ranked" in card


def test_caution_shows_the_pooled_value(demo_env) -> None:
    rows = latest("employment_gap", "DK")
    caution = rows[(rows["small_number"] == "caution") & rows["value"].notna()]
    code = str(caution.index[0])
    facts = facts_for("employment_gap", code, "DK")
    card = flatten(sc.build_card(facts, "en", "/x", selected=False))
    assert f"Last 3 periods pooled: {caution.loc[code, 'pooled_value']:.1f}{NBSP}pp" in card


def test_provider_symbol_shown_and_sparkline_has_gaps(demo_env) -> None:
    rows = latest("employment_gap", "NO")
    missing = rows[rows["note_code"] == "suppressed"]
    code = str(missing.index[0])
    facts = facts_for("employment_gap", code, "NO")
    symbol = missing.loc[code, "note_symbol"]
    headline = sc.headline_text(facts, "en")
    assert headline.startswith("No value for ") and headline.endswith(f"(“{symbol}”)")
    assert "provider" in headline
    y = sc.build_sparkline_figure(facts.periods, facts.values)["data"][0]["y"]
    assert None in y and 0 not in y


def test_similar_peers_table_lists_each_peer_with_its_reason(demo_env) -> None:
    peers = resolve_peers("similar", "151", "DK")
    assert peers.reasons is not None
    table = flatten(sc.build_similar_table(peers.reasons, "151", "da"))
    assert "Ballerup (denne side)" in table
    for code in peers.reasons["code"]:
        assert f"({code})" in table
    assert "tættest på" in table
    label = peer_group_name(peers, "DK", "Ballerup", "en")
    assert label == "Ballerup and the 10 most similar municipalities"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "closest on population (0.05 SD) and non-Western share (0.24 SD)"),
        ("da", "tættest på indbyggertal (0,05 SD) og ikke-vestlig andel (0,24 SD)"),
        ("nb", "nærmest på folketall (0,05 SD) og ikke-vestlig andel (0,24 SD)"),
    ],
)
def test_peer_reason_is_written_from_codes_in_the_readers_language(
    lang: str, expected: str
) -> None:
    """find_similar names the closest variables as codes with their distances; the words are
    chosen here (no English sentence parsed back)."""
    peer = {"closest": "pop,share", "pop_sd": 0.05, "share_sd": 0.2431, "emp_sd": 1.7}
    assert reason_text(peer, lang) == expected
    assert reason_text({"closest": ""}, lang) == ""


def test_a_small_groups_place_carries_the_caution_mark(demo_env) -> None:
    """A focus whose target group is below the caution level is ranked, with the mark Compare
    gives its bar; a group of the usual size has none."""
    rows = latest("youth_education_20_24", "DK")
    small = rows[(rows["small_number"] == "caution") & rows["value"].notna()]
    assert not small.empty, "the demo data has small groups"
    code = str(small.index[0])
    facts = facts_for("youth_education_20_24", code, "DK", "all")
    assert facts.rank.position is not None
    n = int(small.loc[code, "note_n"])  # the caution level the row was judged by
    card = flatten(sc.build_card(facts, "en", "#", selected=False))
    assert f"Small group (fewer than {n} in the target group): read this place" in card
    usual = rows[(rows["small_number"] == "ok") & rows["value"].notna()].index[0]
    facts = facts_for("youth_education_20_24", str(usual), "DK", "all")
    assert sc.rank_caution(facts, "en") is None

"""The simulated Statistics Norway API keeps the rules of the PxWebApi 2 server.

Where the server's source says what a rule is (PxTools/PxWebApi @92f4cfa: SelectionHandler.cs,
SelectionExpressions/*.cs, ProblemUtility.cs), the simulator does the same; the tables carry
the codes, labels and periods of shared/reference/tables (corrected December 2026).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from loaders import norway
from simulator.server import Simulator, start_simulator
from simulator.ssb_tables import ANCHORS
from tests.conftest import ssb_get as get
from tests.conftest import value_codes

JSONSTAT2 = {"lang": "no", "outputFormat": "json-stat2"}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with start_simulator(seed=2026, ssb_calls_per_minute=None) as running:
        yield running


def codes(answer: requests.Response, variable: str) -> list[str]:
    assert answer.status_code == 200, answer.text
    return list(answer.json()["dimension"][variable]["category"]["index"])


def values(answer: requests.Response) -> dict[tuple[str, ...], tuple]:
    """{(code, ...): (value, status)} for a JSON-stat 2.0 answer."""
    import itertools

    data = answer.json()
    status = data.get("status") or {}
    keys = itertools.product(*[list(data["dimension"][d]["category"]["index"]) for d in data["id"]])
    return {
        k: (v, status.get(str(i))) for i, (k, v) in enumerate(zip(keys, data["value"], strict=True))
    }


POPULATION = value_codes(ContentsCode="Personer1")


# --- limits ---------------------------------------------------------------------------------


def test_800000_cells_pass_and_more_are_refused_with_the_servers_problem(sim: Simulator) -> None:
    region = [c for c in norway.all_codes()][:400]
    land = [c.code for c in norway.list_countries()][:100]
    chosen = {"InnvandrKat": ["B", "C"], "Landbakgrunn": land, "ContentsCode": ["Personer1"]}
    body = {
        "selection": [
            {"variableCode": "Region", "valueCodes": sorted(region)},
            *[{"variableCode": k, "valueCodes": v} for k, v in chosen.items()],
            {"variableCode": "Tid", "valueCodes": ["top(10)"]},
        ]
    }
    url = f"{sim.ssb_base}/tables/09817/data?lang=no&outputFormat=json-stat2"
    fits = requests.post(url, json=body, timeout=120)
    assert fits.status_code == 200, fits.text
    assert len(fits.json()["value"]) == 400 * 2 * 100 * 10 == 800_000
    assert sim.requests[-1].cells == 800_000
    body["selection"][0]["valueCodes"].append("0")  # 401 regions: 802,000 cells
    refused = requests.post(url, json=body, timeout=60)
    assert refused.status_code == 400  # the spec says 403; the server's code answers 400
    assert refused.headers["Content-Type"] == "application/problem+json; charset=utf-8"
    assert refused.json() == {
        "type": "Parameter error",
        "title": "Too many cells selected",
        "status": 400,
        "detail": "Too many cells selected",
    }
    assert sim.requests[-1].cells == 802_000


def test_eliminated_variables_do_not_count() -> None:
    with start_simulator(ssb_cell_limit=17) as small:
        # 1 region x 17 years (InnvandrKat and Landbakgrunn eliminated) = 17 cells.
        fine = get(small, "09817", POPULATION, Region="0", Tid="*")
        assert fine.status_code == 200
        over = get(small, "09817", POPULATION, Region="0", InnvandrKat="B,C", Tid="*")
        assert over.status_code == 400 and over.json()["title"] == "Too many cells selected"


def test_more_than_30_calls_a_minute_get_429() -> None:
    with start_simulator() as limited:  # the default: 30 calls a minute
        config = f"{limited.ssb_base}/config"
        assert [requests.get(config, timeout=10).status_code for _ in range(30)] == [200] * 30
        refused = requests.get(config, timeout=10)
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["status"] == 429


def test_config_states_the_limits(sim: Simulator) -> None:
    config = requests.get(f"{sim.ssb_base}/config", timeout=10).json()
    assert config["maxDataCells"] == 800_000
    assert config["timeWindow"] == 60 and "json-stat2" in config["dataFormats"]


# --- value expressions (PxWebApi SelectionExpressions) ----------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("top(1)", ["2026"]),  # time: from the newest end, answered in ascending order
        ("top(3)", ["2024", "2025", "2026"]),
        ("TOP(1,1)", ["2025"]),  # case-insensitive, with an offset
        ("bottom(2)", ["2010", "2011"]),
        ("bottom(1,2)", ["2012"]),
        ("from(2024)", ["2024", "2025", "2026"]),
        ("to(2011)", ["2010", "2011"]),
        ("range(2012,2014)", ["2012", "2013", "2014"]),
        ("range(2014,2012)", ["2012", "2013", "2014"]),  # either order
        ("201?", [str(y) for y in range(2010, 2020)]),
        ("202*", [str(y) for y in range(2020, 2027)]),
        ("*5", ["2015", "2025"]),
        ("*02*", [str(y) for y in range(2020, 2027)]),
        ("2015,2020", ["2015", "2020"]),
    ],
)
def test_time_expressions(sim: Simulator, expression: str, expected: list[str]) -> None:
    assert codes(get(sim, "07459", POPULATION, Region="0", Tid=expression), "Tid") == expected


def test_top_and_bottom_count_from_the_start_for_other_variables(sim: Simulator) -> None:
    base = POPULATION | value_codes(Region="0", Tid="2024")
    assert codes(get(sim, "07459", base, Kjonn="top(1)"), "Kjonn") == ["1"]
    assert codes(get(sim, "07459", base, Kjonn="bottom(1)"), "Kjonn") == ["2"]


@pytest.mark.parametrize(
    ("expression", "title"),
    [
        ("20*1", "Illegal selection expression"),  # * only first and/or last
        ("top(0)", "Illegal selection expression"),
        ("range(2010)", "Illegal selection expression"),
        ("from(1999)", "Illegal selection expression"),
        ("1999", "Non-existent value"),
    ],
)
def test_bad_expressions_are_refused(sim: Simulator, expression: str, title: str) -> None:
    answer = get(sim, "07459", POPULATION, Region="0", Tid=expression)
    assert answer.status_code == 400 and answer.json()["title"] == title


def test_codes_and_variables_ignore_case_and_time_is_an_alias(sim: Simulator) -> None:
    answer = get(
        sim,
        "07459",
        value_codes(region="0", contentscode="personer1", time="2024"),
    )
    assert codes(answer, "ContentsCode") == ["Personer1"] and codes(answer, "Tid") == ["2024"]


def test_mandatory_variables_and_unknown_ones(sim: Simulator) -> None:
    missing = get(sim, "09817", value_codes(Region="0", Tid="2024"))
    assert missing.status_code == 400
    assert missing.json()["title"] == "Missing selection for mandantory variable"
    unknown = get(sim, "07459", POPULATION, Tid="2024", Fylke="03")
    assert unknown.json()["title"] == "Non-existent variable"
    table = get(sim, "99999", value_codes(Tid="top(1)"))
    assert table.status_code == 404 and table.json()["title"] == "Non-existent table"


# --- codelists, reforms, notes ----------------------------------------------------------------


def test_codelists_are_announced_per_dimension(sim: Simulator) -> None:
    meta = get(sim, "11607", {}, part="metadata").json()
    lists = {
        d: [c["id"] for c in meta["dimension"][d]["extension"]["codelists"]] for d in meta["id"]
    }
    assert lists["Region"] == ["agg_KommGjeldende", "vs_Kommun", "vs_Landet"]
    assert all(lists[d] == [] for d in meta["id"] if d != "Region")
    nope = {"codelist[Region]": "agg_Nope"}
    bad = get(sim, "07459", POPULATION | nope, Tid="2024", Region="*")
    assert bad.status_code == 400 and bad.json()["title"] == "Non-existent codelist"


def test_earlier_municipality_codes_carry_their_years(sim: Simulator) -> None:
    labels = get(sim, "07459", {}, part="metadata").json()["dimension"]["Region"]["category"]
    assert labels["label"]["3001"] == "Halden (2020-2023)"
    assert labels["label"]["0101"] == "Halden (-2019)"
    assert labels["label"]["1507"] == "Ålesund (2020-2023)"
    assert labels["label"]["3101"] == "Halden" and labels["label"]["1580"] == "Haram"


def test_each_code_has_figures_for_its_own_years(sim: Simulator) -> None:
    params = POPULATION | value_codes(Tid="2019,2022,2024")
    got = values(get(sim, "07459", params, Region="0101,3001,3101,1507,1508,1580"))
    people = {(region, year): cell for (region, _, year), cell in got.items()}
    assert people[("0101", "2019")][0] > 0 and people[("3001", "2022")][0] > 0
    assert people[("3101", "2024")][0] > 0
    # A code not yet in use shows 0 (as 04861 does for 3203 Asker in 2000); a replaced
    # code is empty (".").
    assert people[("3101", "2022")] == (0, None)
    assert people[("3001", "2024")] == (None, ".")
    # Ålesund was split in 2024: the old code's last year is about the two new ones.
    assert people[("1507", "2024")] == (None, ".")
    old = people[("1507", "2022")][0]
    new = people[("1508", "2024")][0] + people[("1580", "2024")][0]
    assert 0.9 < new / old < 1.1
    # Today's codes through agg_KommGjeldende: nothing before a code existed.
    kommuner = {"codelist[Region]": "agg_KommGjeldende"}
    current = values(get(sim, "07459", params | kommuner, Region="3101"))
    assert current[("3101", "Personer1", "2022")] == (None, "..")


def test_the_whole_country_is_the_sum_of_the_codes_in_use(sim: Simulator) -> None:
    for year in (2012, 2019, 2023, 2026):
        got = values(get(sim, "07459", POPULATION, Region="*", Tid=str(year)))
        total = got.pop(("0", "Personer1", str(year)))[0]
        in_use = norway.valid_codes(year)
        assert sum(v or 0 for (code, *_), (v, _) in got.items() if code in in_use) == total
        assert all(not v for (code, *_), (v, _) in got.items() if code not in in_use)


def test_a_free_text_note_sits_in_status_beside_a_value(sim: Simulator) -> None:
    params = value_codes(Region="0,0301", Landbakgrunn="abc")
    got = values(get(sim, "11607", params, ContentsCode="Sysselsatte2", Tid="2014,2015"))
    value, note = got[("0", "abc", "Sysselsatte2", "2015")]
    assert value is not None and note.startswith("Brudd i tidsserien")
    assert got[("0", "abc", "Sysselsatte2", "2014")][1] is None
    assert got[("0301", "abc", "Sysselsatte2", "2015")][1] is None


# --- the tables as the reference gives them ---------------------------------------------------


def test_11607_codes_labels_and_years(sim: Simulator) -> None:
    meta = get(sim, "11607", {}, part="metadata").json()
    land = meta["dimension"]["Landbakgrunn"]["category"]["label"]
    assert list(land) == ["tot", "abc", "zzz", "ddd", "eee"]
    assert land["abc"] == "Befolkningen eksklusive innvandrere"
    assert land["ddd"].startswith("Norden utenom Norge, EU/EFTA, Storbritannia")
    assert land["eee"].startswith("Europa utenom EU/EFTA og Storbritannia, Afrika, Asia")
    assert list(meta["dimension"]["Tid"]["category"]["index"]) == [
        str(y) for y in range(2010, 2026)
    ]
    assert meta["note"][0].startswith("Brudd i tidsserien")


def test_09817_has_single_countries_not_country_groups(sim: Simulator) -> None:
    meta = get(sim, "09817", {}, part="metadata").json()
    land = list(meta["dimension"]["Landbakgrunn"]["category"]["index"])
    assert land[:3] == ["999", "VES", "IVE"] and "eee" not in land and "ddd" not in land
    assert {"101", "148", "241", "346", "564", "980", "990"} <= set(land)
    assert list(meta["dimension"]["InnvandrKat"]["category"]["index"]) == ["B", "C", "B-C"]
    assert list(meta["dimension"]["Tid"]["category"]["index"])[-1] == "2026"


def test_09817_countries_add_up_to_the_total_and_are_not_suppressed(sim: Simulator) -> None:
    params = POPULATION | value_codes(Region="1151,0301", InnvandrKat="B")
    got = values(get(sim, "09817", params, Landbakgrunn="*", Tid="2025"))
    for region in ("1151", "0301"):
        cells = {land: v for (r, _, land, *_), (v, _) in got.items() if r == region}
        assert None not in cells.values()  # small counts are published
        countries = sum(v for land, v in cells.items() if land not in ("999", "VES", "IVE"))
        assert countries == cells["999"] == cells["VES"] + cells["IVE"]


def test_national_employment_is_calibrated_to_the_public_figures(sim: Simulator) -> None:
    params = value_codes(Region="0", Landbakgrunn="abc,ddd,eee", ContentsCode="Sysselsatte2")
    got = values(get(sim, "11607", params, Tid="2010,2015,2023,2025"))
    # The public figures quoted in shared/reference/tables/ssb_11607.json.
    public = {
        "abc": {2010: 66.8, 2015: 63.7, 2023: 65.9, 2025: 65.5},
        "ddd": {2010: 64.7, 2015: 62.4, 2023: 72.0, 2025: 66.8},
        "eee": {2010: 48.1, 2015: 44.5, 2023: 53.1, 2025: 53.7},
    }
    for land, years in public.items():
        for year, rate in years.items():
            assert got[("0", land, "Sysselsatte2", str(year))][0] == pytest.approx(rate, abs=0.05)
            assert ANCHORS[land][year] == rate

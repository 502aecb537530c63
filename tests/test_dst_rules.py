"""The simulated Statistics Denmark API keeps the rules its own guide documents.

Every case is an example from shared/reference/tables/dst_response_shape.md (the guide's
sections DATA, "Begrænsninger på udtræk" and the tableinfo shape), so the simulator refuses
what the real API refuses and the loader is tested against that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from loaders import dst as dst_loader
from simulator.dst import request_cells
from simulator.server import Simulator, start_simulator

QUARTERS = [f"{y}K{q}" for y in range(2008, 2026) for q in range(1, 5)][:-1]  # 2008K1-2025K3


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with start_simulator(seed=2026, ssb_calls_per_minute=None) as running:
        yield running


def post(sim: Simulator, table: str, variables: dict[str, list[str]]) -> requests.Response:
    body: dict[str, Any] = {"table": table, "format": "JSONSTAT", "lang": "en"}
    body["variables"] = [{"code": k, "values": v} for k, v in variables.items()]
    return requests.post(f"{sim.dst_base}/data", json=body, timeout=60)


def periods(sim: Simulator, selectors: list[str]) -> list[str]:
    answer = post(sim, "FOLK1E", {"OMRÅDE": ["000"], "Tid": selectors})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["dataset"]["dimension"]["Tid"]["category"]["index"])


# --- the cell limit ---------------------------------------------------------------------


def test_cells_are_rows_times_fields_as_the_guide_counts() -> None:
    # Four variables including time: each row has 5 fields (3 variables, time, the value).
    assert request_cells(200_000, 3) == 1_000_000
    assert request_cells(200_001, 3) == 1_000_005 > 1_000_000
    # The guide's example row: OMRÅDE, KØN, ALDER, CIVILSTAND, TID and the value = 6 cells,
    # and a real refusal quoted 14,201,775 rows x 6 = 85,210,650 cells.
    assert request_cells(1, 4) == 6
    assert request_cells(14_201_775, 4) == 85_210_650


def test_200000_rows_of_four_variables_pass(sim: Simulator) -> None:
    areas = [a["id"] for a in info(sim, "FOLK1E")["OMRÅDE"]][:100]
    request = {
        "OMRÅDE": areas,
        "ALDER": [str(a) for a in range(50)],
        "HERKOMST": ["1", "24", "25", "35"],
        "Tid": QUARTERS[:10],
    }
    answer = post(sim, "FOLK1E", request)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["dataset"]["value"]) == 200_000
    assert sim.requests[-1].cells == 1_000_000


def test_more_than_1000000_cells_are_refused(sim: Simulator) -> None:
    # 105 x 127 x 3 x 5 = 200,025 rows of four variables including time: 1,000,125 cells.
    answer = post(
        sim,
        "FOLK1E",
        {"OMRÅDE": ["*"], "ALDER": ["*"], "HERKOMST": ["1", "25", "35"], "Tid": QUARTERS[:5]},
    )
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "text/json; charset=utf-8"
    body = answer.json()
    assert body["errorTypeCode"] == "REQUEST-LIMIT"
    assert "200,025 rows x 5 fields = 1,000,125 cells" in body["message"]
    assert sim.requests[-1].cells == 1_000_125


def test_a_variable_given_counts_even_with_one_value(sim: Simulator) -> None:
    # The 200,000 rows above with KØN given as its total: a sixth field, 1,200,000 cells.
    areas = [a["id"] for a in info(sim, "FOLK1E")["OMRÅDE"]][:100]
    request = {
        "OMRÅDE": areas,
        "KØN": ["TOT"],
        "ALDER": [str(a) for a in range(50)],
        "HERKOMST": ["1", "24", "25", "35"],
        "Tid": QUARTERS[:10],
    }
    assert post(sim, "FOLK1E", request).json()["errorTypeCode"] == "REQUEST-LIMIT"
    del request["KØN"]  # eliminated variables do not count
    assert post(sim, "FOLK1E", request).status_code == 200


def test_time_counts_even_when_not_given(sim: Simulator) -> None:
    # 105 x 3 x 127 x 6 = 240,030 rows; with time always returned that is 6 fields a row.
    every = {"OMRÅDE": ["*"], "KØN": ["*"], "ALDER": ["*"], "HERKOMST": ["*"]}
    answer = post(sim, "FOLK1E", every)
    assert answer.status_code == 400 and answer.json()["errorTypeCode"] == "REQUEST-LIMIT"
    assert "240,030 rows x 6 fields" in answer.json()["message"]


# --- value selectors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selectors", "expected"),
    [
        (["(1)"], ["2025K3"]),  # the newest period only
        (["(2)"], ["2025K2"]),  # the second newest only
        (["(-n+3)"], ["2025K1", "2025K2", "2025K3"]),  # the newest three
        (["-(-n+3)"], ["2008K1", "2008K2", "2008K3"]),  # the oldest three
        ([">=2020K1<=2021K4"], [f"{y}K{q}" for y in (2020, 2021) for q in range(1, 5)]),
        ([">2020K1<2021K4"], [f"{y}K{q}" for y in (2020, 2021) for q in range(1, 5)]),
        ([">=2025K1"], ["2025K1", "2025K2", "2025K3"]),
        (["<=2008K2"], ["2008K1", "2008K2"]),
        ([">=2010K1", "<=2015K4"], QUARTERS),  # two selectors are a union: every period
        (["*K1"], [f"{y}K1" for y in range(2008, 2026)]),  # the wildcard may stand first
        (["20*K4"], [f"{y}K4" for y in range(2008, 2025)]),  # ... or in the middle
        (["2023*"], ["2023K1", "2023K2", "2023K3", "2023K4"]),
        (["2021K3", "2021k2", "2021K2"], ["2021K2", "2021K3"]),  # sorted, no repeats
        (["(1)", "(-n+2)"], ["2025K2", "2025K3"]),
    ],
)
def test_time_selectors(sim: Simulator, selectors: list[str], expected: list[str]) -> None:
    assert periods(sim, selectors) == expected


def test_plus_sign_arriving_as_a_space_in_a_raw_url(sim: Simulator) -> None:
    answer = requests.get(f"{sim.dst_base}/data/FOLK1E/JSONSTAT?Tid=(-n+2)", timeout=10).json()
    assert list(answer["dataset"]["dimension"]["Tid"]["category"]["index"]) == [
        "2025K2",
        "2025K3",
    ]


def test_unknown_value_is_refused(sim: Simulator) -> None:
    answer = post(sim, "FOLK1E", {"OMRÅDE": ["000"], "Tid": ["(99)"]})
    assert answer.status_code == 400
    assert answer.json() == {
        "errorTypeCode": "EXTRACT-NOTFOUND",
        "message": "Can't find value: (99) (Tid)",
    }


def test_no_time_values_give_the_newest_period(sim: Simulator) -> None:
    answer = post(sim, "FOLK1E", {"OMRÅDE": ["000"]}).json()
    assert list(answer["dataset"]["dimension"]["Tid"]["category"]["index"]) == ["2025K3"]


# --- elimination and tableinfo ----------------------------------------------------------


def test_a_variable_that_cannot_be_eliminated_must_be_given(sim: Simulator) -> None:
    refused = post(sim, "RAS201", {"OMRÅDE": ["000"], "Tid": ["2020"]})
    assert refused.status_code == 400
    assert refused.json()["errorTypeCode"] == "REQUEST-MISSING"
    assert "SOCIO" in refused.json()["message"]
    assert post(sim, "RAS201", {"OMRÅDE": ["000"], "SOCIO": ["0"], "Tid": ["2020"]}).ok
    assert info(sim, "RAS201", "elimination")["SOCIO"] is False


def info(sim: Simulator, table: str, what: str = "values") -> dict:
    body = requests.get(f"{sim.dst_base}/tableinfo/{table}?lang=en", timeout=10).json()
    return {v["id"]: v[what] for v in body["variables"]}


def test_tableinfo_footnote_and_documentation_variants(sim: Simulator) -> None:
    shapes = {}
    for table in ("FOLK1E", "RAS201", "LIGEUB1", "KY038"):
        body = requests.get(f"{sim.dst_base}/tableinfo/{table}?lang=da", timeout=10).json()
        shapes[table] = (type(body["footnote"]).__name__, body["documentation"] is None)
        meta = dst_loader.parse_tableinfo(body, "da")
        if isinstance(body["footnote"], dict):
            assert meta.notes["da"][0] == body["footnote"]["text"]
        if body["documentation"] is None:
            assert not any(n.startswith("Documentation") for n in meta.notes["da"])
    assert shapes == {
        "FOLK1E": ("dict", False),  # an object {text, mandatory}
        "RAS201": ("NoneType", True),  # no footnote, documentation null
        "LIGEUB1": ("str", False),
        "KY038": ("NoneType", False),
    }

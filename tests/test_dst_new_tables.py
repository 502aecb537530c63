"""Statistics Denmark's STRAFNA6, INDOPH1/INDOPH3 and the second FOLK1E load.

The codes and Danish labels are those josca42/varro_dst @d1d366b prints; the simulator keeps
Statistics Denmark's rules for them (variables without a total must be given; the cell rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from loaders.fetch import fetch_table, plan_table, read_metadata
from loaders.refresh import make_endpoints
from loaders.sources import SourceSpec, load_sources
from simulator.server import Simulator
from tests.conftest import fast_settings


def post(sim: Simulator, table: str, variables: dict[str, list[str]]) -> requests.Response:
    body: dict[str, Any] = {"table": table, "format": "JSONSTAT", "lang": "da"}
    body["variables"] = [{"code": k, "values": v} for k, v in variables.items()]
    return requests.post(f"{sim.dst_base}/data", json=body, timeout=60)


@pytest.fixture(scope="module")
def endpoint(simulator: Simulator) -> Iterator:
    yield make_endpoints(fast_settings(Path("unused"), simulator))["dst"]


def test_sex_and_origin_of_strafna6_cannot_be_left_out(simulator: Simulator) -> None:
    answer = post(simulator, "STRAFNA6", {"OMRÅDE": ["000"], "KØN": ["M"]})
    assert answer.status_code == 400
    assert answer.json()["errorTypeCode"] == "REQUEST-MISSING" and "HERKOMST1" in answer.text
    ok = post(
        simulator,
        "STRAFNA6",
        {"OMRÅDE": ["000"], "KØN": ["M"], "HERKOMST1": ["1", "6"], "Tid": ["2024"]},
    )
    dataset = ok.json()["dataset"]
    assert dataset["dimension"]["HERKOMST1"]["category"]["label"] == {
        "1": "Personer med dansk oprindelse",
        "6": "Personer med udenlandsk oprindelse",
    }
    assert "ALDER" not in dataset["dimension"]  # age has a total (TOT): it can be left out


def test_the_indoph_tables_have_98_municipalities_and_the_residence_bases(
    simulator: Simulator,
) -> None:
    info = requests.post(
        f"{simulator.dst_base}/tableinfo",
        json={"table": "INDOPH3", "lang": "da", "format": "JSON"},
        timeout=30,
    ).json()
    variables = {v["id"]: v for v in info["variables"]}
    areas = [v["id"] for v in variables["OMRÅDE"]["values"]]
    assert len(areas) == 1 + 5 + 98 and "411" not in areas
    bases = {v["id"]: v["text"] for v in variables["OPHGR2"]["values"]}
    assert bases["13"] == "Asyl mv." and bases["9998"] == "Permanent opholdstilladelse"
    answer = post(simulator, "INDOPH1", {"OPHGR1": ["0", "13"], "OMRÅDE": ["000"], "Tid": ["*"]})
    values = answer.json()["dataset"]["value"]
    total, asylum = values[: len(values) // 2], values[len(values) // 2 :]
    assert all(0 < a < t for a, t in zip(asylum, total, strict=True))


def test_the_second_folk1e_load_asks_for_first_quarters_in_one_request(endpoint) -> None:  # type: ignore[no-untyped-def]
    spec = next(s for s in load_sources() if s.key == "FOLK1E_MEN_15_29")
    meta = read_metadata(spec, endpoint)
    plan = plan_table(spec, meta, endpoint.cell_limit)
    ((part),) = plan.parts
    assert part.selection["Tid"] == [f"{y}K1" for y in range(2008, 2026)]
    assert part.cells == 105 * 1 * 15 * 5 * 18 * 6 == 850_500
    frame = fetch_table(spec, meta, endpoint).frame
    assert set(frame["tid"].str[-2:]) == {"K1"} and set(frame["koen"]) == {"1"}
    assert len(frame) == 105 * 15 * 5 * 18


def test_a_second_load_needs_a_name_that_says_which_table() -> None:
    entry = {
        "provider": "dst",
        "table": "FOLK1E",
        "name": "STRAFNA6_MEN",
        "title": "x",
        "variables": {"Tid": {"all": True}},
    }
    with pytest.raises(ValueError, match="must start with the table id FOLK1E_"):
        SourceSpec.model_validate(entry)
    with pytest.raises(ValueError, match="level"):
        SourceSpec.model_validate({**entry, "name": None, "level": "k"})
    with pytest.raises(ValueError, match="matching"):
        SourceSpec.model_validate({**entry, "name": None, "variables": {"Tid": {"matching": "("}}})

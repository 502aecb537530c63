"""The provider simulator over real sockets: shapes, selectors, limits, faults, demo data."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import requests

from loaders import norway
from loaders.municipalities import list_municipalities
from simulator import dst, model
from simulator.server import Simulator, start_simulator
from tests.conftest import ssb_get, value_codes

BALLERUP = {"TOT": 49_110, "1": 40_272, "24": 1_589, "25": 4_317, "34": 350, "35": 2_582}
JSONSTAT2 = {"lang": "no", "outputFormat": "json-stat2"}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with start_simulator(seed=2026, ssb_calls_per_minute=None) as running:
        yield running


@pytest.fixture(autouse=True)
def no_faults_left(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").clear_faults()


def cells(dataset: dict) -> dict[tuple[str, ...], Any]:
    """Our own small JSON-stat decoder: {(code, code, ...): value} for 1.0 and 2.0."""
    dims = dataset["dimension"]
    ids = dims["id"] if "id" in dims else dataset["id"]
    codes = []
    for dim in ids:
        index = dims[dim]["category"]["index"]
        codes.append(sorted(index, key=index.get))
    return dict(zip(itertools.product(*codes), dataset["value"], strict=True))


def dst_post(sim: Simulator, table: str, variables: dict[str, list[str]], **extra: Any) -> Any:
    body = {"table": table, "format": "JSONSTAT", "lang": "da", **extra}
    body["variables"] = [{"code": k, "values": v} for k, v in variables.items()]
    return requests.post(f"{sim.dst_base}/data", json=body, timeout=30)


def dst_values(sim: Simulator, table: str, variables: dict[str, list[str]]) -> dict:
    answer = dst_post(sim, table, variables)
    assert answer.status_code == 200, answer.text
    return cells(json.loads(answer.text)["dataset"])


def ssb_values(sim: Simulator, table: str, params: dict[str, str], **codes: str) -> dict:
    answer = ssb_get(sim, table, params, **codes)
    assert answer.status_code == 200, answer.text
    return cells(json.loads(answer.text))


def time_codes(dataset: dict) -> list[str]:
    dims = dataset["dimension"]
    return list(dims["Tid"]["category"]["index"])


# --- Statistics Denmark -------------------------------------------------------------------


def test_dst_tableinfo_lists_every_area_and_period(sim: Simulator) -> None:
    answer = requests.get(f"{sim.dst_base}/tableinfo/folk1e?lang=da&format=JSON", timeout=10)
    assert answer.headers["Content-Type"] == "text/json; charset=utf-8"
    info = json.loads(answer.text)
    assert info["id"] == "FOLK1E"
    assert info["updated"] == "2025-08-11T08:00:00"
    assert [v["id"] for v in info["variables"]] == ["OMRÅDE", "KØN", "ALDER", "HERKOMST", "Tid"]
    area, sex, age, _, period = info["variables"]
    ids = [v["id"] for v in area["values"]]
    kommuner = {m.code for m in list_municipalities("DK")}
    assert kommuner | {"000", "081", "082", "083", "084", "085", "411"} == set(ids)
    assert ids[0] == "000" and area["map"] and area["elimination"] is True
    assert len(age["values"]) == 127 and age["values"][-1]["id"] == "125"
    assert [v["id"] for v in sex["values"]] == ["TOT", "1", "2"]
    assert period["time"] is True and period["elimination"] is False
    assert period["values"][0]["id"] == "2008K1" and period["values"][-1]["id"] == "2025K3"
    assert "map" not in period


def test_dst_tableinfo_post_in_english(sim: Simulator) -> None:
    body = {"table": "RAS201", "lang": "en", "format": "JSON"}
    info = requests.post(f"{sim.dst_base}/tableinfo", json=body, timeout=10).json()
    area = info["variables"][0]
    landsdele = [v for v in area["values"] if len(v["id"]) == 2]
    assert [v["id"] for v in landsdele] == [f"{i:02d}" for i in range(1, 12)]
    assert area["values"][0]["text"] == "All Denmark"
    quarters = requests.get(f"{sim.dst_base}/tableinfo/FOLK1E?lang=en", timeout=10).json()
    assert quarters["variables"][-1]["values"][-1] == {"id": "2025K3", "text": "2025Q3"}


def test_dst_data_is_wrapped_json_stat_1(sim: Simulator) -> None:
    answer = dst_post(sim, "FOLK1E", {"OMRÅDE": ["151"], "HERKOMST": ["*"], "Tid": ["2021K2"]})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/json; charset=utf-8"
    dataset = json.loads(answer.text)["dataset"]
    dims = dataset["dimension"]
    assert dims["id"] == ["OMRÅDE", "HERKOMST", "ContentsCode", "Tid"]
    assert dims["size"] == [1, 6, 1, 1]
    assert dims["role"] == {"geo": ["OMRÅDE"], "metric": ["ContentsCode"], "time": ["Tid"]}
    assert list(dims)[:4] == ["OMRÅDE", "HERKOMST", "ContentsCode", "Tid"]
    assert dims["ContentsCode"]["category"]["index"] == {"FOLK1E": 0}
    assert "id" not in dataset and "status" not in dataset
    assert dataset["label"] == "Befolkningen den 1. i kvartalet efter område, herkomst og tid"
    assert dataset["source"] == "Danmarks Statistik"
    assert dataset["updated"] == "2025-08-11T06:00:00Z"
    got = {key[1]: value for key, value in cells(dataset).items()}
    assert got == BALLERUP


def test_ballerup_breakdowns_add_up_to_the_record(sim: Simulator) -> None:
    values = dst_values(
        sim,
        "FOLK1E",
        {"OMRÅDE": ["151"], "KØN": ["*"], "ALDER": ["*"], "HERKOMST": ["*"], "Tid": ["2021K2"]},
    )
    for origin, total in BALLERUP.items():
        assert values[("151", "TOT", "IALT", origin, "FOLK1E", "2021K2")] == total
        by_sex_age = [
            values[("151", s, str(a), origin, "FOLK1E", "2021K2")] for s in "12" for a in range(126)
        ]
        assert sum(by_sex_age) == total


def test_dst_get_form_defaults_to_the_latest_period(sim: Simulator) -> None:
    url = f"{sim.dst_base}/data/folk1e/JSONSTAT?OMRÅDE=151,101&HERKOMST=TOT,25&lang=en"
    dataset = requests.get(url, timeout=10).json()["dataset"]
    assert dataset["dimension"]["Tid"]["category"]["label"] == {"2025K3": "2025Q3"}
    assert dataset["source"] == "Statistics Denmark"
    assert dataset["dimension"]["HERKOMST"]["category"]["label"]["25"] == (
        "Immigrants from non-western countries"
    )
    assert list(dataset["dimension"]["OMRÅDE"]["category"]["index"]) == ["101", "151"]
    # "+" unencoded in a query string arrives as a space; the selector still works.
    latest = requests.get(f"{sim.dst_base}/data/FOLK1E/JSONSTAT?Tid=(-n+2)", timeout=10).json()
    assert time_codes(latest["dataset"]) == ["2025K2", "2025K3"]


def test_dst_eliminated_variables_give_totals(sim: Simulator) -> None:
    eliminated = dst_values(sim, "FOLK1E", {"OMRÅDE": ["101"], "Tid": ["2024K1"]})
    explicit = dst_values(
        sim,
        "FOLK1E",
        {
            "OMRÅDE": ["101"],
            "KØN": ["TOT"],
            "ALDER": ["IALT"],
            "HERKOMST": ["TOT"],
            "Tid": ["2024K1"],
        },
    )
    assert list(eliminated.values()) == list(explicit.values())
    # RAS201 has no total codes: an eliminated variable is the sum of its values.
    summed = dst_values(sim, "RAS201", {"OMRÅDE": ["000"], "SOCIO": ["0"], "Tid": ["2020"]})
    parts = dst_values(
        sim, "RAS201", {"OMRÅDE": ["000"], "SOCIO": ["0"], "KØN": ["*"], "Tid": ["2020"]}
    )
    assert list(summed.values()) == [sum(parts.values())]


def test_dst_tables_agree_with_each_other(sim: Simulator) -> None:
    folk = dst_values(sim, "FOLK1E", {"OMRÅDE": ["101", "084"], "Tid": ["2023K4"]})
    ras = dst_values(sim, "RAS201", {"OMRÅDE": ["101", "084"], "SOCIO": ["*"], "Tid": ["2023"]})
    for area in ("101", "084"):
        people = [v for k, v in folk.items() if k[0] == area]
        assert people == [sum(v for k, v in ras.items() if k[0] == area)]


def test_dst_suppresses_small_counts_as_null(sim: Simulator) -> None:
    benefit = dst_values(
        sim,
        "KY038",
        {"OMRÅDE": ["411", "825"], "YDELSESTYPE": ["*"], "HERKOMST1": ["*"], "HERKOMST": ["*"]},
    )
    assert None in benefit.values()
    assert all(v is None or v == 0 or v >= 5 for v in benefit.values())
    # Population-register tables are published in full, small counts included.
    ras = dst_values(sim, "RAS201", {"OMRÅDE": ["411", "825"], "SOCIO": ["*"], "HERKOMST": ["*"]})
    assert None not in ras.values() and any(1 <= v <= 4 for v in ras.values())
    folk = dst_values(sim, "FOLK1E", {"OMRÅDE": ["411"], "HERKOMST": ["*"], "Tid": ["*"]})
    assert None not in folk.values() and any(1 <= v <= 4 for v in folk.values())


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"table": "NOPE1", "format": "JSONSTAT"}, "EXTRACT-NOTFOUND", "Tabel findes ikke: NOPE1"),
        (
            {
                "table": "FOLK1E",
                "format": "JSONSTAT",
                "variables": [{"code": "OMRÅDE", "values": ["999"]}],
            },
            "EXTRACT-NOTFOUND",
            "Can't find value: 999 (OMRÅDE)",
        ),
        (
            {
                "table": "FOLK1E",
                "format": "JSONSTAT",
                "variables": [{"code": "BYDEL", "values": ["1"]}],
            },
            "EXTRACT-NOTFOUND",
            "Can't find variable: BYDEL",
        ),
        ({"format": "JSONSTAT"}, "REQUEST-MISSING", "Der er ikke angivet nogen tabel-id."),
        (
            {"table": "FOLK1E", "format": "JSON"},
            "REQUEST-MISSING",
            "Format not found or not valid.",
        ),
    ],
)
def test_dst_errors(sim: Simulator, body: dict, code: str, message: str) -> None:
    answer = requests.post(f"{sim.dst_base}/data", json=body, timeout=10)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "text/json; charset=utf-8"
    assert answer.json() == {"errorTypeCode": code, "message": message}


# --- Statistics Norway --------------------------------------------------------------------


def test_ssb_metadata_is_json_stat_2_without_values(sim: Simulator) -> None:
    answer = ssb_get(sim, "09817", {}, part="metadata")
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    meta = json.loads(answer.text)
    assert (meta["version"], meta["class"]) == ("2.0", "dataset")
    assert "value" not in meta and meta["updated"] == "2026-03-11T07:00:00Z"
    assert meta["id"] == ["Region", "InnvandrKat", "Landbakgrunn", "ContentsCode", "Tid"]
    regions = 1 + len(norway.all_codes())  # the whole country and every code since 2010
    assert meta["size"] == [regions, 3, 3 + len(norway.list_countries()), 2, 17]
    assert meta["role"] == {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]}
    assert meta["extension"]["px"]["tableid"] == "09817"
    region = meta["dimension"]["Region"]
    assert region["extension"]["elimination"] is True
    lists = {c["id"]: c["type"] for c in region["extension"]["codelists"]}
    assert lists == {
        "agg_KommGjeldende": "Aggregation",
        "vs_Kommun": "Valueset",
        "vs_Landet": "Valueset",
    }
    assert meta["dimension"]["ContentsCode"]["extension"]["elimination"] is False
    assert meta["dimension"]["Landbakgrunn"]["extension"]["eliminationValueCode"] == "999"
    link = region["extension"]["codelists"][0]["links"][0]["href"]
    codelist = requests.get(link, timeout=10).json()
    assert codelist["id"] == "agg_KommGjeldende" and len(codelist["values"]) == 357


def test_ssb_metadata_with_a_codelist_lists_its_values(sim: Simulator) -> None:
    current = ssb_get(sim, "07459", {"codelist[Region]": "agg_KommGjeldende"}, part="metadata")
    assert current.json()["size"][0] == 357
    country = ssb_get(sim, "07459", {"codelist[Region]": "vs_Landet"}, part="metadata")
    assert country.json()["dimension"]["Region"]["category"]["label"] == {"0": "Hele landet"}


def test_ssb_data_get_shape(sim: Simulator) -> None:
    params = value_codes(Region="0301,1151", InnvandrKat="C", Landbakgrunn="999,241")
    answer = ssb_get(sim, "09817", params, ContentsCode="Personer1,AndelBefolkning", Tid="top(1)")
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(answer.text)
    assert data["id"] == ["Region", "InnvandrKat", "Landbakgrunn", "ContentsCode", "Tid"]
    assert data["size"] == [2, 1, 2, 2, 1]
    assert "id" not in data["dimension"] and len(data["value"]) == 8
    units = data["dimension"]["ContentsCode"]["category"]["unit"]
    assert units["AndelBefolkning"]["decimals"] == 1
    assert data["label"].startswith(
        "09817: Innvandrere og norskfødte med innvandrerforeldre, etter"
    )
    assert None not in data["value"] and "status" not in data


def test_ssb_post_selection_matches_get(sim: Simulator) -> None:
    selection = [
        {"variableCode": "Region", "valueCodes": ["*"], "codelist": "agg_KommGjeldende"},
        {"variableCode": "Kjonn", "valueCodes": ["1", "2"]},
        {"variableCode": "ContentsCode", "valueCodes": ["Personer1"]},
        {"variableCode": "Tid", "valueCodes": ["range(2024,2025)"]},
    ]
    url = f"{sim.ssb_base}/tables/07459/data?lang=no&outputFormat=json-stat2"
    posted = requests.post(url, json={"selection": selection}, timeout=30).json()
    kommuner = {"codelist[Region]": "agg_KommGjeldende"}
    kommuner |= value_codes(Region="*", Kjonn="1,2")
    got = ssb_values(sim, "07459", kommuner, ContentsCode="Personer1", Tid="range(2024,2025)")
    assert cells(posted) == got
    assert posted["size"] == [357, 2, 1, 2]


def test_ssb_elimination(sim: Simulator) -> None:
    base = value_codes(Region="0301", ContentsCode="Personer1", Tid="2024")
    eliminated = ssb_values(sim, "09817", base, InnvandrKat="B")
    total = ssb_values(sim, "09817", base, InnvandrKat="B", Landbakgrunn="999")
    assert list(eliminated.values()) == list(total.values())
    both = ssb_values(sim, "09817", base, InnvandrKat="B,C,B-C")
    immigrants, born_here, together = both.values()
    assert immigrants + born_here == together


def test_ssb_share_agrees_with_population(sim: Simulator) -> None:
    base = value_codes(Region="0301", Tid="2024")
    people = ssb_values(sim, "07459", base, ContentsCode="Personer1")
    both = "Personer1,AndelBefolkning"
    immigrants = ssb_values(sim, "09817", base, InnvandrKat="B", ContentsCode=both)
    persons, share = immigrants.values()
    (population,) = people.values()
    assert share == round(100 * persons / population, 1)


def test_ssb_small_groups_have_suppressed_rates(sim: Simulator) -> None:
    kommuner = {"codelist[Region]": "agg_KommGjeldende"}
    query = value_codes(Region="*", ContentsCode="Sysselsatte2", Landbakgrunn="eee")
    data = ssb_get(sim, "11607", kommuner | query, Alder="15-19", Tid="top(1)").json()
    nulls = [i for i, v in enumerate(data["value"]) if v is None]
    assert nulls and data["status"] == {str(i): ":" for i in nulls}


def test_ssb_employment_rates_have_one_decimal(sim: Simulator) -> None:
    params = value_codes(Region="0", ContentsCode="Sysselsatte2", Tid="2024")
    rates = ssb_values(sim, "11607", params, Landbakgrunn="abc,eee")
    majority, target = rates.values()
    assert 40 < target < majority < 80
    assert round(target, 1) == target


def test_ssb_errors_are_problem_bodies(sim: Simulator) -> None:
    answer = ssb_get(sim, "07459", {"lang": "de"}, part="metadata")
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/problem+json; charset=utf-8"
    body = answer.json()
    assert body["status"] == 400 and body["title"] and body["type"] == "Parameter error"


# --- faults -------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "status"), [("http500", 500), ("http503", 503), ("http429", 429)])
def test_http_error_faults_hit_once(sim: Simulator, kind: str, status: int) -> None:
    sim.inject(kind, provider="dst", retry_after=7)
    first = dst_post(sim, "FOLK1E", {"OMRÅDE": ["000"]})
    assert first.status_code == status and first.headers["Retry-After"] == "7"
    assert dst_post(sim, "FOLK1E", {"OMRÅDE": ["000"]}).status_code == 200


def test_http429_fault_defaults_to_one_second(sim: Simulator) -> None:
    sim.inject("http429", provider="ssb")
    params = value_codes(Region="0", ContentsCode="Personer1", Tid="top(1)")
    assert ssb_get(sim, "07459", params).headers["Retry-After"] == "1"


def test_timeout_fault_holds_one_request_only(sim: Simulator) -> None:
    sim.inject("timeout", provider="dst", table="RAS201", seconds=5)
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        requests.post(
            f"{sim.dst_base}/data", json={"table": "RAS201", "format": "JSONSTAT"}, timeout=0.5
        )
    # Answered while the first request is still held.
    assert dst_post(sim, "FOLK1E", {"OMRÅDE": ["000"]}).status_code == 200
    assert time.monotonic() - started < 4


def test_stop_is_not_held_up_by_a_timeout_fault() -> None:
    running = start_simulator()
    running.inject("timeout", seconds=60)

    def held_request() -> None:
        with contextlib.suppress(requests.RequestException):
            dst_post(running, "FOLK1E", {})

    caller = threading.Thread(target=held_request, daemon=True)
    caller.start()
    time.sleep(0.2)
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(requests.ConnectionError):
        requests.get(running.dst_base + "/tableinfo/FOLK1E", timeout=2)


def test_truncated_fault_breaks_the_body(sim: Simulator) -> None:
    sim.inject("truncated", provider="ssb")
    params = value_codes(Region="*", ContentsCode="Personer1", Tid="top(1)")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        ssb_get(sim, "07459", params)


def test_invalid_json_fault(sim: Simulator) -> None:
    sim.inject("invalid_json", table="FOLK1E")
    answer = dst_post(sim, "FOLK1E", {"OMRÅDE": ["000"]})
    assert answer.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)


def test_schema_drift_renames_a_code_the_metadata_lacks(sim: Simulator) -> None:
    sim.inject("schema_drift", provider="dst")
    dataset = dst_post(sim, "FOLK1E", {"OMRÅDE": ["151"], "HERKOMST": ["*"]}).json()["dataset"]
    info = requests.get(f"{sim.dst_base}/tableinfo/FOLK1E", timeout=10).json()
    known = {v["id"] for var in info["variables"] for v in var["values"]}
    drifted = set(dataset["dimension"]["OMRÅDE"]["category"]["index"])
    assert drifted == {"151X"} and not drifted & known
    assert len(cells(dataset)) == 6

    sim.inject("schema_drift", provider="ssb", dimension="Tid", new_code="2099")
    params = value_codes(Region="0", ContentsCode="Personer1", Tid="top(1)")
    assert time_codes(ssb_get(sim, "07459", params).json()) == ["2099"]


def test_faults_match_endpoint_provider_and_table(sim: Simulator) -> None:
    sim.inject("http500", provider="ssb", table="11607", endpoint="metadata", times=None)
    assert ssb_get(sim, "11607", {}, part="metadata").status_code == 500
    assert ssb_get(sim, "11607", {}, part="metadata").status_code == 500
    assert ssb_get(sim, "09817", {}, part="metadata").status_code == 200
    params = value_codes(ContentsCode="Sysselsatte2", Tid="top(1)")
    assert ssb_get(sim, "11607", params).status_code == 200
    assert requests.get(f"{sim.dst_base}/tableinfo/FOLK1E", timeout=10).status_code == 200
    sim.clear_faults()
    assert ssb_get(sim, "11607", {}, part="metadata").status_code == 200


def test_fault_control_endpoint(sim: Simulator) -> None:
    control = f"{sim.base_url}/_simulator/faults"
    added = requests.post(
        control, json={"kind": "http503", "provider": "dst", "times": 2}, timeout=5
    )
    assert added.status_code == 201
    assert requests.get(control, timeout=5).json()["faults"][0]["times"] == 2
    assert dst_post(sim, "FOLK1E", {"OMRÅDE": ["000"]}).status_code == 503
    assert requests.delete(control, timeout=5).json() == {"cleared": 1}
    assert dst_post(sim, "FOLK1E", {"OMRÅDE": ["000"]}).status_code == 200
    assert requests.post(control, json={"kind": "meteor"}, timeout=5).status_code == 400


def test_requests_are_recorded(sim: Simulator) -> None:
    sim.clear_requests()
    dst_post(sim, "folk1e", {"OMRÅDE": ["999"]})
    ssb_get(sim, "07459", {}, part="metadata")
    dst_record, ssb_record = sim.requests
    assert (dst_record.method, dst_record.path, dst_record.table) == ("POST", "/v1/data", "FOLK1E")
    assert dst_record.status == 400 and dst_record.body["variables"][0]["values"] == ["999"]
    assert (ssb_record.provider, ssb_record.endpoint, ssb_record.table) == (
        "ssb",
        "metadata",
        "07459",
    )
    assert ssb_record.query["outputFormat"] == ["json-stat2"] and ssb_record.status == 200


# --- demo data ----------------------------------------------------------------------------


def test_demo_data_is_deterministic_per_seed(sim: Simulator) -> None:
    fresh = [dst.TABLES["RAS201"].build(model.denmark.__wrapped__(2026)) for _ in range(2)]
    assert np.array_equal(fresh[0], fresh[1])
    assert np.array_equal(fresh[0], dst.TABLES["RAS201"].leaves(2026))
    request = {"OMRÅDE": ["*"], "HERKOMST": ["*"], "Tid": ["2021K2"]}
    with start_simulator(seed=7) as other:
        mine, theirs = dst_values(sim, "FOLK1E", request), dst_values(other, "FOLK1E", request)
    assert mine != theirs
    ballerup = [k for k in mine if k[0] == "151"]
    assert [mine[k] for k in ballerup] == [theirs[k] for k in ballerup] == list(BALLERUP.values())


def test_demo_data_is_plausible(sim: Simulator) -> None:
    sizes = dst_values(sim, "FOLK1E", {"OMRÅDE": ["*"], "Tid": ["2024K1"]})
    kommuner = [
        v for (area, *_), v in sizes.items() if len(area) == 3 and area[0] != "0" and area != "411"
    ]
    assert (
        len(kommuner) == 98 and 1_500 < min(kommuner) < 2_500 and 550_000 < max(kommuner) < 750_000
    )
    assert 30_000 < float(np.median(kommuner)) < 60_000
    work = dst_values(
        sim,
        "RAS201",
        {
            "OMRÅDE": ["000"],
            "SOCIO": ["*"],
            "HERKOMST": ["999", "25"],
            "ALDER": ["25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64"],
            "Tid": ["2022"],
        },
    )
    rate = {}
    for origin in ("999", "25"):
        employed = sum(v for k, v in work.items() if k[1] == "0" and k[2] == origin)
        rate[origin] = employed / sum(v for k, v in work.items() if k[2] == origin)
    assert 0.75 <= rate["999"] <= 0.82 and 0.50 <= rate["25"] <= 0.65


def test_relabel_fault_changes_a_label_in_the_metadata(sim: Simulator) -> None:
    sim.inject("relabel", table="11607", dimension="Landbakgrunn", code="abc", times=None)
    sim.inject("relabel", table="FOLK1E", dimension="HERKOMST", code="25", label="X", times=1)
    for lang in ("no", "en"):
        meta = ssb_get(sim, "11607", {"lang": lang}, part="metadata").json()
        assert meta["dimension"]["Landbakgrunn"]["category"]["label"]["abc"].endswith(" (changed)")
    info = requests.get(f"{sim.dst_base}/tableinfo/FOLK1E", timeout=10).json()
    herkomst = next(v for v in info["variables"] if v["id"] == "HERKOMST")
    assert {v["id"]: v["text"] for v in herkomst["values"]}["25"] == "X"
    # Data answers are untouched.
    data = ssb_get(
        sim,
        "11607",
        value_codes(Landbakgrunn="abc", ContentsCode="Sysselsatte2", Tid="top(1)"),
    ).json()
    assert data["dimension"]["Landbakgrunn"]["category"]["label"]["abc"] == (
        "Befolkningen eksklusive innvandrere"
    )


def test_request_log_over_http_gives_the_cells_as_the_provider_counts(sim: Simulator) -> None:
    log = f"{sim.base_url}/_simulator/requests"
    requests.delete(log, timeout=5)
    dst_post(sim, "FOLK1E", {"OMRÅDE": ["000", "101"], "HERKOMST": ["*"], "Tid": ["(-n+2)"]})
    body = requests.get(log, timeout=5).json()
    assert body["limits"] == {"dst": 1_000_000, "ssb": 800_000}
    (record,) = body["requests"]
    assert record["endpoint"] == "data" and record["status"] == 200
    assert record["cells"] == 2 * 6 * 2 * (2 + 2)  # rows x (OMRÅDE, HERKOMST, time, value)

"""FHI's open statistics API: the simulator's rules, the adapter, and faults.

What FHI documents (folkehelseinstituttet/Fhi.Statistikk.OpenAPI @c7d06b7, README) and what a
county's daily use shows (evensrii/Telemark @2f2c211) is what the simulator enforces; each
test names the rule it checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import requests

from errors import LoadError
from loaders import fhi
from loaders.fetch import Endpoint, fetch_table, read_metadata
from loaders.refresh import make_endpoints
from loaders.sources import load_sources
from simulator.server import Simulator
from tests.conftest import fast_settings

ALL_DIMENSIONS = ["GEO", "AAR", "ALDER", "INNVKAT", "MAAL", "MEASURE_TYPE"]


def body(**filters: tuple[str, list[str]]) -> dict:
    """A data request: every dimension with item filters, changed by `filters`."""
    defaults = {
        "GEO": ("item", ["0", "0301"]),
        "AAR": ("item", ["2023_2023"]),
        "ALDER": ("item", ["25_120"]),
        "INNVKAT": ("item", ["2", "20"]),
        "MAAL": ("item", ["ant_eu60"]),
        "MEASURE_TYPE": ("item", ["RATE"]),
    }
    defaults.update(filters)
    return {
        "dimensions": [
            {"code": code, "filter": kind, "values": values}
            for code, (kind, values) in defaults.items()
        ],
        "response": {"format": "json-stat2", "maxRowCount": 50000},
    }


def post(simulator: Simulator, payload: dict, table: str = "583") -> requests.Response:
    return requests.post(
        f"{simulator.fhi_base}/nokkel/Table/{table}/data", json=payload, timeout=10
    )


# --- the simulator ------------------------------------------------------------------------------


def test_an_answer_is_json_stat2_as_fhi_writes_it(simulator: Simulator) -> None:
    answer = post(simulator, body()).json()
    assert answer["version"] == "2.0" and answer["class"] == "dataset"
    assert answer["role"] == {"time": None, "geo": None, "metric": ["MEASURE_TYPE"]}
    assert answer["status"] == "" and answer["href"] is None and answer["source"] is None
    # The category index is an array of codes (Statistics Norway writes an object).
    assert answer["dimension"]["GEO"]["category"]["index"] == ["0", "0301"]
    assert answer["dimension"]["AAR"]["category"]["label"] == {"2023_2023": "2021-2023"}
    assert answer["id"] == ALL_DIMENSIONS and answer["size"] == [2, 1, 1, 2, 1, 1]
    assert all(isinstance(v, float) for v in answer["value"])  # Oslo and the country: shown


def test_a_hidden_cell_holds_its_flag_inside_value(simulator: Simulator) -> None:
    # All municipalities for the newest window: some are too small to be shown.
    everyone = body(GEO=("all", ["*"]), INNVKAT=("item", ["2"]))
    values = post(simulator, everyone).json()["value"]
    assert ":" in values and any(isinstance(v, float) for v in values)
    assert all(v == ":" or isinstance(v, float) for v in values)


def test_every_dimension_needs_exactly_one_filter(simulator: Simulator) -> None:
    payload = body()
    payload["dimensions"] = [d for d in payload["dimensions"] if d["code"] != "MAAL"]
    answer = post(simulator, payload)
    assert answer.status_code == 400 and "MAAL" in answer.json()["status"]
    twice = body()
    twice["dimensions"].append({"code": "AAR", "filter": "top", "values": ["1"]})
    assert post(simulator, twice).status_code == 400


def test_top_is_the_oldest_and_bottom_the_newest(simulator: Simulator) -> None:
    # The opposite of Statistics Norway's top (a third party measured it on FHI's API).
    oldest = post(simulator, body(AAR=("top", ["1"]))).json()
    newest = post(simulator, body(AAR=("bottom", ["2"]))).json()
    assert oldest["dimension"]["AAR"]["category"]["index"] == ["2006_2006"]
    assert newest["dimension"]["AAR"]["category"]["index"] == ["2022_2022", "2023_2023"]


def test_all_takes_wildcards(simulator: Simulator) -> None:
    answer = post(simulator, body(GEO=("all", ["03*"]))).json()
    assert answer["dimension"]["GEO"]["category"]["index"] == ["03", "0301"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"GEO": ("item", ["9999"])}, "Category 9999 does not exist"),
        ({"AAR": ("last", ["1"])}, "Unknown filter last"),
        ({"AAR": ("top", ["0"])}, "at least 1"),
    ],
)
def test_a_bad_filter_is_refused_with_its_reason(
    simulator: Simulator, change: dict, reason: str
) -> None:
    answer = post(simulator, body(**change))
    assert answer.status_code == 400 and reason in answer.json()["status"]


def test_more_rows_than_max_row_count_are_refused(simulator: Simulator) -> None:
    payload = body(GEO=("all", ["*"]), AAR=("all", ["*"]))
    payload["response"]["maxRowCount"] = 1000
    answer = post(simulator, payload)
    assert answer.status_code == 400 and "maxRowCount 1000" in answer.json()["status"]
    payload["response"]["maxRowCount"] = 50_000
    assert post(simulator, payload).status_code == 200


def test_unknown_tables_and_methods(simulator: Simulator) -> None:
    assert post(simulator, body(), table="999999").status_code == 404
    assert (
        requests.get(f"{simulator.fhi_base}/nokkel/Table/583/data", timeout=10).status_code == 405
    )
    lower = requests.get(f"{simulator.fhi_base}/nokkel/table/583/dimension", timeout=10)
    assert lower.status_code == 200  # FHI's samples write the path both ways


# --- the adapter --------------------------------------------------------------------------------


def test_metadata_flattens_the_nested_categories(simulator: Simulator) -> None:
    spec = next(s for s in load_sources() if s.provider == "fhi")
    endpoint = make_endpoints(fast_settings(Path("unused"), simulator))["fhi"]
    meta = read_metadata(spec, endpoint)
    geo = meta.variables["GEO"].values
    assert list(geo)[:3] == ["0", "03", "0301"] and len(geo) == 1 + 15 + 357
    assert meta.variables["AAR"].time and meta.variables["AAR"].values["2006_2006"] == "2004-2006"
    assert not any(v.elimination for v in meta.variables.values())
    assert meta.title == "Vedvarende lavinntekt" and meta.labels.keys() == {"nb"}
    assert meta.notes["nb"] == [": = Verdien kan ikke vises (simulert forklaring)"]


def test_flags_become_missing_cells_with_their_symbol() -> None:
    document = {"value": [1.5, ":", 2], "status": "", "role": {"time": None, "metric": ["M"]}}
    prepared = fhi.prepare_answer(document)
    assert prepared["value"] == [1.5, None, 2] and prepared["status"] == {"1": ":"}
    assert prepared["role"] == {"metric": ["M"]}
    with pytest.raises(ValueError, match="as text"):
        fhi.prepare_answer({"value": [1.5, "2.5"]})


def test_periods_are_stored_as_the_windows_fhi_labels() -> None:
    assert fhi.period_label("2023_2023", "2021-2023") == "2021-2023"
    assert fhi.period_label("2023_2023", "2023") == "2023"
    with pytest.raises(ValueError, match="not a year"):
        fhi.period_label("2023_2023", "siste periode")
    with pytest.raises(ValueError, match="another year"):
        fhi.period_label("2023_2023", "2020-2022")


@pytest.fixture(scope="module")
def low_income(simulator: Simulator) -> Iterator[tuple]:
    spec = next(s for s in load_sources() if s.provider == "fhi")
    settings = replace(fast_settings(Path("unused"), simulator), retries=1, read_timeout=1.0)
    endpoint = make_endpoints(settings)["fhi"]
    yield spec, endpoint, read_metadata(spec, endpoint)


def test_the_table_loads_with_its_periods_and_hidden_cells(low_income: tuple) -> None:
    spec, endpoint, meta = low_income
    table = fetch_table(spec, meta, endpoint)
    frame = table.frame
    assert sorted(frame["tid"].unique())[0] == "2004-2006"
    assert sorted(frame["tid"].unique())[-1] == "2021-2023"
    assert set(frame["region"]) == {"0"} | {c for c in meta.variables["GEO"].values if len(c) == 4}
    hidden = frame[frame["value"].isna()]
    assert len(hidden) > 0 and set(hidden["status"]) == {":"}
    assert frame["note"].isna().all()  # the empty status string is not a note on every cell
    # A comparison group hidden in every window while the immigrants' figure is shown.
    wide = frame.pivot_table(index=["region", "tid"], columns="innvkat", values="value")
    both = frame.groupby("region").apply(
        lambda g: (
            g.loc[g["innvkat"] == "20", "value"].isna().all()
            and g.loc[g["innvkat"] == "2", "value"].notna().any()
        ),
        include_groups=False,
    )
    assert both.any() and len(wide) > 0
    ((part,),) = [[p.provider_cells for p in table.provenance]]
    assert part == 358 * 18 * 2 and table.provenance[0].url.endswith("/nokkel/Table/583/data")


def test_a_smaller_row_limit_splits_the_request(simulator: Simulator, low_income: tuple) -> None:
    spec, endpoint, meta = low_income
    small = Endpoint(endpoint.base_url, 5_000, endpoint.client)
    simulator.clear_requests()
    split = fetch_table(spec, meta, small)
    assert len(split.provenance) == 3 and all(p.provider_cells <= 5_000 for p in split.provenance)
    whole = fetch_table(spec, meta, endpoint)
    columns = list(whole.frame.columns)
    pd.testing.assert_frame_equal(
        split.frame.sort_values(columns[:-3]).reset_index(drop=True),
        whole.frame.sort_values(columns[:-3]).reset_index(drop=True),
    )


def test_a_changed_period_label_fails(simulator: Simulator, low_income: tuple) -> None:
    spec, endpoint, _ = low_income
    simulator.inject(
        "relabel", provider="fhi", dimension="AAR", code="2023_2023", label="siste periode"
    )
    try:
        meta = read_metadata(spec, endpoint)
    finally:
        simulator.clear_faults()
    with pytest.raises(LoadError, match="period 2023_2023 is labelled 'siste periode'"):
        fetch_table(spec, meta, endpoint)

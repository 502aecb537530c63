"""Tests for loaders.jsonstat: shapes from DST and SSB, edge cases, errors, and conformance
against pyjstat on the official sample files in tests/fixtures/jsonstat-samples/."""

from __future__ import annotations

import copy
import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyjstat.pyjstat as pyjstat
import pytest

from loaders.jsonstat import DatasetInfo, JsonStatError, dataset_info, decode, decode_all

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "jsonstat-samples"


def dimension(label: str, labels: dict[str, str], **category: Any) -> dict[str, Any]:
    """A dimension as both providers write it: the codes' positions in `index` (an object),
    their labels, and anything else of the category (a unit)."""
    index = {code: i for i, code in enumerate(labels)}
    return {"label": label, "category": {"index": index, "label": labels, **category}}


# The example from shared/reference/tables/dst_response_shape.md (not real numbers).
DST_FOLK1E: dict[str, Any] = {
    "dataset": {
        "dimension": {
            "OMRÅDE": dimension("område", {"101": "København", "147": "Frederiksberg"}),
            "HERKOMST": dimension(
                "herkomst",
                {
                    "25": "Indvandrere fra ikke-vestlige lande",
                    "35": "Efterkommere fra ikke-vestlige lande",
                },
            ),
            "ContentsCode": dimension("Indhold", {"FOLK1E": "Befolkningen den 1. i kvartalet"}),
            "Tid": dimension("tid", {"2025K1": "2025K1"}),
            "id": ["OMRÅDE", "HERKOMST", "ContentsCode", "Tid"],
            "size": [2, 2, 1, 1],
            "role": {"geo": ["OMRÅDE"], "metric": ["ContentsCode"], "time": ["Tid"]},
        },
        "label": "Befolkningen den 1. i kvartalet efter område, herkomst og tid",
        "source": "Danmarks Statistik",
        "updated": "2025-05-11T06:00:00Z",
        "value": [11111, 2222, None, 333],
    }
}

# The example from shared/reference/tables/ssb_response_shape.md (not real numbers).
SSB_11607: dict[str, Any] = {
    "version": "2.0",
    "class": "dataset",
    "label": "11607: Sysselsatte, etter region, alder, kjønn, landbakgrunn og år",
    "source": "Statistisk sentralbyrå",
    "updated": "2024-06-01T06:00:00Z",
    "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
    "id": ["Region", "Alder", "Kjonn", "Landbakgrunn", "ContentsCode", "Tid"],
    "size": [1, 1, 1, 2, 1, 1],
    "dimension": {
        "Region": dimension("region", {"4001": "Porsgrunn"}),
        "Alder": dimension("alder", {"15-74": "15-74 år"}),
        "Kjonn": dimension("kjønn", {"0": "Begge kjønn"}),
        "Landbakgrunn": dimension(
            "landbakgrunn",
            {"zzz": "Befolkningen eksklusive innvandrere", "eee": "Landgruppe 2"},
        ),
        "ContentsCode": dimension(
            "statistikkvariabel",
            {"Sysselsatte2": "Sysselsatte i prosent av befolkningen"},
            unit={"Sysselsatte2": {"base": "prosent", "decimals": 1}},
        ),
        "Tid": dimension("år", {"2023": "2023"}),
    },
    "value": [70.1, None],
    "status": {"1": ":"},
}


def small_2_0(value: Any = None, status: Any = None, **dims: list[str]) -> dict[str, Any]:
    """A hand-written JSON-stat 2.0 dataset; dimensions given as id -> codes (index arrays)."""
    dims = dims or {"sex": ["T", "M", "F"]}
    doc: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "id": list(dims),
        "size": [len(codes) for codes in dims.values()],
        "dimension": {d: {"label": d, "category": {"index": codes}} for d, codes in dims.items()},
        "value": value if value is not None else list(range(math.prod(map(len, dims.values())))),
    }
    if status is not None:
        doc["status"] = status
    return doc


def read_with_pyjstat(dataset: dict[str, Any]) -> pd.DataFrame:
    """pyjstat's reading of one dataset, columns named by dimension id.

    Two repairs let pyjstat 2.4 run under pandas 3 on the samples; neither changes the data:
    - a dimension without a category index makes pyjstat look up row [0] of a label-indexed
      Series, which pandas 3 no longer allows, so it gets the one-item index the spec implies;
    - QS104EW declares size 8965 for a dimension listing one category, so pyjstat builds more
      value slots than rows and fails; it gets the listed counts. That is exact only when the
      first dimension alone is trimmed (no stride depends on the first size), so check that.
    """
    ds = copy.deepcopy(dataset)
    dimension = ds["dimension"]
    holder = ds if "id" in ds else dimension
    counts = []
    for dim_id in holder["id"]:
        category = dimension[dim_id]["category"]
        if "index" not in category:
            category["index"] = list(category["label"])
        counts.append(len(category["index"]))
    assert counts[1:] == holder["size"][1:], "only a trimmed first dimension can be repaired"
    holder["size"] = counts
    document = ds if "class" in ds else {"dataset": ds}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pyjstat.Dataset.read(json.dumps(document)).write("dataframe", naming="id")


def assert_agrees_with_pyjstat(ours: pd.DataFrame, dataset: dict[str, Any]) -> None:
    """Same rows in the same order: dimension codes and values (NaN == NaN)."""
    theirs = read_with_pyjstat(dataset)
    dims = [c for c in ours.columns if c not in ("value", "status")]
    assert list(theirs.columns) == [*dims, "value"]
    assert len(theirs) == len(ours)
    for dim in dims:
        assert theirs[dim].astype(str).tolist() == ours[dim].tolist(), dim
    their_values = pd.to_numeric(theirs["value"]).to_numpy(dtype=np.float64)
    assert np.array_equal(ours["value"].to_numpy(), their_values, equal_nan=True)


# --- the providers' shapes --------------------------------------------------------------------


def test_dst_wrapped_1_0_with_null() -> None:
    df = decode(json.dumps(DST_FOLK1E))
    assert list(df.columns) == ["OMRÅDE", "HERKOMST", "ContentsCode", "Tid", "value", "status"]
    assert df["OMRÅDE"].tolist() == ["101", "101", "147", "147"]
    assert df["HERKOMST"].tolist() == ["25", "35", "25", "35"]
    assert (df["ContentsCode"] == "FOLK1E").all()
    assert (df["Tid"] == "2025K1").all()
    assert df["value"].dtype == np.float64
    assert np.array_equal(df["value"], [11111, 2222, np.nan, 333], equal_nan=True)
    assert df["status"].tolist() == [None] * 4
    assert_agrees_with_pyjstat(df, DST_FOLK1E["dataset"])


def test_1_0_unwrapped_equals_wrapped() -> None:
    pd.testing.assert_frame_equal(decode(DST_FOLK1E["dataset"]), decode(DST_FOLK1E))


def test_ssb_2_0_with_status_object() -> None:
    df = decode(json.dumps(SSB_11607).encode("utf-8"))
    assert list(df.columns) == [*SSB_11607["id"], "value", "status"]
    assert df["Landbakgrunn"].tolist() == ["zzz", "eee"]
    assert df["value"].iloc[0] == pytest.approx(70.1)
    assert math.isnan(df["value"].iloc[1])
    assert df["status"].tolist() == [None, ":"]
    assert_agrees_with_pyjstat(df, SSB_11607)


def test_status_keeps_ssb_symbols() -> None:
    symbols = ["..", "...", ":", ".", "-"]
    doc = small_2_0(
        value=[None] * 5 + [1.0],
        status={str(i): s for i, s in enumerate(symbols)},
        cell=[f"c{i}" for i in range(6)],
    )
    df = decode(doc)
    assert df["status"].tolist() == [*symbols, None]
    assert df["status"].dtype == object  # None stays None (pandas' str dtype would make it NaN)


def test_dimension_columns_behave_as_str() -> None:
    # Documented: dimension columns are Categoricals of the codes, for speed and memory.
    df = decode(DST_FOLK1E)
    assert isinstance(df["OMRÅDE"].dtype, pd.CategoricalDtype)
    assert (df["OMRÅDE"] == "147").tolist() == [False, False, True, True]
    assert df["OMRÅDE"].isin(["101"]).sum() == 2
    assert df["OMRÅDE"].astype(str).tolist() == ["101", "101", "147", "147"]
    assert df["HERKOMST"].str.startswith("3").tolist() == [False, True, False, True]
    assert all(type(code) is str for code in df["HERKOMST"].tolist())
    assert list(df["OMRÅDE"].cat.categories) == ["101", "147"]  # in index order


def test_decoded_frame_is_writable() -> None:
    df = decode(small_2_0(value=[1, 2, 3]))
    df.loc[0, "sex"] = "F"  # an existing code
    df.loc[1, "status"] = "e"
    df.loc[2, "value"] = 9.0
    df["sex"] = df["sex"].astype(str)  # a new code needs plain str first
    df.loc[1, "sex"] = "X"
    assert df["sex"].tolist() == ["F", "X", "F"]
    assert df["status"].tolist() == [None, "e", None]
    assert df["value"].tolist() == [1.0, 2.0, 9.0]


def test_input_as_str_bytes_bom_or_dict() -> None:
    text = json.dumps(SSB_11607, ensure_ascii=False)
    expected = decode(SSB_11607)
    for data in (text, text.encode("utf-8"), text.encode("utf-8-sig"), "\ufeff" + text):
        pd.testing.assert_frame_equal(decode(data), expected)


def test_input_dict_is_not_modified() -> None:
    doc = copy.deepcopy(SSB_11607)
    decode(doc)
    assert doc == SSB_11607


# --- value, status and index variants ---------------------------------------------------------


def test_value_as_sparse_object() -> None:
    df = decode(small_2_0(value={"0": 5, "2": 7.5}))
    assert np.array_equal(df["value"], [5.0, np.nan, 7.5], equal_nan=True)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (["a", None, "b"], ["a", None, "b"]),
        ({"1": ".."}, [None, "..", None]),
        ("p", ["p", "p", "p"]),
        (["e"], ["e", "e", "e"]),  # a one-item array applies to every cell (1.0 samples)
    ],
    ids=["array", "object", "single-string", "one-item-array"],
)
def test_status_variants(status: Any, expected: list[str | None]) -> None:
    assert decode(small_2_0(status=status))["status"].tolist() == expected


def test_category_index_array_and_object_agree() -> None:
    as_array = small_2_0(value=[1, 2, 3])
    as_object = copy.deepcopy(as_array)
    # Written out of order on purpose: the position decides, not the key order.
    as_object["dimension"]["sex"]["category"]["index"] = {"F": 2, "T": 0, "M": 1}
    pd.testing.assert_frame_equal(decode(as_array), decode(as_object))
    assert decode(as_object)["sex"].tolist() == ["T", "M", "F"]


def test_missing_index_uses_the_label_key() -> None:
    doc = small_2_0(value=[1, 2], year=["2012"], sex=["M", "F"])
    doc["dimension"]["year"]["category"] = {"label": {"2012": "Year 2012"}}
    df = decode(doc)
    assert df["year"].tolist() == ["2012", "2012"]
    assert dataset_info(doc).dimensions["year"].categories == {"2012": "Year 2012"}


def test_row_major_order_cell_by_cell() -> None:
    a, b, c = ["a0", "a1"], ["b0", "b1", "b2"], ["c0", "c1"]
    df = decode(small_2_0(value=[10 * i for i in range(12)], A=a, B=b, C=c))
    assert len(df) == 12
    for i, code_a in enumerate(a):
        for j, code_b in enumerate(b):
            for k, code_c in enumerate(c):
                flat = (i * len(b) + j) * len(c) + k  # the last dimension varies fastest
                row = df.iloc[flat]
                assert (row["A"], row["B"], row["C"]) == (code_a, code_b, code_c)
                assert row["value"] == 10 * flat


def test_many_categories() -> None:
    # Positions switch from int8 to int16 past 128 categories; check both sides of that line.
    for n in (128, 129, 40_000):
        codes = [f"k{i}" for i in range(n)]
        df = decode(small_2_0(value=list(range(2 * n)), geo=codes, sex=["M", "F"]))
        assert df["geo"].iloc[-1] == codes[-1] and df["geo"].iloc[-3] == codes[-2]
        assert df["geo"].tolist()[::2] == codes


def test_repeated_category_code() -> None:
    with pytest.raises(JsonStatError, match="repeats a category"):
        decode(small_2_0(sex=["M", "M", "F"]))


def test_zero_categories_gives_an_empty_frame() -> None:
    df = decode(small_2_0(value=[], sex=[], age=["0", "1"]))
    assert list(df.columns) == ["sex", "age", "value", "status"]
    assert len(df) == 0


def test_declared_size_larger_than_listed_categories_with_data_outside() -> None:
    doc = small_2_0(value={"0": 1, "5": 2}, geo=["g1"], sex=["T", "M", "F"])
    doc["size"] = [2, 3]  # a second geo is declared but not listed, and cell 5 is in it
    with pytest.raises(JsonStatError, match="unlisted cells"):
        decode(doc)


# --- bundles, collections and metadata --------------------------------------------------------


def test_bundle_decode_all_and_decode() -> None:
    bundle = {"folk": DST_FOLK1E["dataset"], "small": small_2_0()}
    bundle["small"].pop("class")
    bundle["small"].pop("version")
    frames = decode_all(bundle)
    assert list(frames) == ["folk", "small"]
    assert len(frames["folk"]) == 4 and len(frames["small"]) == 3
    with pytest.raises(JsonStatError, match="holds 2 datasets.*decode_all"):
        decode(bundle)


def test_collection_with_embedded_datasets() -> None:
    collection = {
        "version": "2.0",
        "class": "collection",
        "link": {
            "item": [
                {**small_2_0(value=[1, 2, 3]), "href": "https://example.org/a"},
                {"class": "dataset", "href": "https://example.org/b", "label": "just a link"},
            ]
        },
    }
    frames = decode_all(collection)
    assert list(frames) == ["https://example.org/a"]
    assert frames["https://example.org/a"]["value"].tolist() == [1.0, 2.0, 3.0]
    pd.testing.assert_frame_equal(decode(collection), frames["https://example.org/a"])


def test_dataset_info_dst_and_ssb() -> None:
    info = dataset_info(DST_FOLK1E)
    assert isinstance(info, DatasetInfo)
    assert info.source == "Danmarks Statistik"
    assert info.updated == "2025-05-11T06:00:00Z"
    assert info.ids == ["OMRÅDE", "HERKOMST", "ContentsCode", "Tid"]
    assert info.sizes == [2, 2, 1, 1]
    assert info.dimensions["OMRÅDE"].label == "område"
    assert list(info.dimensions["OMRÅDE"].categories.items()) == [
        ("101", "København"),
        ("147", "Frederiksberg"),
    ]
    assert info.role == {"geo": ["OMRÅDE"], "metric": ["ContentsCode"], "time": ["Tid"]}

    ssb = dataset_info(json.dumps(SSB_11607))
    assert ssb.label is not None and ssb.label.startswith("11607")
    assert ssb.role["geo"] == ["Region"]
    assert ssb.dimensions["Landbakgrunn"].categories["eee"] == "Landgruppe 2"


def test_dataset_info_needs_no_values() -> None:
    metadata_only = {k: v for k, v in SSB_11607.items() if k not in ("value", "status")}
    assert dataset_info(metadata_only).ids == SSB_11607["id"]
    with pytest.raises(JsonStatError, match="no 'value'"):
        decode(metadata_only)


# --- errors -----------------------------------------------------------------------------------


def test_size_and_id_length_mismatch() -> None:
    doc = small_2_0()
    doc["size"] = [3, 1]
    with pytest.raises(JsonStatError, match="'id' names 1 dimensions but 'size' has 2"):
        decode(doc)


def test_value_length_not_product_of_sizes() -> None:
    with pytest.raises(JsonStatError, match="'value' has 2 cells but sizes \\[3\\] make 3"):
        decode(small_2_0(value=[1, 2]))


@pytest.mark.parametrize("bad", ["12", "..", True, {"x": 1}])
def test_non_numeric_value(bad: Any) -> None:
    with pytest.raises(JsonStatError, match="non-numeric .* at position 1"):
        decode(small_2_0(value=[1, bad, None]))


@pytest.mark.parametrize("version", ["3.0", "banana", 0.9])
def test_unknown_version(version: Any) -> None:
    doc = small_2_0()
    doc["version"] = version
    with pytest.raises(JsonStatError, match="unknown JSON-stat version"):
        decode(doc)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"version": "2.0", "class": "weird"}, "unknown JSON-stat class"),
        ({"errorTypeCode": "EXTRACT-NOTFOUND", "message": "x"}, "no JSON-stat dataset found"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_not_a_dataset(doc: Any, message: str) -> None:
    with pytest.raises(JsonStatError, match=message):
        decode(json.dumps(doc))


def test_invalid_json() -> None:
    with pytest.raises(JsonStatError, match="not valid JSON"):
        decode('{"dataset": ')


def test_index_position_out_of_range() -> None:
    doc = small_2_0()
    doc["dimension"]["sex"]["category"]["index"] = {"T": 0, "M": 1, "F": 3}
    with pytest.raises(JsonStatError, match="position 3, outside 0..2"):
        decode(doc)


def test_sparse_key_outside_the_cube() -> None:
    with pytest.raises(JsonStatError, match="outside 0..2"):
        decode(small_2_0(value={"3": 1}))


def test_error_is_a_value_error() -> None:
    assert issubclass(JsonStatError, ValueError)


# --- the official samples (tests/fixtures), against pyjstat ---------------------------------------

SAMPLE_DATASETS = {
    "oecd-canada.json": ["oecd", "canada"],
    "QS104EW.json": ["QS104EW"],
    "statswe.json": ["dataset"],
}
SAMPLE_REJECTED = {
    "collection.json": "collection holds links only, no data",
    "dimension.json": "this is a dimension document, not a dataset",
    "sample_data.json": "has no 'value' member.*measure",
}


def read_sample(name: str) -> str:
    path = SAMPLES / name
    assert path.is_file(), f"{path} missing (see tests/fixtures/README.md)"
    return path.read_text(encoding="utf-8")


def test_every_sample_file_is_covered() -> None:
    on_disk = {p.name for p in SAMPLES.glob("*.json")}
    assert on_disk == set(SAMPLE_DATASETS) | set(SAMPLE_REJECTED)


@pytest.mark.parametrize("name", sorted(SAMPLE_DATASETS))
def test_sample_dataset_agrees_with_pyjstat(name: str) -> None:
    text = read_sample(name)
    frames = decode_all(text)
    assert list(frames) == SAMPLE_DATASETS[name]
    document = json.loads(text)
    for dataset_name, ours in frames.items():
        assert len(ours) > 0
        assert_agrees_with_pyjstat(ours, document[dataset_name])


@pytest.mark.parametrize("name", sorted(SAMPLE_REJECTED))
def test_sample_non_dataset_is_rejected_clearly(name: str) -> None:
    with pytest.raises(JsonStatError, match=SAMPLE_REJECTED[name]):
        decode_all(read_sample(name))


def test_sample_statuses_survive() -> None:
    frames = decode_all(read_sample("oecd-canada.json"))
    assert frames["oecd"]["status"].value_counts().to_dict() == {"e": 72}
    assert set(frames["canada"]["status"]) == {"a"}


def test_sample_qs104ew_trimmed_size() -> None:
    df = decode(read_sample("QS104EW.json"))
    # value keys 0, 1, 2 are the sex categories at index positions 0, 1, 2
    assert df["CL_0000035"].tolist() == ["CI_0000121", "CI_0000071", "CI_0000070"]
    assert df["value"].tolist() == [56075912, 27573376, 28502536]
    assert dataset_info(read_sample("QS104EW.json")).sizes == [8965, 3, 1, 1]


def test_sample_with_measure_key_decodes_once_renamed() -> None:
    # Handled on purpose: the file uses "measure" instead of "value"; renaming it is the
    # caller's decision, after which it decodes and agrees with pyjstat.
    document = json.loads(read_sample("sample_data.json"))
    document["dataset"]["value"] = document["dataset"].pop("measure")
    df = decode(document)
    assert df["sex"].tolist() == ["M", "F", "T"]
    assert_agrees_with_pyjstat(df, document["dataset"])

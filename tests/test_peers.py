"""Peer groups: size bands, similar municipalities (distances worked by hand), URL groups."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd
import pytest

from indicators.peers import SIZE_BANDS, decode_group, encode_group, find_similar, size_band
from locales.words import size_band_label

# --------------------------------------------------------------------------------------------
# Size bands
# --------------------------------------------------------------------------------------------


def test_seven_contiguous_bands_with_three_languages() -> None:
    assert len(SIZE_BANDS) == 7
    assert SIZE_BANDS[0].upper is None and SIZE_BANDS[-1].lower == 0
    for larger, smaller in zip(SIZE_BANDS, SIZE_BANDS[1:], strict=False):
        assert smaller.upper == larger.lower
    assert size_band_label("20k_50k", "en") == "20,000–49,999"
    assert size_band_label("20k_50k", "da") == "20.000–49.999"
    assert size_band_label("50k_plus", "nb") == "50\u00a0000 eller flere"
    assert size_band_label("under_1k", "en") == "Under 1,000"


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (0, "under_1k"),
        (999, "under_1k"),
        (1_000, "1k_2k"),  # lower bound inclusive
        (1_999, "1k_2k"),
        (2_000, "2k_5k"),
        (4_999, "2k_5k"),
        (5_000, "5k_10k"),
        (9_999, "5k_10k"),
        (10_000, "10k_20k"),
        (19_999, "10k_20k"),
        (20_000, "20k_50k"),
        (49_999, "20k_50k"),
        (50_000, "50k_plus"),
        (709_037, "50k_plus"),
    ],
)
def test_size_band_boundaries(population: int, band: str) -> None:
    assert size_band(population) == band


def test_size_band_missing_and_negative() -> None:
    assert size_band(None) is None
    assert size_band(float("nan")) is None
    with pytest.raises(ValueError, match="negative"):
        size_band(-1)


# --------------------------------------------------------------------------------------------
# Similar municipalities
# --------------------------------------------------------------------------------------------


@pytest.fixture()
def features() -> pd.DataFrame:
    # share (%):  10, 10, 30, 30 -> mean 20, population SD 10  -> z = -1, -1, +1, +1
    # emp (0-1): .7, .5, .7, .5  -> mean .6, population SD .1 -> z = +1, -1, +1, -1
    return pd.DataFrame(
        {"share": [10.0, 10.0, 30.0, 30.0], "emp": [0.7, 0.5, 0.7, 0.5], "name": list("FPQR")},
        index=pd.Index(["101", "147", "151", "153"], name="code"),
    )


def test_find_similar_equal_weights(features: pd.DataFrame) -> None:
    # Focus 101 has z = (-1, +1). Distance = sqrt(sum w * dz² / sum w):
    #   147: dz = (0, 2) -> sqrt((0 + 4) / 2) = sqrt(2)
    #   151: dz = (2, 0) -> sqrt((4 + 0) / 2) = sqrt(2)   (tie: broken by code)
    #   153: dz = (2, 2) -> sqrt((4 + 4) / 2) = 2
    result = find_similar(features, "101", {"share": 1, "emp": 1})
    assert result["code"].to_list() == ["147", "151", "153"]
    assert result["distance"].to_list() == pytest.approx([math.sqrt(2), math.sqrt(2), 2.0])
    assert result["rank"].to_list() == [1, 2, 3]
    assert result.columns.to_list() == [
        "code",
        "distance",
        "rank",
        "share_peer",
        "share_focus",
        "share_sd",
        "emp_peer",
        "emp_focus",
        "emp_sd",
        "closest",
    ]
    # Raw values, not z-scores, so the page can show why each peer was chosen.
    assert result.loc[0, ["share_peer", "share_focus", "emp_peer", "emp_focus"]].to_list() == [
        10.0,
        10.0,
        0.5,
        0.7,
    ]
    # Why: the variables on which 147 is closest, as codes, and how far apart in SD.
    assert result.loc[0, "closest"] == "share,emp"
    assert result.loc[0, ["share_sd", "emp_sd"]].to_list() == pytest.approx([0.0, 2.0])
    assert result.attrs["dropped"] == []


@pytest.mark.parametrize(
    ("weights", "order", "distances"),
    [
        # share counts 3x: 147 sqrt((3*0 + 1*4) / 4) = 1, 151 sqrt((3*4 + 0) / 4) = sqrt(3)
        ({"share": 3, "emp": 1}, ["147", "151", "153"], [1.0, math.sqrt(3), 2.0]),
        # emp counts 3x: 147 sqrt((0 + 3*4) / 4) = sqrt(3), 151 sqrt((4 + 0) / 4) = 1
        ({"share": 1, "emp": 3}, ["151", "147", "153"], [1.0, math.sqrt(3), 2.0]),
        # emp left out (weight 0): only share matters, 147 is identical
        ({"share": 1, "emp": 0}, ["147", "151", "153"], [0.0, 2.0, 2.0]),
    ],
)
def test_weights_change_the_answer(features, weights, order, distances) -> None:
    result = find_similar(features, "101", weights)
    assert result["code"].to_list() == order
    assert result["distance"].to_list() == pytest.approx(distances)
    if weights["emp"] == 0:
        assert "emp_peer" not in result.columns


def test_k_limits_the_peers(features: pd.DataFrame) -> None:
    result = find_similar(features, "101", {"share": 1, "emp": 1}, k=1)
    assert result["code"].to_list() == ["147"]
    assert "101" not in find_similar(features, "101", {"share": 1}, k=50)["code"].to_list()


def test_rows_missing_a_used_variable_are_dropped_and_reported(features: pd.DataFrame) -> None:
    features.loc["155"] = [np.nan, 0.6, "S"]
    # share is standardised over its four values as before: z = -1, -1, +1, +1.
    # emp now has five values .7, .5, .7, .5, .6: mean .6, SD sqrt(4 * .01 / 5) = .089443,
    # so z(.7) = .1 / .089443 = 1.118034 and z(.5) = -1.118034.
    #   147: dz = (0, 2.236068) -> sqrt((0 + 5) / 2) = 1.581139
    #   151: dz = (2, 0)        -> sqrt((4 + 0) / 2) = 1.414214   (now nearer than 147)
    #   153: dz = (2, 2.236068) -> sqrt((4 + 5) / 2) = 2.121320
    result = find_similar(features, "101", {"share": 1, "emp": 1})
    assert result["code"].to_list() == ["151", "147", "153"]
    assert result["distance"].to_list() == pytest.approx([1.414214, 1.581139, 2.121320])
    assert result.attrs["dropped"] == ["155"]

    # 155 has emp, so it is kept when only emp is used: |0 - 1.118034| = 1.118034.
    only_emp = find_similar(features, "101", {"emp": 1})
    assert only_emp["code"].to_list() == ["151", "155", "147", "153"]
    assert only_emp["distance"].to_list()[:2] == pytest.approx([0.0, 1.118034])
    assert only_emp.attrs["dropped"] == []


def test_constant_column_adds_nothing(features: pd.DataFrame) -> None:
    features["flat"] = 5.0
    with_flat = find_similar(features, "101", {"share": 1, "flat": 1})
    # share: dz 0 / 2 / 2; flat: dz 0 everywhere -> sqrt(4 / 2) = sqrt(2) for 151 and 153.
    assert with_flat["distance"].to_list() == pytest.approx([0.0, math.sqrt(2), math.sqrt(2)])


def test_find_similar_errors(features: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"unknown focus municipality '999'.*101, 147, 151, 153"):
        find_similar(features, "999", {"share": 1})
    with pytest.raises(ValueError, match=r"'pop'.*valid names: share, emp, name"):
        find_similar(features, "101", {"pop": 1})
    with pytest.raises(ValueError, match="not numeric"):
        find_similar(features, "101", {"name": 1})
    with pytest.raises(ValueError, match=">= 0"):
        find_similar(features, "101", {"share": -1})
    with pytest.raises(ValueError, match="at least one weight"):
        find_similar(features, "101", {"share": 0})
    with pytest.raises(ValueError, match="k must be"):
        find_similar(features, "101", {"share": 1}, k=0)
    features.loc["101", "emp"] = np.nan
    with pytest.raises(ValueError, match="focus '101' has no value for: emp"):
        find_similar(features, "101", {"share": 1, "emp": 1})


# --------------------------------------------------------------------------------------------
# Named groups in the URL
# --------------------------------------------------------------------------------------------


def test_encode_group_is_readable() -> None:
    assert encode_group("Vestegns-netvaerk", ["151", "153", "165"]) == (
        "Vestegns-netvaerk~151,153,165"
    )
    assert decode_group("Vestegns-netvaerk~151,153,165") == (
        "Vestegns-netvaerk",
        ["151", "153", "165"],
    )


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("Vestegns netværk", ["151", "153", "165"]),
        ("Oslo & omegn, Viken~gruppe", ["0301", "3201"]),  # leading zeros kept
        ("A+B = ?/#", ["101"]),
    ],
)
def test_group_round_trip_including_through_a_query_string(name, codes) -> None:
    token = encode_group(name, codes)
    assert decode_group(token) == (name, codes)
    # Dash pages hand over query parameters already URL-decoded once: that must decode too.
    decoded_once = parse_qs(urlencode({"group": token}))["group"][0]
    assert decode_group(decoded_once) == (name, codes)


def test_group_repeated_codes_are_dropped() -> None:
    assert encode_group(" Net ", ["151", "153", "151"]) == "Net~151,153"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a group token"),
        ("Vestegn 151,153", "not a group token"),
        ("Vestegn~", "at least one municipality"),
        ("~151", "needs a name"),
        ("Vestegn~151,abc", "strings of digits"),
        ("Vestegn~151,,153", "strings of digits"),
        ("Vestegn~__import__('os')", "strings of digits"),
        ("%C3~151", "not valid percent-encoded UTF-8"),
        ("50%25~151", "may not contain '%'"),
        ("a%0Ab~151", "control characters"),
        ("x" * 81 + "~151", "longer than 80"),
    ],
)
def test_decode_group_rejects_bad_input(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_group(text)


def test_encode_group_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        encode_group("  ", ["151"])
    with pytest.raises(ValueError, match="at least one"):
        encode_group("Net", [])
    with pytest.raises(ValueError, match="strings of digits"):
        encode_group("Net", [151])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="must be text"):
        decode_group(None)  # type: ignore[arg-type]

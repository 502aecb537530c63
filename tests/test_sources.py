"""Request planning, definitions checks and the politeness limiter (no network)."""

from __future__ import annotations

import pytest

from errors import BarometerError
from indicators.registry import DefinitionError, list_indicators, parse_definition
from loaders.http import RateLimiter
from loaders.sources import column_name, count_cells, load_sources, split_selection


def test_split_keeps_every_cell_once_and_under_limit() -> None:
    selection = {"A": [str(i) for i in range(100)], "B": ["x", "y", "z"], "Tid": ["1", "2"]}
    parts = split_selection(selection, limit=50)
    assert all(count_cells(part) <= 50 for part in parts)
    cells = {(a, b, t) for p in parts for a in p["A"] for b in p["B"] for t in p["Tid"]}
    assert len(cells) == 600 == sum(count_cells(p) for p in parts)


def test_split_respects_fixed_variables() -> None:
    selection = {"Region": [str(i) for i in range(10)], "Tid": ["1", "2", "3", "4"]}
    parts = split_selection(selection, limit=20, fixed=frozenset({"Region"}))
    assert all(part["Region"] == selection["Region"] for part in parts)
    assert [part["Tid"] for part in parts] == [["1", "2"], ["3", "4"]]


def test_split_that_cannot_fit_says_so() -> None:
    with pytest.raises(BarometerError, match="cannot be split"):
        split_selection({"A": ["1", "2", "3"]}, limit=2, fixed=frozenset({"A"}))


def test_column_names_are_plain() -> None:
    assert column_name("OMRÅDE") == "omraade"
    assert column_name("KØN") == "koen"
    assert column_name("Tid") == "tid"


def test_sources_file_reads() -> None:
    specs = load_sources()
    assert {(s.provider, s.table) for s in specs} >= {("dst", "FOLK1E"), ("ssb", "09817")}


def test_rate_limiter_waits_for_the_window() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(calls=30, period=60.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(30):
        limiter.wait()
        now[0] += 0.5  # 30 calls in 15 s
    assert slept == []
    limiter.wait()  # the 31st call must wait until the first leaves the window
    assert slept == [pytest.approx(60.0 - 15.0)]


def test_definitions_validate() -> None:
    ids = [indicator.id for indicator in list_indicators()]
    assert "nonwestern_share" in ids


def test_unknown_key_in_definition_fails_loudly() -> None:
    data = {
        "id": "x",
        "title": {"en": "x", "da": "x", "nb": "x"},
        "description": {"en": "x", "da": "x", "nb": "x"},
        "unit": "percent",
        "higher_is_better": None,
        "countries": {},
        "colour": "red",
    }
    with pytest.raises(DefinitionError, match="unknown keys \\['colour'\\]"):
        parse_definition(data, "x.yml")

"""sources.yml as data (pydantic), request planning against each provider's cell rule, label
pins checked on metadata, and the politeness limiter. No network."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest

from errors import BarometerError
from indicators.registry import DefinitionError, parse_definition
from loaders.http import RateLimiter
from loaders.pins import check_definitions, check_table
from loaders.sources import (
    CELL_LIMITS,
    TableMeta,
    Variable,
    column_name,
    halve,
    load_sources,
    plan_requests,
    provider_cells,
)

# --- sources.yml ------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """
- provider: dst
  table: FOLK1E
  title: Population
  variables:
    OMRÅDE: {all: true, codes: {"000": {en: All Denmark, da: Hele landet}}}
    HERKOMST: {codes: {"25": {en: "Immigrants from non-western countries"}}}
    Tid: {all: true}
"""


def test_the_projects_sources_file_reads() -> None:
    specs = load_sources()
    assert [(s.provider, s.key) for s in specs] == [
        ("dst", "FOLK1E"),
        ("dst", "RAS201"),
        ("dst", "LIGEUB1"),
        ("dst", "KY038"),
        ("ssb", "09817"),
        ("ssb", "07459"),
        ("ssb", "11607"),
        ("dst", "FOLK1E_MEN_15_29"),
        ("dst", "STRAFNA6"),
        ("dst", "INDOPH1"),
        ("dst", "INDOPH3"),
        ("fhi", "583"),
        ("imdi", "sysselsatte_botid_land"),
        ("imdi", "intro_deltakere"),
        ("imdi", "intro_status_arbutd_avslutta"),
    ]
    by_table = {s.key: s for s in specs}
    # The second FOLK1E load asks the provider for FOLK1E, stored under its own name.
    assert by_table["FOLK1E_MEN_15_29"].table == "FOLK1E"
    assert by_table["FOLK1E_MEN_15_29"].raw_table == "raw_dst_folk1e_men_15_29"
    assert by_table["11607"].source.values == "rates"
    assert by_table["09817"].region_variable == "Region"
    assert by_table["09817"].stored_codes("Landbakgrunn") == ["landgruppe2"]
    # Norway's comparison group is the population excluding immigrants, pinned by its label.
    abc = by_table["11607"].variables["Landbakgrunn"].codes["abc"]
    assert abc.matches("nb", "Befolkningen eksklusive  innvandrere")
    assert not abc.matches("nb", "Innvandrere i alt")
    assert abc.matches("en", "Population excluding immigrants")
    assert not abc.matches("en", "Immigrants, total")


def test_a_good_file(tmp_path: Path) -> None:
    (spec,) = load_sources(write(tmp_path, GOOD))
    assert spec.raw_table == "raw_dst_folk1e"
    assert spec.variables["HERKOMST"].codes["25"].patterns() == {
        "en": "Immigrants from non-western countries"
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  title: Population", "  title: Population\n  colour: red"), "colour"),
        (("Tid: {all: true}", "Tid: {all: true, every: true}"), "Tid.every"),
        (("provider: dst", "provider: scb"), "provider"),
        (("{en: All Denmark, da: Hele landet}", "{en: All Denmark, nb: Hele landet}"), "nb"),
        (('{en: "Immigrants from non-western countries"}', '{en: "Immi(grants"}'), "regular"),
        (("{all: true, codes:", "{all: true, municipalities: true, codes:"), "choose one"),
        (("HERKOMST: {codes:", "HERKOMST: {codelist: x, codes:"), "Statistics Norway"),
        (("Tid: {all: true}", "Tid: {}"), "give codes"),
    ],
)
def test_a_bad_file_fails_naming_the_table_and_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(BarometerError) as caught:
        load_sources(write(tmp_path, text))
    assert "table FOLK1E" in str(caught.value) and message in str(caught.value)


def test_column_names_are_plain() -> None:
    assert column_name("OMRÅDE") == "omraade"
    assert column_name("KØN") == "koen"
    assert column_name("Tid") == "tid"


# --- planning ---------------------------------------------------------------------------------


def test_provider_cells() -> None:
    four = {"OMRÅDE": ["x"] * 100, "ALDER": ["a"] * 50, "HERKOMST": ["h"] * 4, "Tid": ["t"] * 10}
    assert provider_cells("dst", four, "Tid") == 200_000 * 5 == 1_000_000
    assert provider_cells("ssb", four, "Tid") == 200_000
    no_time = {k: v for k, v in four.items() if k != "Tid"}
    assert provider_cells("dst", no_time, "Tid") == 20_000 * 5  # time counts even if not given


def folk1e_selection() -> dict[str, list[str]]:
    return {
        "OMRÅDE": [f"a{i}" for i in range(105)],
        "ALDER": [f"g{i}" for i in range(50)],
        "HERKOMST": ["TOT", "1", "25", "35"],
        "Tid": [f"{y}K{q}" for y in range(2008, 2026) for q in range(1, 5)][:71],
    }


def covered(parts: list, selection: dict[str, list[str]]) -> None:
    """Every cell of `selection` is in exactly one part."""
    seen = [cell for p in parts for cell in itertools.product(*p.selection.values())]
    assert len(seen) == len(set(seen)) == len(list(itertools.product(*selection.values())))


def test_folk1e_is_planned_by_the_dst_rule() -> None:
    selection = folk1e_selection()
    parts = plan_requests("dst", selection, CELL_LIMITS["dst"], "Tid")
    assert len(parts) == 8  # 1,491,000 rows x 5 fields = 7,455,000 cells
    assert [p.cells for p in parts] == [945_000] * 7 + [840_000]
    assert all(p.cells == provider_cells("dst", p.selection, "Tid") for p in parts)
    assert all(p.selection["OMRÅDE"] == selection["OMRÅDE"] for p in parts)  # split in time
    covered(parts, selection)


def test_a_period_too_large_on_its_own_is_halved_along_another_variable() -> None:
    selection = {"Region": [str(i) for i in range(10)], "Land": list("abcd"), "Tid": ["1", "2"]}
    parts = plan_requests("ssb", selection, 15, "Tid")
    assert all(p.cells <= 15 for p in parts)
    assert all(len(p.selection["Tid"]) == 1 for p in parts)
    covered(parts, selection)


def test_a_request_that_cannot_fit_says_so() -> None:
    with pytest.raises(BarometerError, match="cannot be split"):
        plan_requests("ssb", {"A": ["1"], "Tid": ["2020"]}, 0, "Tid")


def test_narrowing_by_period() -> None:
    selection = {"Region": ["old", "new", "0"], "Tid": ["2019", "2020", "2021"]}

    def by_period(periods: list[str]) -> dict[str, list[str]]:
        keep = {"0"} | {"old" if p < "2020" else "new" for p in periods}
        return {**selection, "Region": [r for r in selection["Region"] if r in keep]}

    parts = plan_requests("ssb", selection, 4, "Tid", by_period)
    assert [(p.selection["Region"], p.selection["Tid"]) for p in parts] == [
        (["old", "0"], ["2019"]),
        (["new", "0"], ["2020", "2021"]),
    ]


def test_halve_a_refused_request() -> None:
    first, second = halve({"A": ["1", "2", "3"], "B": ["x"]})
    assert first == {"A": ["1"], "B": ["x"]} and second == {"A": ["2", "3"], "B": ["x"]}
    assert halve({"A": ["1"]}) == [{"A": ["1"]}]


# --- label pins ---------------------------------------------------------------------------------


def meta(labels: dict[str, dict[str, str]], eliminable: bool = True) -> TableMeta:
    """A small table: Landbakgrunn with labels per language, and Tid."""
    variables = {
        "Landbakgrunn": Variable("Landbakgrunn", "landbakgrunn", dict(labels["en"]), eliminable),
        "Tid": Variable("Tid", "år", {"2024": "2024"}, time=True),
    }
    return TableMeta(
        "ssb",
        "11607",
        "Employed",
        None,
        variables,
        labels={
            lang: {"Landbakgrunn": values, "Tid": {"2024": "2024"}}
            for lang, values in labels.items()
        },
    )


def spec_11607():  # type: ignore[no-untyped-def]
    return next(s for s in load_sources() if s.table == "11607")


def test_pins_pass_on_the_right_labels() -> None:
    spec = spec_11607()
    right = meta(
        {
            "nb": {
                "abc": "Befolkningen eksklusive innvandrere",
                "zzz": "Innvandrere i alt",
                "eee": "Europa utenom EU/EFTA og Storbritannia, Afrika, Asia, Amerika utenom USA "
                "og Canada, Oseania utenom Australia og NZ, polare områder",
            },
            "en": {
                "abc": "Population excl. immigrants",
                "zzz": "Immigrants",
                "eee": "Africa, Asia",
            },
        }
    )
    only = {"Landbakgrunn": spec.variables["Landbakgrunn"], "Tid": spec.variables["Tid"]}
    narrow = type(spec)(spec.source.model_copy(update={"variables": only}))
    findings = check_table(narrow, right)
    assert findings.problems == [] and findings.pinned == 2


def test_a_changed_label_names_table_variable_code_pattern_and_label() -> None:
    spec = spec_11607()
    swapped = meta(
        {
            "nb": {"abc": "Innvandrere i alt", "zzz": "Befolkningen eksklusive innvandrere"},
            "en": {"abc": "Immigrants, total", "zzz": "Population excluding immigrants"},
        }
    )
    only = {"Landbakgrunn": spec.variables["Landbakgrunn"], "Tid": spec.variables["Tid"]}
    narrow = type(spec)(spec.source.model_copy(update={"variables": only}))
    problems = [str(p) for p in check_table(narrow, swapped).problems]
    abc = [p for p in problems if " abc: " in p]
    assert len(abc) == 2  # in both languages
    nb = next(p for p in abc if " in nb " in p)
    assert nb.startswith("SSB 11607 Landbakgrunn abc: label in nb is 'Innvandrere i alt'")
    assert "expected /Befolkningen eksklusive innvandrere/" in nb
    assert "carried by zzz (Befolkningen eksklusive innvandrere)" in nb
    eee = next(p for p in problems if " eee: " in p)
    assert "code not in the table; closest:" in eee and "(" in eee


def test_a_variable_that_cannot_be_eliminated_must_be_listed() -> None:
    spec = spec_11607()
    table = meta({"en": {"abc": "x"}}, eliminable=False)
    only = {"Tid": spec.variables["Tid"]}
    narrow = type(spec)(spec.source.model_copy(update={"variables": only}))
    (problem,) = check_table(narrow, table).problems
    assert problem.variable == "Landbakgrunn" and "cannot eliminate" in problem.message


def test_every_definition_code_is_pinned() -> None:
    assert check_definitions(load_sources()) == []


def test_a_definition_code_that_is_not_pinned_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import indicators.registry as registry

    share = next(i for i in registry.list_indicators() if i.id == "nonwestern_share")
    dk = share.countries["DK"]
    assert dk.target.numerator is not None
    numerator = dataclasses.replace(
        dk.target.numerator, select={**dk.target.numerator.select, "HERKOMST": ["24", "25"]}
    )
    group = dataclasses.replace(dk.target, numerator=numerator)
    broken = dataclasses.replace(
        share, countries={**share.countries, "DK": dataclasses.replace(dk, target=group)}
    )
    monkeypatch.setattr(registry, "list_indicators", lambda: (broken,))
    (problem,) = check_definitions(load_sources())
    assert problem.startswith("nonwestern_share DK target.numerator: codes ['24'] of FOLK1E")


# --- politeness and definitions -----------------------------------------------------------------


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
    with pytest.raises(DefinitionError, match="colour\n  Extra inputs are not permitted"):
        parse_definition(data, "x.yml")

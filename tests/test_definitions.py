"""The indicator catalogue as data: every definition file, checked on its own.

Each file is validated by the same pydantic model the app reads it with (indicators/schema.py:
one schema), then checked against the simulator's table metadata (which serves the same codes
as the providers' tables) and against loaders/sources.yml (what a refresh actually loads).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from pydantic import ValidationError

from indicators.registry import DefinitionError, parse_definition, read_unavailable
from indicators.schema import COUNTRY_PROVIDERS, PERIOD_FORMATS, DefinitionFile

ROOT = Path(__file__).resolve().parents[1]
DEFINITIONS = sorted((ROOT / "indicators" / "definitions").glob("*.yml"))
UNAVAILABLE = ROOT / "indicators" / "unavailable.yml"
SOURCES = ROOT / "loaders" / "sources.yml"

COUNTRY_PROVIDER = COUNTRY_PROVIDERS
# Variables that say who belongs to a group; target and comparison may differ only in these.
ORIGIN_VARIABLES = {"HERKOMST", "HERKOMST1", "Landbakgrunn", "InnvandrKat", "INNVKAT"}


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


# --- walking a definition ---------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """One measure of a definition: where it sits and what it selects."""

    where: str
    country: str
    role: str  # numerator, denominator, rate or size
    group: str  # target or comparison
    spec: dict

    @property
    def provider(self) -> str:
        return str(self.spec["table"]).partition("/")[0]

    @property
    def table(self) -> str:
        return str(self.spec["table"]).partition("/")[2]


def measures_of(definition: dict) -> Iterator[Use]:
    for country, spec in (definition.get("countries") or {}).items():
        for group in ("target", "comparison"):
            for role, measure in (spec.get(group) or {}).items():
                if role != "label":
                    yield Use(f"{country}.{group}.{role}", str(country), role, group, measure)


def shift(period: str, how: str | None) -> str:
    """The provider period a measure reads for one of the indicator's periods."""
    if how == "next_year_first_quarter":
        return f"{int(period[:4]) + 1}K1"
    if how == "same_year_first_quarter":
        return f"{period}K1"
    if how == "next_year":
        return str(int(period) + 1)
    if how == "mean_of_quarters":  # all four quarters are read; the first stands for them
        return f"{period}K1"
    return period


# --- schema: the app's own models -------------------------------------------------------


def schema_problems(path: Path) -> list[str]:
    """Everything wrong with one definition file against its model (empty: fine)."""
    data = read_yaml(path)
    problems = []
    try:
        checked = DefinitionFile.model_validate(data)
    except ValidationError as exc:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    if checked.id != path.stem:
        problems.append(f"id {checked.id!r} must equal the file name {path.stem!r}")
    return problems


# --- metadata from the simulator -------------------------------------------------------------


@dataclass(frozen=True)
class TableInfo:
    """A table's variables as the simulator describes them."""

    values: dict[str, list[str]]  # variable -> value codes in order
    elimination: dict[str, bool]
    geo: str
    time: str

    def kind(self, variable: str) -> str:
        return {self.geo: "geography", self.time: "time"}.get(variable, "other")


def dst_info(base: str, table: str) -> TableInfo:
    answer = requests.get(f"{base}/tableinfo/{table}", params={"format": "JSON"}, timeout=10)
    answer.raise_for_status()
    variables = answer.json()["variables"]
    return TableInfo(
        values={v["id"]: [str(x["id"]) for x in v["values"]] for v in variables},
        elimination={v["id"]: bool(v["elimination"]) for v in variables},
        geo=next(v["id"] for v in variables if v.get("map")),
        time=next(v["id"] for v in variables if v.get("time")),
    )


def ssb_info(base: str, table: str, codelists: dict[str, str] | None = None) -> TableInfo:
    params = {"lang": "en", "outputFormat": "json-stat2"}
    params |= {f"codelist[{k}]": v for k, v in (codelists or {}).items()}
    answer = requests.get(f"{base}/tables/{table}/metadata", params=params, timeout=10)
    answer.raise_for_status()
    doc = answer.json()
    dims = doc["dimension"]

    def ordered(code: str) -> list[str]:
        index = dims[code]["category"]["index"]
        return sorted(index, key=index.__getitem__) if isinstance(index, dict) else list(index)

    return TableInfo(
        values={code: ordered(code) for code in doc["id"]},
        elimination={code: bool(dims[code]["extension"]["elimination"]) for code in doc["id"]},
        geo=doc["role"]["geo"][0],
        time=doc["role"]["time"][0],
    )


def fhi_info(base: str, table: str) -> TableInfo:
    """FHI's dimensions; the periods are their labels ("2021-2023"), as the loader stores them."""
    answer = requests.get(f"{base}/nokkel/Table/{table}/dimension", timeout=10)
    answer.raise_for_status()

    def flat(categories: list[dict]) -> list[dict]:
        return [x for c in categories for x in [c, *flat(c.get("children") or [])]]

    values = {}
    for dim in answer.json()["dimensions"]:
        key = "label" if dim["code"] == "AAR" else "value"
        values[dim["code"]] = [str(c[key]) for c in flat(dim["categories"])]
    return TableInfo(values, dict.fromkeys(values, False), "GEO", "AAR")


def imdi_info(base: str, entry: dict) -> TableInfo:
    """An IMDi file read as the loader reads it: its columns, with our codes for their texts."""
    from loaders import imdi
    from loaders.sources import SourceSpec, TableSpec

    spec = TableSpec(SourceSpec.model_validate(entry))
    answer = requests.get(f"{base}/download_csv/{entry['level']}/{entry['table']}", timeout=30)
    answer.raise_for_status()
    variables = imdi.read_file(answer.content, spec).variables
    geo = imdi.GEO_COLUMNS[entry["level"]]
    return TableInfo(
        {code: list(v.values) for code, v in variables.items()},
        dict.fromkeys(variables, False),
        geo,
        imdi.TIME_COLUMN,
    )


def info_of(simulator, provider: str, table: str, entry: dict | None) -> TableInfo:
    """A table's metadata from the simulator, by provider (`table` is the provider's id)."""
    if provider == "dst":
        return dst_info(simulator.dst_base, table)
    if provider == "fhi":
        return fhi_info(simulator.fhi_base, table)
    if provider == "imdi":
        assert entry is not None, f"imdi/{table} is not in sources.yml"
        return imdi_info(simulator.imdi_base, entry)
    return ssb_info(simulator.ssb_base, table)


@pytest.fixture(scope="module")
def sources() -> dict[tuple[str, str], dict]:
    """sources.yml by (provider, key): a table loaded twice is told apart by its name."""
    entries = read_yaml(SOURCES)
    found: dict[tuple[str, str], dict] = {}
    for entry in entries:
        key = (entry["provider"], str(entry.get("name") or entry["table"]))
        assert key not in found, f"sources.yml lists {key} twice (give the second a name)"
        found[key] = entry
    return found


@pytest.fixture(scope="module")
def tables(simulator, sources) -> dict[tuple[str, str], TableInfo]:
    """Metadata of every table a definition or sources.yml names."""
    wanted = set(sources)
    for path in DEFINITIONS:
        wanted |= {(u.provider, u.table) for u in measures_of(read_yaml(path))}
    info = {}
    for provider, key in sorted(wanted):
        entry = sources.get((provider, key))
        table = str(entry["table"]) if entry else key
        info[(provider, key)] = info_of(simulator, provider, table, entry)
    return info


def requested(entry: dict) -> dict[str, list[str]]:
    """sources.yml variables as plain code lists: the pinned codes, "*" for all values or
    municipalities, and the code a country group is stored under."""
    out = {}
    for code, selection in entry["variables"].items():
        if selection.get("country_group"):
            out[code] = [str(selection["country_group"]["code"])]
        elif selection.get("all") or selection.get("municipalities") or selection.get("matching"):
            out[code] = ["*"]
        else:
            out[code] = [str(v) for v in selection["codes"]]
    return out


def derived(entry: dict) -> dict[str, str]:
    """Codes the loader adds to a table (country groups summed from single countries)."""
    return {
        variable: str(selection["country_group"]["code"])
        for variable, selection in entry["variables"].items()
        if selection.get("country_group")
    }


# --- tests --------------------------------------------------------------------------------


def test_the_catalogue_is_complete() -> None:
    expected = {
        "nonwestern_share",
        "employment_gap",
        "employment_rate",
        "unemployment_gap",
        "youth_education_20_24",
        "higher_education_25_39",
        "cash_benefit_share",
    }
    assert set(ids(DEFINITIONS)) >= expected


@pytest.mark.parametrize("path", DEFINITIONS, ids=ids(DEFINITIONS))
def test_definition_follows_the_schema(path: Path) -> None:
    assert schema_problems(path) == []


@pytest.mark.parametrize("path", DEFINITIONS, ids=ids(DEFINITIONS))
def test_norway_is_quoted(path: Path) -> None:
    bare = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*NO\s*:", line)
    ]
    assert bare == [], 'write "NO" in quotes: YAML reads a bare NO as false'


def test_schema_check_catches_mistakes(tmp_path: Path) -> None:
    good = read_yaml(DEFINITIONS[0])
    broken = dict(good, colour="red", higher_is_better="yes")
    broken["countries"] = {False: good["countries"].get("NO", {})}
    path = tmp_path / f"{good['id']}.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    text = " | ".join(schema_problems(path))
    assert "colour" in text and "higher_is_better" in text and 'write "NO" in quotes' in text
    # the registry reads through the same model, so it refuses the same file
    with pytest.raises(DefinitionError, match="colour"):
        parse_definition(broken, path.name)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["countries"]["DK"].update(baseline=2012), "baseline"),
        (lambda d: d["title"].pop("nb"), "languages"),
        (lambda d: d["countries"]["DK"]["target"]["numerator"]["select"].update(X=[25]), "X"),
        (lambda d: d.update(sources=["ftp://x"]), "https"),
        (lambda d: d["countries"]["DK"]["target"].pop("denominator"), "numerator and denominator"),
    ],
    ids=["unquoted-baseline", "missing-language", "unquoted-code", "bad-url", "half-a-rate"],
)
def test_the_model_refuses_what_would_change_a_number_silently(change, message: str) -> None:
    data = read_yaml(ROOT / "indicators" / "definitions" / "employment_gap.yml")
    change(data)
    with pytest.raises(ValidationError, match=message):
        DefinitionFile.model_validate(data)


@pytest.mark.parametrize("path", DEFINITIONS, ids=ids(DEFINITIONS))
def test_codes_exist_in_the_tables(path: Path, tables: dict, sources: dict) -> None:
    definition = read_yaml(path)
    problems = []
    for use in measures_of(definition):
        info = tables[(use.provider, use.table)]
        added = derived(sources.get((use.provider, use.table), {"variables": {}}))
        for variable, codes in use.spec["select"].items():
            if variable not in info.values:
                problems.append(f"{use.where}: {use.table} has no variable {variable}")
                continue
            if info.kind(variable) != "other":
                problems.append(
                    f"{use.where}: {variable} is {info.kind(variable)}; do not select it"
                )
            unknown = [
                c for c in codes if c not in info.values[variable] and c != added.get(variable)
            ]
            if unknown:
                problems.append(f"{use.where}: {use.table}.{variable} has no codes {unknown}")
        baseline = definition["countries"][use.country]["baseline"]
        period = shift(baseline, use.spec.get("period_shift"))
        if period not in info.values[info.time]:
            problems.append(f"{use.where}: baseline {baseline} ({period}) not in {use.table}")
    assert problems == []


@pytest.mark.parametrize("path", DEFINITIONS, ids=ids(DEFINITIONS))
def test_periods_line_up(path: Path, tables: dict) -> None:
    """Each measure's periods are of the country's period type (after any shift)."""
    definition = read_yaml(path)
    for use in measures_of(definition):
        period_type = definition["countries"][use.country]["period_type"]
        info = tables[(use.provider, use.table)]
        periods = info.values[info.time]
        quarterly = ("next_year_first_quarter", "mean_of_quarters", "same_year_first_quarter")
        if use.spec.get("period_shift") in quarterly:
            assert period_type == "year", f"{use.where}: the shift makes yearly periods"
            assert all(re.fullmatch(PERIOD_FORMATS["quarter"], p) for p in periods), use.where
        else:
            pattern = PERIOD_FORMATS[period_type]
            assert all(re.fullmatch(pattern, p) for p in periods), f"{use.where}: {periods[:3]}"


@pytest.mark.parametrize("path", DEFINITIONS, ids=ids(DEFINITIONS))
def test_selections_match_what_sources_load(path: Path, sources: dict, tables: dict) -> None:
    """Every table is loaded, with the codes selected, and every loaded variable is named."""
    problems = []
    for use in measures_of(read_yaml(path)):
        entry = sources.get((use.provider, use.table))
        if entry is None:
            problems.append(f"{use.where}: {use.provider}/{use.table} is not in sources.yml")
            continue
        info = tables[(use.provider, use.table)]
        asked = requested(entry)
        loaded = {v for v in asked if info.kind(v) == "other"}
        select = use.spec["select"]
        if set(select) != loaded:
            problems.append(
                f"{use.where}: select names {sorted(select)}, but sources.yml loads "
                f"{sorted(loaded)} (name every loaded variable, nothing else)"
            )
        for variable, codes in select.items():
            have = asked.get(variable, [])
            missing = [c for c in codes if c not in have and "*" not in have]
            if missing:
                problems.append(f"{use.where}: sources.yml does not ask for {variable} {missing}")
    assert problems == []


@pytest.mark.parametrize("path", DEFINITIONS, ids=ids(DEFINITIONS))
def test_groups_are_consistent(path: Path) -> None:
    """Numerators are within their denominators; target and comparison differ only in origin."""
    definition = read_yaml(path)
    problems = []
    for country, spec in definition["countries"].items():
        groups = {g: spec[g] for g in ("target", "comparison") if g in spec}
        for group, measures in groups.items():
            num, den = measures.get("numerator"), measures.get("denominator")
            # (A share's denominator is a total code such as TOT, not a list of parts.)
            if num and den and num["table"] == den["table"] and definition["measure"] != "share":
                for variable, codes in num["select"].items():
                    outside = set(codes) - set(den["select"].get(variable, []))
                    if outside:
                        problems.append(f"{country}.{group}: numerator {variable} {outside}")
        # Persons and a rate from one provider (IMDi), the comparison published elsewhere as a
        # rate only (Statistics Norway): the groups cannot share tables, by design.
        derived = "numerator" in groups["target"] and "rate" in groups["target"]
        if derived:
            num, rate = groups["target"]["numerator"], groups["target"]["rate"]
            differ = {v for v in num["select"] if num["select"][v] != rate["select"].get(v)}
            if num["table"] != rate["table"] or set(num["select"]) != set(rate["select"]):
                problems.append(f"{country}: persons and per cent come from other selections")
            elif len(differ) != 1:
                problems.append(f"{country}: persons and per cent differ in {differ}")
        if "comparison" in groups and not derived:
            for role, target in groups["target"].items():
                # A size serves the target group's small-number rule only.
                if role == "label" or (role == "size" and role not in groups["comparison"]):
                    continue
                other = groups["comparison"].get(role)
                if other is None or other["table"] != target["table"]:
                    problems.append(f"{country}: target and comparison {role} use other tables")
                    continue
                differ = {
                    v
                    for v in set(target["select"]) | set(other["select"])
                    if target["select"].get(v) != other["select"].get(v)
                }
                if not differ or differ - ORIGIN_VARIABLES:
                    problems.append(f"{country}.{role}: target and comparison differ in {differ}")
                if target.get("period_shift") != other.get("period_shift"):
                    problems.append(f"{country}.{role}: target and comparison shift differently")
    assert problems == []


@pytest.mark.parametrize("key", ["dst/FOLK1E", "dst/RAS201", "dst/LIGEUB1", "dst/KY038"])
def test_danish_tables_are_loaded(key: str, sources: dict) -> None:
    assert tuple(key.split("/")) in sources


def test_sources_fit_the_tables(simulator, sources: dict) -> None:
    """Codes exist and variables left out can be eliminated (request plans within the
    providers' cell limits are tested in tests/test_sources.py and tests/test_doctor.py)."""
    problems = []
    for (provider, table), entry in sources.items():
        info = info_of(simulator, provider, str(entry["table"]), entry)
        asked = requested(entry)
        added = derived(entry)
        for variable, codes in asked.items():
            if variable not in info.values:
                problems.append(f"{table}: no variable {variable}")
                continue
            unknown = [
                c
                for c in codes
                if c != "*" and c not in info.values[variable] and c != added.get(variable)
            ]
            if unknown:
                problems.append(f"{table}.{variable}: unknown codes {unknown}")
            if info.kind(variable) != "other" and codes != ["*"]:
                problems.append(f'{table}.{variable}: ask for "*" (all areas and periods)')
        for variable in set(info.values) - set(asked):
            if not info.elimination[variable]:
                problems.append(f"{table}: {variable} cannot be eliminated; ask for it")
    assert problems == []


# --- unavailable indicators ------------------------------------------------------------------


def test_unavailable_indicators_say_where_they_are_published() -> None:
    entries = read_unavailable(read_yaml(UNAVAILABLE))  # the app's model: fails with the reason
    defined = set(ids(DEFINITIONS))
    assert entries and not {entry.id for entry in entries} & defined
    assert all(entry.published_by for entry in entries)
    with pytest.raises(DefinitionError, match="published_by"):
        read_unavailable([dict(read_yaml(UNAVAILABLE)[0], published_by=[])])


@pytest.mark.parametrize(
    "path",
    [
        *DEFINITIONS,
        UNAVAILABLE,
        SOURCES,
        ROOT / "indicators/events.yml",
        ROOT / "exports/data_csv.yml",
    ],
    ids=lambda path: path.name,
)
def test_the_app_reads_each_data_file_as_the_python_loader_does(path: Path) -> None:
    """The app reads YAML with libyaml's safe loader where PyYAML has it (loaders/sources.py,
    read_yaml): the data must be what the pure-Python safe loader reads."""
    from loaders import sources

    assert getattr(yaml, "CSafeLoader", None) is not None  # the fast loader is really in use
    assert sources.read_yaml(path) == read_yaml(path)

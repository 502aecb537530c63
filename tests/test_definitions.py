"""The indicator catalogue as data: every definition file, checked on its own.

Independent of indicators/registry.py: the files are read with PyYAML and checked against
the definition schema, against the simulator's table metadata (which serves the same codes as
the providers' tables) and against loaders/sources.yml (what a refresh actually loads).
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

ROOT = Path(__file__).resolve().parents[1]
DEFINITIONS = sorted((ROOT / "indicators" / "definitions").glob("*.yml"))
UNAVAILABLE = ROOT / "indicators" / "unavailable.yml"
SOURCES = ROOT / "loaders" / "sources.yml"

LANGUAGES = {"en", "da", "nb"}
COUNTRY_PROVIDER = {"DK": "dst", "NO": "ssb"}
MEASURES = {"gap", "rate", "share"}
PERIOD_SHIFTS = {"next_year_first_quarter"}
TOP_KEYS = {
    "id",
    "title",
    "description",
    "unit",
    "higher_is_better",
    "measure",
    "sources",
    "countries",
}
COUNTRY_KEYS = {"period_type", "reference_date", "baseline", "age_band", "target"}
COUNTRY_OPTIONAL = {"comparison", "caveats", "description"}
# Variables that say who belongs to a group; target and comparison may differ only in these.
ORIGIN_VARIABLES = {"HERKOMST", "HERKOMST1", "Landbakgrunn", "InnvandrKat"}
PERIOD_FORMATS = {"quarter": r"\d{4}K[1-4]", "year": r"\d{4}"}


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
    return period


# --- schema -------------------------------------------------------------------------------


def check_texts(where: str, texts: Any) -> list[str]:
    if not isinstance(texts, dict) or set(texts) != LANGUAGES:
        return [f"{where}: needs exactly the languages {sorted(LANGUAGES)}"]
    return [f"{where}.{k}: empty" for k, v in texts.items() if not (isinstance(v, str) and v)]


def check_measure(where: str, role: str, spec: Any, provider: str) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: expected a mapping"]
    allowed = {"table", "select", "period_shift"} | ({"scale"} if role == "rate" else set())
    problems = (
        [f"{where}: unknown keys {sorted(set(spec) - allowed)}"] if set(spec) - allowed else []
    )
    table = str(spec.get("table", ""))
    if not re.fullmatch(rf"{provider}/[A-Za-z0-9]+", table):
        problems.append(f"{where}: table {table!r} must be '{provider}/<ID>'")
    select = spec.get("select")
    if not isinstance(select, dict) or not select:
        return [*problems, f"{where}: select must be a non-empty mapping"]
    for variable, codes in select.items():
        if not isinstance(codes, list) or not codes:
            problems.append(f"{where}: select.{variable} needs a list of codes")
        elif not all(isinstance(c, str) for c in codes):
            problems.append(f"{where}: select.{variable} codes must be quoted strings: {codes}")
        elif len(set(codes)) != len(codes):
            problems.append(f"{where}: select.{variable} repeats a code")
    if "period_shift" in spec and spec["period_shift"] not in PERIOD_SHIFTS:
        problems.append(f"{where}: period_shift must be one of {sorted(PERIOD_SHIFTS)}")
    if role == "rate":
        scale = spec.get("scale")
        if not isinstance(scale, int | float) or isinstance(scale, bool) or scale <= 0:
            problems.append(f"{where}: a rate needs a positive scale (100 for a percentage)")
        several = [v for v, codes in select.items() if len(codes) != 1]
        if several:
            problems.append(f"{where}: rates cannot be summed; one code each for {several}")
    return problems


def check_group(where: str, spec: Any, provider: str) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: expected a mapping"]
    problems = check_texts(f"{where}.label", spec.get("label"))
    if "rate" in spec:
        shape, required = {"label", "rate", "size"}, {"label", "rate"}
    else:
        shape = required = {"label", "numerator", "denominator"}
    if set(spec) - shape or required - set(spec):
        problems.append(f"{where}: keys {sorted(spec)}; expected {sorted(shape)}")
    for role in sorted(set(spec) & {"numerator", "denominator", "rate", "size"}):
        problems += check_measure(f"{where}.{role}", role, spec[role], provider)
    return problems


def schema_problems(path: Path) -> list[str]:
    """Everything wrong with one definition file against the schema (empty: fine)."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        return [f"{path.name}: not a mapping"]
    problems = []
    if set(data) != TOP_KEYS:
        problems.append(
            f"unknown {sorted(set(data) - TOP_KEYS)}, missing {sorted(TOP_KEYS - set(data))}"
        )
    if data.get("id") != path.stem:
        problems.append(f"id {data.get('id')!r} must equal the file name {path.stem!r}")
    problems += check_texts("title", data.get("title"))
    problems += check_texts("description", data.get("description"))
    if data.get("unit") != "percent":
        problems.append("unit: every catalogue indicator is a percentage")
    measure = data.get("measure")
    if measure not in MEASURES:
        problems.append(f"measure {measure!r} must be one of {sorted(MEASURES)}")
    better = data.get("higher_is_better", "absent")
    if better not in (True, False, None):
        problems.append("higher_is_better must be true, false or null")
    if measure in ("gap", "rate") and better is None:
        problems.append("a gap or rate needs a good direction (higher_is_better true/false)")
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        problems.append("sources: a list of URLs")
    else:
        problems += [f"sources: {s!r} is not a URL" for s in sources if not _is_url(s)]
    countries = data.get("countries")
    if not isinstance(countries, dict) or not countries:
        return [*problems, "countries: a non-empty mapping"]
    for country, spec in countries.items():
        where = f"countries.{country}"
        if country is False:
            problems.append(f'{where}: write "NO" in quotes (YAML reads a bare NO as false)')
            continue
        if country not in COUNTRY_PROVIDER:
            problems.append(f"{where}: country must be one of {sorted(COUNTRY_PROVIDER)}")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        unknown = set(spec) - COUNTRY_KEYS - COUNTRY_OPTIONAL
        missing = COUNTRY_KEYS - set(spec)
        if unknown or missing:
            problems.append(f"{where}: unknown {sorted(unknown)}, missing {sorted(missing)}")
        period_type = spec.get("period_type")
        if period_type not in PERIOD_FORMATS:
            problems.append(f"{where}.period_type must be one of {sorted(PERIOD_FORMATS)}")
        baseline = spec.get("baseline")
        if not isinstance(baseline, str):
            problems.append(f'{where}.baseline must be a quoted period code such as "2012"')
        elif period_type in PERIOD_FORMATS and not re.fullmatch(
            PERIOD_FORMATS[period_type], baseline
        ):
            problems.append(f"{where}.baseline {baseline!r} is not a {period_type} code")
        for key in ("reference_date", "age_band"):
            if not (isinstance(spec.get(key), str) and spec.get(key)):
                problems.append(f"{where}.{key}: a non-empty text")
        if "caveats" in spec:
            problems += check_texts(f"{where}.caveats", spec["caveats"])
        if "description" in spec:
            problems += check_texts(f"{where}.description", spec["description"])
        provider = COUNTRY_PROVIDER[country]
        problems += check_group(f"{where}.target", spec.get("target"), provider)
        if measure == "share" and "comparison" in spec:
            problems.append(f"{where}: a share has no comparison group")
        if measure == "gap" and "comparison" not in spec:
            problems.append(f"{where}: a gap needs a comparison group")
        if "comparison" in spec:
            problems += check_group(f"{where}.comparison", spec["comparison"], provider)
    return problems


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"https?://[^\s/]+\.[^\s]+", value) is not None


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


@pytest.fixture(scope="module")
def sources() -> dict[tuple[str, str], dict]:
    entries = read_yaml(SOURCES)
    found: dict[tuple[str, str], dict] = {}
    for entry in entries:
        key = (entry["provider"], str(entry["table"]))
        assert key not in found, f"sources.yml lists {key} twice (one entry per table)"
        found[key] = entry
    return found


@pytest.fixture(scope="module")
def tables(simulator, sources) -> dict[tuple[str, str], TableInfo]:
    """Metadata of every table a definition or sources.yml names."""
    wanted = set(sources)
    for path in DEFINITIONS:
        wanted |= {(u.provider, u.table) for u in measures_of(read_yaml(path))}
    info = {}
    for provider, table in sorted(wanted):
        fetch = dst_info if provider == "dst" else ssb_info
        base = simulator.dst_base if provider == "dst" else simulator.ssb_base
        info[(provider, table)] = fetch(base, table)
    return info


def requested(entry: dict) -> dict[str, list[str]]:
    """sources.yml variables as plain code lists: the pinned codes, "*" for all values or
    municipalities, and the code a country group is stored under."""
    out = {}
    for code, selection in entry["variables"].items():
        if selection.get("country_group"):
            out[code] = [str(selection["country_group"]["code"])]
        elif selection.get("all") or selection.get("municipalities"):
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
        if use.spec.get("period_shift") == "next_year_first_quarter":
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
        if "comparison" in groups:
            for role, target in groups["target"].items():
                if role == "label":
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
        if provider == "dst":
            info = dst_info(simulator.dst_base, table)
        else:
            info = ssb_info(simulator.ssb_base, table)
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
    entries = read_yaml(UNAVAILABLE)
    assert isinstance(entries, list) and entries
    seen: set[str] = set()
    defined = set(ids(DEFINITIONS))
    problems = []
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number} ({entry.get('id')})"
        allowed = {"id", "country", "title", "published_by", "why"}
        if set(entry) != allowed:
            problems.append(f"{where}: keys {sorted(entry)}; expected {sorted(allowed)}")
        indicator = entry.get("id")
        if not (isinstance(indicator, str) and re.fullmatch(r"[a-z][a-z0-9_]*", indicator)):
            problems.append(f"{where}: id must be snake_case")
        if indicator in seen or indicator in defined:
            problems.append(f"{where}: id {indicator} is repeated or also defined")
        seen.add(indicator)
        if entry.get("country") not in COUNTRY_PROVIDER:
            problems.append(f'{where}: country must be DK or "NO" (quoted)')
        problems += check_texts(f"{where}.title", entry.get("title"))
        problems += check_texts(f"{where}.why", entry.get("why"))
        places = entry.get("published_by")
        if not isinstance(places, list) or not places:
            problems.append(f"{where}: published_by needs at least one place")
            continue
        for place in places:
            if not (isinstance(place, dict) and place.get("name") and _is_url(place.get("url"))):
                problems.append(f"{where}: every place needs a name and a source URL")
    assert problems == []

"""Indicator definitions: one YAML file per indicator in definitions/, read and checked here.

A definition names, per country, where its numerator and denominator come from (provider
table and code selections). Unknown keys fail loudly so a typo never silently changes a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from errors import BarometerError

DEFINITIONS_DIR = Path(__file__).with_name("definitions")
LANGUAGES = ("en", "da", "nb")
COUNTRIES = ("DK", "NO")
PERIOD_TYPES = ("quarter", "year")

MEASURE_KINDS = ("gap", "rate", "share")
PERIOD_SHIFTS = ("next_year_first_quarter",)

_TOP_KEYS = {
    "id",
    "title",
    "description",
    "unit",
    "higher_is_better",
    "measure",
    "countries",
    "sources",
}
_COUNTRY_KEYS = {
    "description",
    "period_type",
    "reference_date",
    "baseline",
    "age_band",
    "target",
    "comparison",
    "caveats",
}
_GROUP_KEYS = {"label", "numerator", "denominator", "rate", "size"}
_MEASURE_KEYS = {"table", "select", "period_shift", "scale"}


class DefinitionError(BarometerError):
    """An indicator definition file is malformed."""


@dataclass(frozen=True)
class Measure:
    """A count summed from one provider table over a selection of codes."""

    provider: str
    table: str
    select: dict[str, list[str]]
    period_shift: str | None = None
    scale: float = 1.0

    @property
    def raw_table(self) -> str:
        return f"raw_{self.provider}_{self.table.lower()}"


@dataclass(frozen=True)
class Group:
    """A population group's rate: counts (numerator / denominator) or a published rate.

    With `rate`, the provider publishes a percentage, not counts; `size` (optional) gives the
    group's size so an interval can be computed. Without it there is no n and no interval.
    """

    label: dict[str, str]
    numerator: Measure | None = None
    denominator: Measure | None = None
    rate: Measure | None = None
    size: Measure | None = None


@dataclass(frozen=True)
class CountryDefinition:
    """How an indicator is built from one country's provider tables."""

    country: str
    period_type: str
    reference_date: str
    baseline: str | None
    age_band: str
    target: Group
    comparison: Group | None = None
    caveats: dict[str, str] = field(default_factory=dict)
    # Where the country's groups differ from the indicator's general description.
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Indicator:
    """One indicator, as declared in its definition file."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    unit: str
    higher_is_better: bool | None
    measure: str
    countries: dict[str, CountryDefinition]
    sources: list[str]

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title["en"]

    def describe(self, country: str, lang: str) -> str:
        """The description for one country (its own wording where its groups differ)."""
        texts = self.countries[country].description or self.description
        return texts.get(lang) or texts.get("en") or self.description["en"]


def _check_keys(where: str, data: Any, allowed: set[str], required: set[str]) -> None:
    if not isinstance(data, dict):
        raise DefinitionError(f"{where}: expected a mapping, got {type(data).__name__}")
    unknown = set(data) - allowed
    if unknown:
        raise DefinitionError(
            f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}"
        )
    missing = required - set(data)
    if missing:
        raise DefinitionError(f"{where}: missing keys {sorted(missing)}")


def _measure(where: str, data: Any) -> Measure:
    _check_keys(where, data, _MEASURE_KEYS, {"table", "select"})
    provider, _, table = str(data["table"]).partition("/")
    if provider not in ("dst", "ssb") or not table:
        raise DefinitionError(f"{where}: table must be 'dst/<ID>' or 'ssb/<ID>'")
    select = {str(k): [str(v) for v in vs] for k, vs in data["select"].items()}
    if any(not values for values in select.values()):
        raise DefinitionError(f"{where}: every selected variable needs at least one code")
    shift = data.get("period_shift")
    if shift is not None and shift not in PERIOD_SHIFTS:
        raise DefinitionError(f"{where}: period_shift must be one of {PERIOD_SHIFTS}")
    return Measure(
        provider=provider,
        table=table,
        select=select,
        period_shift=shift,
        scale=float(data.get("scale", 1.0)),
    )


def _group(where: str, data: Any) -> Group:
    _check_keys(where, data, _GROUP_KEYS, {"label"})
    counts = "numerator" in data and "denominator" in data
    published = "rate" in data
    if counts == published or ("numerator" in data) != ("denominator" in data):
        raise DefinitionError(
            f"{where}: give either numerator and denominator, or rate (with optional size)"
        )
    if "size" in data and not published:
        raise DefinitionError(f"{where}: size goes with rate only")

    def optional(key: str) -> Measure | None:
        return _measure(f"{where}.{key}", data[key]) if key in data else None

    return Group(
        label=dict(data["label"]),
        numerator=optional("numerator"),
        denominator=optional("denominator"),
        rate=optional("rate"),
        size=optional("size"),
    )


def parse_definition(data: Any, where: str) -> Indicator:
    """An Indicator from a parsed YAML document; raise DefinitionError on any problem."""
    _check_keys(where, data, _TOP_KEYS, _TOP_KEYS - {"sources"})
    for key in ("title", "description"):
        if set(data[key]) != set(LANGUAGES):
            raise DefinitionError(f"{where}: {key} needs exactly the languages {LANGUAGES}")
    if data["measure"] not in MEASURE_KINDS:
        raise DefinitionError(f"{where}: measure must be one of {MEASURE_KINDS}")
    if data["higher_is_better"] not in (True, False, None):
        raise DefinitionError(f"{where}: higher_is_better must be true, false or null")
    countries = {}
    for country, spec in data["countries"].items():
        here = f"{where} countries.{country}"
        if country not in COUNTRIES:
            hint = (
                ' (write "NO" in quotes: YAML reads a bare NO as false)' if country is False else ""
            )
            raise DefinitionError(f"{here}: country must be one of {COUNTRIES}{hint}")
        _check_keys(here, spec, _COUNTRY_KEYS, {"period_type", "target"})
        if spec["period_type"] not in PERIOD_TYPES:
            raise DefinitionError(f"{here}: period_type must be one of {PERIOD_TYPES}")
        comparison = spec.get("comparison")
        if (comparison is None) != (data["measure"] == "share"):
            raise DefinitionError(f"{here}: a comparison group is needed unless measure is share")
        countries[country] = CountryDefinition(
            country=country,
            period_type=spec["period_type"],
            reference_date=str(spec.get("reference_date", "")),
            baseline=str(spec["baseline"]) if spec.get("baseline") is not None else None,
            age_band=str(spec.get("age_band", "")),
            target=_group(f"{here}.target", spec["target"]),
            comparison=_group(f"{here}.comparison", comparison) if comparison else None,
            caveats=dict(spec.get("caveats") or {}),
            description=dict(spec.get("description") or {}),
        )
    return Indicator(
        id=str(data["id"]),
        title=dict(data["title"]),
        description=dict(data["description"]),
        unit=str(data["unit"]),
        higher_is_better=data["higher_is_better"],
        measure=data["measure"],
        countries=countries,
        sources=list(data.get("sources") or []),
    )


@cache
def list_indicators(directory: Path = DEFINITIONS_DIR) -> tuple[Indicator, ...]:
    """Every indicator defined in the definitions folder, ordered by id."""
    indicators = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        indicator = parse_definition(data, path.name)
        if indicator.id != path.stem:
            raise DefinitionError(f"{path.name}: id {indicator.id!r} must match the file name")
        indicators.append(indicator)
    return tuple(indicators)


def get_indicator(indicator_id: str) -> Indicator | None:
    """The indicator with this id, or None."""
    return next((i for i in list_indicators() if i.id == indicator_id), None)


def iter_measures(indicator: Indicator) -> list[tuple[str, Measure]]:
    """Every measure an indicator uses, with a name saying where it sits in the file."""
    found = []
    for country, definition in indicator.countries.items():
        groups = {"target": definition.target, "comparison": definition.comparison}
        for group_name, group in groups.items():
            if group is None:
                continue
            for part in ("numerator", "denominator", "rate", "size"):
                measure = getattr(group, part)
                if measure is not None:
                    found.append((f"{indicator.id} {country} {group_name}.{part}", measure))
    return found


UNAVAILABLE_FILE = Path(__file__).with_name("unavailable.yml")


@dataclass(frozen=True)
class Unavailable:
    """A barometer indicator that public statistics do not allow us to build."""

    id: str
    country: str
    title: dict[str, str]
    why: dict[str, str]
    published_by: list[dict[str, str]]


@cache
def list_unavailable(path: Path = UNAVAILABLE_FILE) -> tuple[Unavailable, ...]:
    """The indicators listed as not available from public statistics, with where to find them."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Unavailable(
            id=str(e["id"]),
            country=str(e["country"]),
            title=dict(e["title"]),
            why=dict(e["why"]),
            published_by=[dict(p) for p in e["published_by"]],
        )
        for e in entries
    )

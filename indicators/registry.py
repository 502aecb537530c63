"""Indicator definitions: one YAML file per indicator in definitions/, read and checked here.

A definition names, per country, where its numerator and denominator come from (provider
table and code selections). Every file is validated by the pydantic models of
indicators/schema.py: unknown keys fail loudly so a typo never silently changes a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from errors import BarometerError
from indicators.schema import (
    DefinitionFile,
    GroupFile,
    MeasureFile,
    UnavailableFile,
    validated,
)
from loaders.sources import read_yaml

DEFINITIONS_DIR = Path(__file__).with_name("definitions")
LANGUAGES = ("en", "da", "nb")
COUNTRIES = ("DK", "NO")


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

    With `rate`, the provider publishes a percentage, not counts, so there is no interval;
    `size` (optional) gives an approximate group size from another table, used for the
    small-number rule only (withheld, caution, never ranked or lit below the minimum).
    With `numerator` and `rate`, the provider publishes persons and their percentage: the base
    is derived (numerator / rate), approximately, to the rounding of the percentage. A
    `numerator` alone is a count (measure: count).
    """

    label: dict[str, str]
    numerator: Measure | None = None
    denominator: Measure | None = None
    rate: Measure | None = None
    size: Measure | None = None

    @property
    def derived(self) -> bool:
        """Persons and a published rate: the base is derived from them (approximate)."""
        return self.numerator is not None and self.rate is not None

    @property
    def rates_only(self) -> bool:
        """A published rate without counts of any kind."""
        return self.rate is not None and self.numerator is None


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
    # "county": published per county only, shown as such (never as a municipal figure).
    geography: str = "municipality"


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

    def municipal_in(self, country: str) -> bool:
        """Published per municipality in `country` (not per county only)."""
        definition = self.countries.get(country)
        return definition is not None and definition.geography == "municipality"

    def ranked_in(self, country: str) -> bool:
        """Compared across municipalities in `country` (ranked, mapped): published per
        municipality, and a rate, share or gap (a count is a volume: not ranked)."""
        return self.municipal_in(country) and self.measure != "count"

    def describe(self, country: str, lang: str) -> str:
        """The description for one country (its own wording where its groups differ)."""
        texts = self.countries[country].description or self.description
        return texts.get(lang) or texts.get("en") or self.description["en"]


def _measure(data: MeasureFile) -> Measure:
    provider, _, table = data.table.partition("/")
    return Measure(
        provider=provider,
        table=table,
        select={variable: list(codes) for variable, codes in data.select.items()},
        period_shift=data.period_shift,
        scale=data.scale if data.scale is not None else 1.0,
    )


def _group(data: GroupFile) -> Group:
    def optional(part: MeasureFile | None) -> Measure | None:
        return _measure(part) if part is not None else None

    return Group(
        label=dict(data.label),
        numerator=optional(data.numerator),
        denominator=optional(data.denominator),
        rate=optional(data.rate),
        size=optional(data.size),
    )


def parse_definition(data: Any, where: str) -> Indicator:
    """An Indicator from a parsed YAML document; DefinitionError says what is wrong where."""
    checked = validated(DefinitionFile, data, where, DefinitionError)
    countries: dict[str, CountryDefinition] = {
        code: CountryDefinition(
            country=code,
            period_type=spec.period_type,
            reference_date=spec.reference_date,
            baseline=spec.baseline,
            age_band=spec.age_band,
            target=_group(spec.target),
            comparison=_group(spec.comparison) if spec.comparison else None,
            caveats=dict(spec.caveats or {}),
            description=dict(spec.description or {}),
            geography=spec.geography,
        )
        for code, spec in checked.countries.items()
    }
    return Indicator(
        id=checked.id,
        title=dict(checked.title),
        description=dict(checked.description),
        unit=checked.unit,
        higher_is_better=checked.higher_is_better,
        measure=checked.measure,
        countries=countries,
        sources=list(checked.sources),
    )


@cache
def list_indicators(directory: Path = DEFINITIONS_DIR) -> tuple[Indicator, ...]:
    """Every indicator defined in the definitions folder, ordered by id."""
    indicators = []
    for path in sorted(directory.glob("*.yml")):
        data = read_yaml(path)
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
    published_by: list[tuple[dict[str, str], str]]  # (name in each language, URL)


def read_unavailable(data: Any, where: str = "unavailable.yml") -> tuple[Unavailable, ...]:
    """The entries of a parsed unavailable.yml; DefinitionError says what is wrong where."""
    checked = validated(UnavailableFile, {"entries": data}, where, DefinitionError)
    return tuple(
        Unavailable(
            id=e.id,
            country=e.country,
            title=dict(e.title),
            why=dict(e.why),
            published_by=[(dict(p.name), p.url) for p in e.published_by],
        )
        for e in checked.entries
    )


@cache
def list_unavailable(path: Path = UNAVAILABLE_FILE) -> tuple[Unavailable, ...]:
    """The indicators listed as not available from public statistics, with where to find them."""
    return read_unavailable(read_yaml(path) or [], path.name)

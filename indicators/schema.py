"""The shape of the data files in indicators/: pydantic models, unknown keys refused.

* `DefinitionFile`: one indicator, `indicators/definitions/<id>.yml`;
* `EventsFile`: `indicators/events.yml`, events drawn on the trend chart;
* `UnavailableFile`: `indicators/unavailable.yml`, indicators public statistics do not give.

The app reads the files through these models (indicators/registry.py, queries/trend.py) and the
tests validate them through the same models, so there is one schema. A wrong key, a missing
language, an unquoted code or a bare NO (YAML reads it as false) fails with the place and the
reason. (loaders/sources.yml has its own model in loaders/sources.py.)
"""

from __future__ import annotations

import re
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

LANGUAGES = ("en", "da", "nb")
# The providers each country's tables may come from.
COUNTRY_PROVIDERS = {"DK": ("dst",), "NO": ("ssb", "fhi", "imdi")}
# three_years: FHI's windows such as "2021-2023" (persistent low income over three years).
PERIOD_FORMATS = {"quarter": r"\d{4}K[1-4]", "year": r"\d{4}", "three_years": r"\d{4}-\d{4}"}
Country = Literal["DK", "NO"]


def check_texts(value: dict[str, str]) -> dict[str, str]:
    """A text in every language: exactly en, da and nb, none empty."""
    if set(value) != set(LANGUAGES):
        raise ValueError(f"needs exactly the languages {', '.join(LANGUAGES)}; got {sorted(value)}")
    empty = [lang for lang, text in value.items() if not text.strip()]
    if empty:
        raise ValueError(f"empty in {', '.join(empty)}")
    return value


def check_country_keys(value: Any) -> Any:
    """Countries are "DK" and "NO" (quoted: YAML reads a bare NO as false)."""
    if isinstance(value, dict) and False in value:
        raise ValueError('write "NO" in quotes: YAML reads a bare NO as false')
    return value


Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], data: Any, where: str, error: type[Exception]) -> Model:
    """`data` checked by `model`; `error` (a BarometerError) says what is wrong where."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(f"{where}: {exc}") from None


class Strict(BaseModel):
    """Unknown keys refused, values not coerced (a code written 25 is not the text "25")."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Texts = dict[str, str]


class MeasureFile(Strict):
    """A count (or a published rate) summed from one provider table over chosen codes."""

    # provider/table: the table's id, or the name of a second load of it (FOLK1E_MEN_15_29).
    table: str = Field(pattern=r"^(dst|ssb|fhi|imdi)/[A-Za-z0-9_]+$")
    select: dict[str, list[str]] = Field(min_length=1)
    # next_year_first_quarter: year Y from Y+1's first quarter; next_year: year Y from Y+1;
    # mean_of_quarters: year Y as the mean of its four quarters; same_year_first_quarter:
    # year Y from its own first quarter (1 January of Y) (indicators/compute.py).
    period_shift: (
        Literal[
            "next_year_first_quarter", "next_year", "mean_of_quarters", "same_year_first_quarter"
        ]
        | None
    ) = None
    scale: float | None = Field(default=None, gt=0)

    @field_validator("select")
    @classmethod
    def _codes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for variable, codes in value.items():
            if not codes:
                raise ValueError(f"{variable}: needs at least one code")
            if len(set(codes)) != len(codes):
                raise ValueError(f"{variable}: repeats a code")
        return value

    @property
    def provider(self) -> str:
        return self.table.partition("/")[0]


class GroupFile(Strict):
    """A population group: numerator and denominator, or a published rate (optional size).

    Two more forms: numerator and rate, where the provider publishes persons and their
    percentage but not the base (IMDi): the base is derived as numerator / rate, approximately;
    and a numerator alone, for a count indicator (measure: count)."""

    label: Texts
    numerator: MeasureFile | None = None
    denominator: MeasureFile | None = None
    rate: MeasureFile | None = None
    size: MeasureFile | None = None

    _label = field_validator("label")(check_texts)

    @model_validator(mode="after")
    def _shape(self) -> GroupFile:
        counts = self.numerator is not None and self.denominator is not None
        published = self.rate is not None
        derived = self.numerator is not None and published and self.denominator is None
        alone = self.numerator is not None and not published and self.denominator is None
        if derived or alone:
            if self.size is not None:
                raise ValueError("size goes with a rate published on its own")
        elif counts == published or (self.numerator is None) != (self.denominator is None):
            raise ValueError(
                "give numerator and denominator, or rate (with optional size), or numerator and "
                "rate (a base derived from persons and per cent), or numerator (a count)"
            )
        if self.size is not None and not published:
            raise ValueError("size goes with rate only")
        if self.rate is not None:
            if self.rate.scale is None:
                raise ValueError("a rate needs a positive scale (100 for a percentage)")
            several = [v for v, codes in self.rate.select.items() if len(codes) != 1]
            if several:
                raise ValueError(f"rates cannot be summed; one code each for {several}")
        return self

    def measures(self) -> list[MeasureFile]:
        parts = (self.numerator, self.denominator, self.rate, self.size)
        return [m for m in parts if m is not None]


class CountryFile(Strict):
    """How an indicator is built from one country's provider tables."""

    period_type: Literal["quarter", "year", "three_years"]
    # county: the provider publishes the indicator per county only; it is shown as such, never
    # as a municipal figure (indicators/compute.py, compute_counties).
    geography: Literal["municipality", "county"] = "municipality"
    reference_date: str = Field(min_length=1)
    baseline: str
    age_band: str = Field(min_length=1)
    target: GroupFile
    comparison: GroupFile | None = None
    caveats: Texts | None = None
    description: Texts | None = None

    _texts = field_validator("caveats", "description")(
        lambda value: None if value is None else check_texts(value)
    )

    @model_validator(mode="after")
    def _baseline(self) -> CountryFile:
        if not re.fullmatch(PERIOD_FORMATS[self.period_type], self.baseline):
            raise ValueError(f"baseline {self.baseline!r} is not a {self.period_type} code")
        return self


class DefinitionFile(Strict):
    """One indicator, as written in indicators/definitions/<id>.yml."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Texts
    description: Texts
    unit: Literal["percent", "persons"]
    higher_is_better: bool | None
    # count: a number of persons (a volume), not a share of a group.
    measure: Literal["gap", "rate", "share", "count"]
    sources: list[str] = Field(min_length=1)
    countries: dict[Country, CountryFile] = Field(min_length=1)

    _texts = field_validator("title", "description")(check_texts)
    _country_keys = field_validator("countries", mode="before")(check_country_keys)

    @field_validator("sources")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        bad = [url for url in value if not re.fullmatch(r"https://\S+", url)]
        if bad:
            raise ValueError(f"not https URLs: {bad}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DefinitionFile:
        count = self.measure == "count"
        if self.measure in ("gap", "rate") and self.higher_is_better is None:
            raise ValueError("a gap or rate needs a good direction (higher_is_better true/false)")
        if count != (self.unit == "persons") or (count and self.higher_is_better is not None):
            raise ValueError("a count is in persons, with no good direction, and only a count is")
        for code, country in self.countries.items():
            single = self.measure in ("share", "count")
            if (country.comparison is None) != single:
                raise ValueError(
                    f"{code}: a comparison group is needed unless measure is share or count"
                )
            target = country.target
            alone = target.numerator is not None and target.denominator is None
            alone = alone and target.rate is None
            if alone and not count:
                raise ValueError(
                    f"{code}: the target needs numerator and denominator (or a rate); a "
                    "numerator alone is for measure: count"
                )
            if count and not alone:
                raise ValueError(f"{code}: a count's target is a numerator alone")
            if country.geography == "county" and (code != "NO" or self.measure != "share"):
                raise ValueError(f"{code}: county figures are Norwegian shares (measure: share)")
            groups = [country.target, *([country.comparison] if country.comparison else [])]
            wrong = [
                m.table
                for group in groups
                for m in group.measures()
                if m.provider not in COUNTRY_PROVIDERS[code]
            ]
            if wrong:
                allowed = " or ".join(f"{p}/..." for p in COUNTRY_PROVIDERS[code])
                raise ValueError(f"{code}: tables must be {allowed}: {wrong}")
        return self


class EventFile(Strict):
    """Something that happened, drawn as a vertical line on the trend chart's period axis."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    date: str = Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$")
    kind: Literal["reform", "refugees", "break"]
    indicators: list[str] = Field(default_factory=list)
    label: Texts
    text: Texts

    _texts = field_validator("label", "text")(check_texts)


class EventsFile(Strict):
    """indicators/events.yml: the events of each country."""

    events: dict[Country, list[EventFile]]

    _country_keys = field_validator("events", mode="before")(check_country_keys)


class PlaceFile(Strict):
    """Where an unavailable indicator is published: a name in every language and a URL."""

    name: Texts
    url: str = Field(pattern=r"^https://\S+$")

    _name = field_validator("name")(check_texts)


class UnavailableEntry(Strict):
    """A barometer indicator that public statistics do not allow us to build."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    country: Country
    title: Texts
    why: Texts
    published_by: list[PlaceFile] = Field(min_length=1)

    _texts = field_validator("title", "why")(check_texts)


class UnavailableFile(Strict):
    """indicators/unavailable.yml: a list of entries with unique ids."""

    entries: list[UnavailableEntry] = Field(min_length=1)

    @field_validator("entries")
    @classmethod
    def _unique(cls, value: list[UnavailableEntry]) -> list[UnavailableEntry]:
        ids = [entry.id for entry in value]
        if len(set(ids)) != len(ids):
            raise ValueError("ids must be unique")
        return value

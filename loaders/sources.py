"""Which provider tables we load (sources.yml), their metadata, and how requests are planned.

sources.yml is read into pydantic models that refuse unknown keys, so a typo fails loudly.
Every code a source selects carries the label it must have, as a pattern per request
language; `loaders/pins.py` compares them with the live metadata before anything is fetched.

Planning is provider-neutral apart from how a provider counts a request's cells:
- Statistics Denmark: rows x (variables given + time + value), at most 1,000,000 (its API
  guide, "Begrænsninger på udtræk"; shared/reference/tables/dst_response_shape.md);
- Statistics Norway: the product of the numbers of values selected, at most 800,000 (PxWebApi
  2's SelectionHandler.cs CheckNumberOfCells, PxTools/PxWebApi @92f4cfa; SSB's API guide);
- the Norwegian Institute of Public Health (FHI): the rows an answer holds (the product of the
  categories selected), at most the `maxRowCount` the request itself states: "The data-endpoint
  will return an error if the number of values to be returned is more than specified by
  maxRowCount" (folkehelseinstituttet/Fhi.Statistikk.OpenAPI README @c7d06b7). We state
  50,000, the figure of FHI's own example body, and plan within it;
- the Directorate of Integration and Diversity (IMDi): no limit; a dataset is one CSV file of
  the whole country, downloaded whole and filtered here (loaders/imdi.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from errors import BarometerError

SOURCES_FILE = Path(__file__).with_name("sources.yml")
ALL = "*"
KNOWN_PROVIDERS = ("dst", "ssb", "fhi", "imdi")
Provider = Literal["dst", "ssb", "fhi", "imdi"]
# The languages metadata is read in: English and the provider's own. Statistics Norway calls
# Norwegian "no" in its API; we store it as "nb" (Norwegian Bokmål), as the app does. FHI's
# open API and IMDi's downloads take no language: their labels are Norwegian only.
LANGUAGES = {"dst": ("en", "da"), "ssb": ("en", "nb"), "fhi": ("nb",), "imdi": ("nb",)}
# Cells per request as each provider counts them; IMDi has no limit (one file per dataset).
CELL_LIMITS = {"dst": 1_000_000, "ssb": 800_000, "fhi": 50_000}
NO_LIMIT = 2**62


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pin(_Strict):
    """The label a code must carry, per language: a regular expression matched against the
    whole label, ignoring case and runs of white space."""

    en: str | None = None
    da: str | None = None
    nb: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Pin:
        given = self.patterns()
        if not given:
            raise ValueError("a label pin needs a pattern for at least one language")
        for lang, pattern in given.items():
            try:
                re.compile(pattern)
            except re.error as exc:
                message = f"{lang} pattern {pattern!r} is not a regular expression: {exc}"
                raise ValueError(message) from None
        return self

    def patterns(self) -> dict[str, str]:
        return {lang: p for lang, p in (("en", self.en), ("da", self.da), ("nb", self.nb)) if p}

    def matches(self, lang: str, label: str) -> bool:
        pattern = self.patterns().get(lang)
        return pattern is None or re.fullmatch(pattern, normalise(label), re.IGNORECASE) is not None


def normalise(label: str) -> str:
    """A label with runs of white space made single spaces, trimmed."""
    return " ".join(label.split())


class CountryGroup(_Strict):
    """Single-country codes summed into one code the loader adds (loaders/norway.py)."""

    group: Literal["1", "2"]
    code: str  # the code the sum is stored under, for example "landgruppe2"
    label: dict[Literal["en", "nb"], str]  # our label for that code (not a pin)


class VariableSpec(_Strict):
    """What one variable asks for.

    codes: the codes requested, each with its label pin. all: every value the metadata lists
    (codes then pins some of them). municipalities: today's municipalities with every earlier
    code mapped onto them (Statistics Norway; codes then lists the other values, such as the
    whole country). country_group: single countries summed into a group (Statistics Norway).
    codelist: a codelist the provider must announce for this variable.
    """

    codes: dict[str, Pin] = Field(default_factory=dict)
    all: bool = False
    matching: str | None = None  # like all, but only the codes this regular expression matches
    municipalities: bool = False
    country_group: CountryGroup | None = None
    codelist: str | None = None

    @field_validator("codes", mode="before")
    @classmethod
    def _string_codes(cls, value: object) -> object:
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value

    @model_validator(mode="after")
    def _check(self) -> VariableSpec:
        ways = [
            self.all,
            self.matching is not None,
            self.municipalities,
            self.country_group is not None,
        ]
        if sum(ways) > 1:
            raise ValueError("choose one of all, matching, municipalities and country_group")
        if self.matching is not None:
            try:
                re.compile(self.matching)
            except re.error as exc:
                raise ValueError(f"matching {self.matching!r}: {exc}") from None
        if self.country_group is not None and self.codes:
            raise ValueError("country_group takes no codes of its own")
        if not any(ways) and not self.codes:
            raise ValueError("give codes, or all: true")
        return self


class SourceSpec(_Strict):
    """One provider table as sources.yml asks for it.

    name: the table is loaded a second time with another selection, stored under this name
    (raw_<provider>_<name>); definitions refer to it as <provider>/<name>.
    level: IMDi's geography of a download, k (every municipality) or f (every county).
    county_year: (IMDi county files) whether the figures of year Y are by the counties of Y or
    of Y-1 (people who finished the introduction programme in Y-1, by where they lived then).
    IMDi lists every county code in every year, with 0 where the county did not exist.
    source_id: FHI's source the table belongs to (nokkel: the public-health statistics).
    borders: as_published (earlier municipality codes are mapped onto today's, loaders/norway.py)
    or today (the provider publishes every period on today's municipalities already).
    """

    provider: Provider
    table: str
    name: str | None = None
    title: str
    values: Literal["counts", "rates"] = "counts"
    level: Literal["k", "f"] | None = None
    county_year: Literal["same", "previous"] = "same"
    source_id: str | None = None
    borders: Literal["as_published", "today"] = "as_published"
    variables: dict[str, VariableSpec]

    @field_validator("table", mode="before")
    @classmethod
    def _string_table(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _check(self) -> SourceSpec:
        allowed = set(LANGUAGES[self.provider])
        for name, var in self.variables.items():
            for pin in var.codes.values():
                extra = set(pin.patterns()) - allowed
                if extra:
                    raise ValueError(
                        f"{name}: label languages {sorted(extra)} are not read for "
                        f"{self.provider}; use {sorted(allowed)}"
                    )
            if self.provider == "dst" and (var.municipalities or var.country_group or var.codelist):
                raise ValueError(
                    f"{name}: municipalities, country_group and codelist are Statistics "
                    "Norway features"
                )
        if (self.provider == "imdi") != (self.level is not None):
            raise ValueError("level (k or f) is given for IMDi downloads, and only for them")
        if (self.provider == "fhi") != (self.source_id is not None):
            raise ValueError("source_id is given for FHI tables, and only for them")
        if self.borders == "today" and not any(v.municipalities for v in self.variables.values()):
            raise ValueError("borders: today goes with a municipalities variable")
        if self.name is not None and not re.fullmatch(r"[A-Za-z0-9]+(_[A-Za-z0-9]+)+", self.name):
            raise ValueError(
                f"name {self.name!r}: the table id, an underscore and a suffix (FOLK1E_MEN)"
            )
        if self.name is not None and not self.name.upper().startswith(self.table.upper() + "_"):
            raise ValueError(f"name {self.name!r} must start with the table id {self.table}_")
        return self


@dataclass(frozen=True)
class TableSpec:
    """A source table: its sources.yml entry and what the loader derives from it."""

    source: SourceSpec

    @property
    def provider(self) -> str:
        return self.source.provider

    @property
    def table(self) -> str:
        """The provider's own table id (what the requests ask for)."""
        return self.source.table

    @property
    def key(self) -> str:
        """The table as definitions and the database name it: its `name`, else its id."""
        return self.source.name or self.source.table

    @property
    def title(self) -> str:
        return self.source.title

    @property
    def variables(self) -> dict[str, VariableSpec]:
        return self.source.variables

    @property
    def raw_table(self) -> str:
        """Name of the DuckDB table that holds this provider table's cells."""
        return f"raw_{self.provider}_{self.key.lower()}"

    @cached_property
    def region_variable(self) -> str | None:
        """The variable whose codes are mapped to today's municipalities, if any."""
        return next((k for k, v in self.variables.items() if v.municipalities), None)

    def stored_codes(self, variable: str) -> list[str] | None:
        """The codes the raw table holds for a variable, when sources.yml names them all."""
        var = self.variables[variable]
        if var.country_group is not None:
            return [var.country_group.code]
        if var.all or var.municipalities or var.matching is not None:
            return None
        return list(var.codes)


@dataclass(frozen=True)
class Variable:
    """One variable of a provider table, from its metadata."""

    code: str
    text: str
    values: dict[str, str]  # value code -> label, in the provider's order
    elimination: bool = False
    time: bool = False
    codelists: tuple[tuple[str, str, str], ...] = ()  # (id, label, type) the provider offers


@dataclass(frozen=True)
class TableMeta:
    """A provider table's metadata: its variables and when the provider last updated it.

    `variables` come from the English answer; `labels`, `titles` and `notes` hold every
    language read (labels[lang][variable][code]).
    """

    provider: str
    table: str
    title: str
    updated: str | None
    variables: dict[str, Variable]
    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""
    # A provider without a metadata endpoint (IMDi) is read by downloading the data itself:
    # the downloaded file, so that a refresh fetches it once.
    payload: bytes | None = field(default=None, repr=False)

    @property
    def time_variable(self) -> str | None:
        return next((code for code, var in self.variables.items() if var.time), None)

    @classmethod
    def in_language(
        cls,
        lang: str,
        provider: str,
        table: str,
        title: str,
        updated: str | None,
        variables: dict[str, Variable],
        notes: list[str],
        payload: bytes | None = None,
    ) -> TableMeta:
        """The metadata of one answer, read in `lang` (fetch.read_metadata merges languages)."""
        return cls(
            provider=provider,
            table=table,
            title=title,
            updated=updated,
            variables=variables,
            labels={lang: {code: dict(var.values) for code, var in variables.items()}},
            titles={lang: title},
            notes={lang: notes},
            payload=payload,
        )


def each_selected(
    part: Selection, full: Selection, asked_all: set[str]
) -> Iterator[tuple[str, list[str]]]:
    """Each variable of a request part with the codes to send: ["*"] where sources.yml asked
    for the whole variable and the part still holds all of it (an unsplit "*" stays "*")."""
    for code, values in part.items():
        yield code, [ALL] if code in asked_all and values == full[code] else values


def read_yaml(path: Path) -> Any:
    """A YAML data file, read safely (plain data only). PyYAML's C loader (libyaml, in its
    wheels) reads our files to the same data about nine times faster than the Python one
    (22 against 197 ms for the catalogue, sources.yml and the rest)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe)


def load_sources(path: Path = SOURCES_FILE) -> list[TableSpec]:
    """Read and check sources.yml; anything malformed fails naming the entry and the key."""
    entries = read_yaml(path) or []
    if not isinstance(entries, list):
        raise BarometerError(f"{path.name}: expected a list of tables")
    specs = []
    for number, entry in enumerate(entries, start=1):
        try:
            specs.append(TableSpec(SourceSpec.model_validate(entry)))
        except ValidationError as exc:
            where = entry.get("table", number) if isinstance(entry, dict) else number
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise BarometerError(f"{path.name} table {where}: {problems}") from None
    seen = [(s.provider, s.key) for s in specs]
    if len(set(seen)) != len(seen):
        raise BarometerError(f"{path.name}: a table is listed twice (give the second a name)")
    return specs


@cache
def shipped_sources() -> tuple[TableSpec, ...]:
    """sources.yml as it ships with the code, read and checked once per process: what the
    app's pages read from it (queries/about.py, queries/scorecard.py). Checking it entry by
    entry takes longer than drawing a page (about 120 ms)."""
    return tuple(load_sources())


def column_name(variable: str) -> str:
    """A plain SQL column name for a provider variable code (OMRÅDE -> omraade, Tid -> tid)."""
    name = variable.lower().replace("å", "aa").replace("ø", "oe").replace("æ", "ae")
    name = re.sub(r"[^a-z0-9_]", "_", name)
    return name if not name[0].isdigit() else f"v_{name}"


# --- planning -------------------------------------------------------------------------------

Selection = dict[str, list[str]]


def provider_cells(provider: str, selection: Selection, time_variable: str | None) -> int:
    """A request's cells as the provider counts them against its limit."""
    rows = math.prod(len(values) for values in selection.values())
    if provider == "dst":
        # Every variable given, plus the time variable (always returned, so counted even
        # when not given) and the value.
        given = sum(1 for code in selection if code != time_variable)
        return rows * (given + 2)
    return rows


@dataclass(frozen=True)
class Part:
    """One request of a plan: its selection and its cells as the provider counts them."""

    selection: Selection
    cells: int


def plan_requests(
    provider: str,
    selection: Selection,
    limit: int,
    time_variable: str | None,
    by_period: Callable[[list[str]], Selection] | None = None,
    fixed: Iterable[str] = (),
) -> list[Part]:
    """Split a selection into requests that each stay within the provider's cell limit.

    Periods are grouped into runs first (so each request covers a stretch of time);
    `by_period` may narrow the other variables to what those periods need (Statistics
    Norway's municipality codes in use then). A run of one period that is still too large is
    halved along its widest variable not in `fixed`.
    """

    def cells(part: Selection) -> int:
        return provider_cells(provider, part, time_variable)

    def shaped(periods: list[str]) -> Selection:
        part = by_period(periods) if by_period is not None else dict(selection)
        part[time_variable or ""] = periods
        return {code: part[code] for code in selection}

    runs: list[Selection] = []
    if time_variable is not None and time_variable in selection:
        run: list[str] = []
        for period in selection[time_variable]:
            if run and cells(shaped([*run, period])) > limit:
                runs.append(shaped(run))
                run = []
            run.append(period)
        runs.append(shaped(run))
    else:
        runs.append(dict(selection))
    keep = frozenset({*fixed, time_variable or ""})
    return [Part(part, cells(part)) for run in runs for part in _halve(run, cells, limit, keep)]


def _halve(
    selection: Selection, cells: Callable[[Selection], int], limit: int, fixed: frozenset[str]
) -> list[Selection]:
    if cells(selection) <= limit:
        return [selection]
    splittable = [code for code, values in selection.items() if len(values) > 1]
    preferred = [code for code in splittable if code not in fixed] or splittable
    if not preferred:
        raise BarometerError(
            f"a request of {cells(selection):,} cells exceeds the provider's limit of "
            f"{limit:,} and cannot be split further"
        )
    widest = max(preferred, key=lambda code: len(selection[code]))
    middle = len(selection[widest]) // 2
    halves = []
    for values in (selection[widest][:middle], selection[widest][middle:]):
        part = dict(selection)
        part[widest] = values
        halves.extend(_halve(part, cells, limit, fixed))
    return halves


def halve(selection: Selection, fixed: Iterable[str] = ()) -> list[Selection]:
    """Two requests covering one that the provider refused as too large."""
    keep = set(fixed)
    splittable = [c for c, values in selection.items() if len(values) > 1 and c not in keep]
    if not splittable:
        return [selection]
    widest = max(splittable, key=lambda code: len(selection[code]))
    middle = len(selection[widest]) // 2
    return [
        {**selection, widest: selection[widest][:middle]},
        {**selection, widest: selection[widest][middle:]},
    ]

"""Which provider tables we load (sources.yml), their metadata, and how requests are planned.

The planning here is provider-neutral: a selection is a mapping from variable code to the
value codes asked for; it is split into several requests when one would exceed a provider's
cell limit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from errors import BarometerError

SOURCES_FILE = Path(__file__).with_name("sources.yml")
ALL = "*"
KNOWN_PROVIDERS = ("dst", "ssb")
_SPEC_KEYS = {"provider", "table", "title", "variables", "expect"}


@dataclass(frozen=True)
class TableSpec:
    """One provider table as sources.yml asks for it."""

    provider: str
    table: str
    title: str
    variables: dict[str, list[str]]
    codelists: dict[str, str] = field(default_factory=dict)
    expect: dict[str, list[str]] = field(default_factory=dict)

    @property
    def raw_table(self) -> str:
        """Name of the DuckDB table that holds this provider table's cells."""
        return f"raw_{self.provider}_{self.table.lower()}"


@dataclass(frozen=True)
class Variable:
    """One variable of a provider table, from its metadata."""

    code: str
    text: str
    values: dict[str, str]  # value code -> label, in the provider's order
    elimination: bool = False
    time: bool = False


@dataclass(frozen=True)
class TableMeta:
    """A provider table's metadata: its variables and when the provider last updated it."""

    provider: str
    table: str
    title: str
    updated: str | None
    variables: dict[str, Variable]


def load_sources(path: Path = SOURCES_FILE) -> list[TableSpec]:
    """Read and check sources.yml; unknown keys or providers fail with a clear message."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    specs = []
    for number, entry in enumerate(entries, start=1):
        unknown = set(entry) - _SPEC_KEYS
        if unknown:
            raise BarometerError(f"{path.name} entry {number}: unknown keys {sorted(unknown)}")
        if entry.get("provider") not in KNOWN_PROVIDERS:
            raise BarometerError(
                f"{path.name} entry {number}: provider must be one of {KNOWN_PROVIDERS}"
            )
        variables: dict[str, list[str]] = {}
        codelists: dict[str, str] = {}
        for code, selection in entry["variables"].items():
            if isinstance(selection, dict):
                codelists[code] = str(selection["codelist"])
                selection = selection["values"]
            variables[code] = [str(value) for value in selection]
        specs.append(
            TableSpec(
                provider=entry["provider"],
                table=str(entry["table"]),
                title=entry.get("title", ""),
                variables=variables,
                codelists=codelists,
                expect={k: [str(v) for v in vs] for k, vs in (entry.get("expect") or {}).items()},
            )
        )
    return specs


def column_name(variable: str) -> str:
    """A plain SQL column name for a provider variable code (OMRÅDE -> omraade, Tid -> tid)."""
    name = variable.lower().replace("å", "aa").replace("ø", "oe").replace("æ", "ae")
    name = re.sub(r"[^a-z0-9_]", "_", name)
    return name if not name[0].isdigit() else f"v_{name}"


def expand_selection(spec: TableSpec, meta: TableMeta) -> dict[str, list[str]]:
    """The value codes each asked-for variable resolves to, using the table's metadata.

    "*" becomes every code the metadata lists; explicit codes are kept as asked.
    """
    expanded = {}
    for code, values in spec.variables.items():
        variable = meta.variables[code]
        expanded[code] = list(variable.values) if ALL in values else list(values)
    return expanded


def count_cells(selection: dict[str, list[str]]) -> int:
    """How many cells a request for this selection returns."""
    return math.prod(len(values) for values in selection.values())


def split_selection(
    selection: dict[str, list[str]], limit: int, fixed: frozenset[str] = frozenset()
) -> list[dict[str, list[str]]]:
    """Split a selection into parts that each stay within `limit` cells.

    The variable with the most values is cut into runs first; variables in `fixed` are never
    cut (for example one asked for through a provider codelist).
    """
    if count_cells(selection) <= limit:
        return [selection]
    splittable = [code for code in selection if code not in fixed and len(selection[code]) > 1]
    if not splittable:
        raise BarometerError(
            f"a request of {count_cells(selection):,} cells exceeds the provider's limit of "
            f"{limit:,} and cannot be split further"
        )
    widest = max(splittable, key=lambda code: len(selection[code]))
    rest = count_cells(selection) // len(selection[widest])
    run = max(1, limit // rest)
    values = selection[widest]
    parts = []
    for start in range(0, len(values), run):
        part = dict(selection)
        part[widest] = values[start : start + run]
        parts.extend(split_selection(part, limit, fixed))
    return parts

"""The citable data package: a zip with data.csv, metadata.json and README.txt.

data.csv has one row per indicator, municipality and period: codes and names, period, the
target and comparison groups, numerators, denominators, rates with their 95 % intervals, the
headline value and gap, the provider's status symbols and the note (as its code and in words),
the small-number flag, the national value, ranks and traffic lights. It is read through the
query layer, so a withheld value is empty here as everywhere. metadata.json says what every
column means, defines the indicators, lists the source tables and the exact provider requests
(`provenance`), the retrieval and provider update times, the suppression and small-number
rules, the software version, the snapshot and the SHA-256 of data.csv. README.txt says how to
cite. The spreadsheet variant writes data.csv for Danish and Norwegian spreadsheets
(exports/tables.py).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from exports.tables import Column, Kind, Variant, write_table
from indicators.notes import Note
from indicators.registry import Indicator, Measure
from indicators.stats import CAUTION_N_DEFAULT, MIN_N_DEFAULT
from loaders.municipalities import find_municipality
from loaders.sources import read_yaml
from locales.notes import describe_missing, describe_note
from queries.about import list_requests, list_source_tables, source_url
from queries.snapshots import Snapshot
from queries.values import get_municipal_values

COLUMNS_FILE = Path(__file__).with_name("data_csv.yml")
KINDS = ("text", "code", "number")


@dataclass(frozen=True)
class DataColumn:
    """One column of data.csv: its key (the header), kind and meaning (metadata.json)."""

    key: str
    kind: Kind
    meaning: str


def load_columns(path: Path = COLUMNS_FILE) -> list[DataColumn]:
    """data.csv's columns, in order, from their file; a malformed entry fails naming it."""
    columns = []
    for number, entry in enumerate(read_yaml(path), start=1):
        if not isinstance(entry, dict) or set(entry) != {"key", "kind", "meaning"}:
            raise ValueError(f"{path.name} entry {number}: expected key, kind and meaning")
        if entry["kind"] not in KINDS:
            raise ValueError(f"{path.name} {entry['key']}: kind is one of {', '.join(KINDS)}")
        columns.append(DataColumn(str(entry["key"]), entry["kind"], str(entry["meaning"])))
    return columns


COLUMNS = load_columns()
TABLE_COLUMNS = [Column(c.key, "", c.kind) for c in COLUMNS]
# Who publishes the source tables and under which terms (the about page says the same).
PROVIDER_NAMES = {
    "dst": "Statistics Denmark (Danmarks Statistik)",
    "ssb": "Statistics Norway (Statistisk sentralbyrå)",
    "fhi": "Norwegian Institute of Public Health (FHI)",
    "imdi": "Directorate of Integration and Diversity (IMDi)",
}
PROVIDER_TERMS = {
    "dst": "CC BY 4.0",
    "ssb": "CC BY 4.0",
    "fhi": "open data: pass it on with the source named",
    "imdi": "no licence stated: named as the source",
}
LICENCE = {
    "data": "Statistics Denmark and Statistics Norway publish their StatBank tables under CC "
    "BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The Norwegian Institute of Public "
    "Health (FHI) publishes open data to be passed on with the source named; the Directorate "
    "of Integration and Diversity (IMDi) states no licence. Name the provider and table as the "
    "source, and say the indicators were calculated by the Integration Barometer.",
    "software": "The Integration Barometer is open source under the MIT licence.",
}


def _plain(value: Any) -> Any:
    """A value for JSON: None for NaN and pandas' missing, ISO text for times."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    if hasattr(value, "item"):
        return _plain(value.item())
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def collect_rows(
    indicators: Sequence[Indicator], municipalities: Sequence[str] | None, lang: str
) -> list[dict[str, Any]]:
    """data.csv's rows for the indicators (and municipalities, when given), in order.

    Missing values are None (never 0); a note is described once per distinct note. For an
    indicator published per county only, the municipalities stand for their counties.
    """
    from views.changes import county_codes

    keys = [c.key for c in COLUMNS]
    rows: list[dict[str, Any]] = []
    chosen = [m for m in map(find_municipality, municipalities or []) if m is not None]
    for indicator in indicators:
        frame = get_municipal_values(indicator.id)
        if municipalities:
            wanted = {*municipalities, *county_codes(indicator, chosen)}
            frame = frame[frame["municipality"].astype(str).isin(wanted)].copy()
        definitions = indicator.countries
        frame["target_group"] = frame["country"].map(
            {c: d.target.label["en"] for c, d in definitions.items()}
        )
        frame["comparison_group"] = frame["country"].map(
            {c: d.comparison.label["en"] if d.comparison else "" for c, d in definitions.items()}
        )
        frame["age_band"] = frame["country"].map({c: d.age_band for c, d in definitions.items()})
        words: dict[tuple, str] = {}
        notes = []
        for code, symbol, n, missing in zip(
            frame["note_code"],
            frame["note_symbol"],
            frame["note_n"],
            frame["value"].isna(),
            strict=True,
        ):
            key = (_plain(code), _plain(symbol), _plain(n), bool(missing))
            if key not in words:
                note = Note.from_row({"note_code": key[0], "note_symbol": key[1], "note_n": key[2]})
                words[key] = describe_missing(note, lang) if missing else describe_note(note, lang)
            notes.append(words[key])
        frame["note"] = notes
        shown = frame[keys].astype(object)
        rows += shown.where(shown.notna(), None).to_dict(orient="records")  # type: ignore[arg-type]
    return rows


def _measure(measure: Measure | None) -> dict[str, Any] | None:
    if measure is None:
        return None
    return {
        "provider": measure.provider,
        "table": measure.table,
        "select": measure.select,
        "period_shift": measure.period_shift,
        "scale": measure.scale,
    }


def describe_indicator(indicator: Indicator) -> dict[str, Any]:
    """An indicator's definition for metadata.json (as in its YAML file)."""
    countries = {}
    for code, definition in indicator.countries.items():
        groups = {}
        for name, group in (("target", definition.target), ("comparison", definition.comparison)):
            if group is not None:
                groups[name] = {
                    "label": group.label,
                    **{
                        part: _measure(getattr(group, part))
                        for part in ("numerator", "denominator", "rate", "size")
                        if getattr(group, part) is not None
                    },
                }
        countries[code] = {
            "period_type": definition.period_type,
            "reference_date": definition.reference_date,
            "baseline": definition.baseline,
            "age_band": definition.age_band,
            **groups,
            "caveats": definition.caveats,
        }
    return {
        "id": indicator.id,
        "title": indicator.title,
        "description": indicator.description,
        "measure": indicator.measure,
        "unit": indicator.unit,
        "higher_is_better": indicator.higher_is_better,
        "sources": indicator.sources,
        "countries": countries,
    }


def _tables_of(indicators: Sequence[Indicator]) -> set[tuple[str, str]]:
    return {
        (measure.provider, measure.table.upper())
        for indicator in indicators
        for definition in indicator.countries.values()
        for group in (definition.target, definition.comparison)
        if group is not None
        for measure in (group.numerator, group.denominator, group.rate, group.size)
        if measure is not None
    }


@dataclass(frozen=True)
class Package:
    """What a data package holds, before it is zipped."""

    data: bytes
    metadata: dict[str, Any]
    readme: str
    records: list[dict[str, Any]]

    @property
    def rows(self) -> int:
        return len(self.records)


def build_package(
    indicators: Sequence[Indicator],
    snapshot: Snapshot,
    municipalities: Sequence[str] | None = None,
    variant: Variant | str = Variant.PLAIN,
    lang: str = "en",
    now: datetime | None = None,
    with_csv: bool = True,
) -> Package:
    """data.csv, metadata.json and README.txt for the indicators, read from the database
    being read (wrap the call in queries.snapshots.reading_snapshot for a snapshot).

    Without `with_csv` only the rows and metadata are made (a workbook needs no data.csv)."""
    rows = collect_rows(indicators, municipalities, lang)
    data = write_table(TABLE_COLUMNS, rows, variant) if with_csv else b""
    used = _tables_of(indicators)
    tables = list_source_tables("en")
    tables = tables[
        [
            (p, t.upper()) in used
            for p, t in zip(tables["provider"], tables["table_id"], strict=True)
        ]
    ]
    requests = list_requests()
    requests = requests[
        [
            (p, t.upper()) in used
            for p, t in zip(requests["provider"], requests["table_id"], strict=True)
        ]
    ]
    generated = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    metadata = {
        "title": "Integration Barometer: municipal indicator values",
        "generated_at": generated,
        "software": {
            "name": "integration-barometer",
            "version": importlib.metadata.version("integration-barometer"),
        },
        "snapshot": {
            "name": snapshot.name,
            "id": snapshot.id,
            "built_at": snapshot.built_at,
            "source": snapshot.source,
            "demo": snapshot.is_demo,
        },
        "files": {
            "data.csv": {
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "rows": len(rows),
                "variant": str(Variant(variant)),
                "encoding": "UTF-8 with BOM"
                if Variant(variant) is Variant.SPREADSHEET
                else "UTF-8",
                "separator": ";" if Variant(variant) is Variant.SPREADSHEET else ",",
                "decimal": "," if Variant(variant) is Variant.SPREADSHEET else ".",
            }
        },
        "columns": {c.key: c.meaning for c in COLUMNS},
        "rules": {
            "missing": "A missing, suppressed or withheld value is an empty field, never 0; "
            "note_code says why.",
            "withheld_below_n": MIN_N_DEFAULT,
            "caution_below_n": CAUTION_N_DEFAULT,
            "suppression": "Statistics Denmark publishes counts of 1-4 persons in some tables "
            "as missing (symbol '..'); Statistics Norway marks confidential cells ':'. A value "
            "built from any missing cell is missing, never understated.",
            "intervals": "Wilson score 95 % intervals for rates; Newcombe's method for gaps.",
            "lights": "barometer rule: values rounded to whole percentage points against the "
            "baseline; significance rule: better or worse only when the change's 95 % interval "
            "excludes 0.",
        },
        "indicators": [describe_indicator(i) for i in indicators],
        "source_tables": [
            {
                **{key: _plain(value) for key, value in row.items()},
                "url": source_url(str(row["provider"]), str(row["table_id"])),
            }
            for row in tables.to_dict(orient="records")
        ],
        "requests": [
            {key: _plain(value) for key, value in row.items()}
            for row in requests.to_dict(orient="records")
        ],
        "licence": LICENCE,
    }
    if not with_csv:
        del metadata["files"]
        return Package(data, metadata, "", rows)
    return Package(data, metadata, build_readme(metadata), rows)


def build_readme(metadata: dict[str, Any]) -> str:
    """README.txt (English, as metadata.json): what the package is and how to cite it."""
    snapshot = metadata["snapshot"]
    # The latest data is cited by its version id: "latest" names other data tomorrow.
    cited = f"“{snapshot['name']}”" if snapshot["name"] != "latest" else "latest"
    if snapshot["id"]:
        cited += f" (version {snapshot['id']})"
    tables: dict[str, list[str]] = {}
    for table in metadata["source_tables"]:
        tables.setdefault(table["provider"], []).append(str(table["table_id"]))
    sources = [
        f"  - {PROVIDER_NAMES[p]}, tables {', '.join(ids)} ({PROVIDER_TERMS[p]})"
        for p, ids in sorted(tables.items())
        if p in PROVIDER_NAMES
    ]
    lines = [
        "Integration Barometer: municipal indicator values",
        "",
        f"Snapshot: {cited} (built {snapshot['built_at']}, {snapshot['source']} data)",
        f"Generated: {metadata['generated_at']}; software {metadata['software']['version']}",
        "",
    ]
    if snapshot["demo"]:
        lines += ["DEMO DATA: simulated figures, not official statistics. Do not cite.", ""]
    lines += [
        "Files",
        "  data.csv       one row per indicator, municipality (or county) and period",
        f"                 SHA-256 {metadata['files']['data.csv']['sha256']}",
        "  metadata.json  columns, indicator definitions, source tables, the exact provider",
        "                 requests, rules for missing values and small numbers",
        "",
        "How to cite",
        "  Source:",
        *sources,
        "  Indicators calculated by the Integration Barometer",
        f"  (snapshot {cited}, built {snapshot['built_at']}).",
        "",
        "Missing values are empty, never 0: the note_code column says why (withheld below "
        f"{metadata['rules']['withheld_below_n']} persons, suppressed by the provider, ...).",
    ]
    if metadata["files"]["data.csv"]["variant"] == "spreadsheet":
        lines += [
            "",
            "data.csv is written for Danish and Norwegian spreadsheets: UTF-8 with BOM, ';' "
            "between fields, ',' as decimal mark, codes written as =\"0301\" so Excel keeps them "
            "as text (in LibreOffice, tick 'Evaluate formulas' when opening).",
        ]
    return "\n".join(lines) + "\n"


def zip_package(package: Package) -> bytes:
    """The package as zip bytes (file times fixed: only the contents differ between two)."""
    buffer = io.BytesIO()
    stamp = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("data.csv", package.data),
            (
                "metadata.json",
                json.dumps(package.metadata, indent=2, ensure_ascii=False).encode("utf-8"),
            ),
            ("README.txt", package.readme.encode("utf-8")),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()

"""Fetch one provider table: metadata first, then data in parts, decoded and validated.

Provider-neutral: the provider adapters (dst.py, ssb.py) build URLs and bodies; this module
plans the requests, decodes the JSON-stat answers and checks them before anything is stored.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType

import pandas as pd

from errors import LoadError
from loaders import dst, jsonstat, ssb
from loaders.http import HttpClient, HttpError
from loaders.sources import (
    TableMeta,
    TableSpec,
    column_name,
    count_cells,
    expand_selection,
    split_selection,
)

ADAPTERS: dict[str, ModuleType] = {"dst": dst, "ssb": ssb}
KNOWN_STATUSES = frozenset({"..", "...", ":", ".", "-", "x"})
# A missing cell without a symbol of its own is shown as "not available".
MISSING_SYMBOL = ".."
# Metric dimension the providers add to every answer; not a variable of ours.
CONTENTS = "ContentsCode"


@dataclass(frozen=True)
class Provenance:
    """Where one part of a table came from."""

    provider: str
    table: str
    url: str
    request: str  # the exact request body (and query) as JSON
    retrieved_at: datetime
    provider_updated: str | None
    cells: int


@dataclass
class LoadedTable:
    """A whole provider table, decoded and validated, ready to store."""

    spec: TableSpec
    meta: TableMeta
    frame: pd.DataFrame  # one column per variable (plain names), value, status
    provenance: list[Provenance]


@dataclass(frozen=True)
class Endpoint:
    """A provider's base URL, request cell limit and the client that talks to it."""

    base_url: str
    cell_limit: int
    client: HttpClient


def fetch_table(
    spec: TableSpec,
    endpoint: Endpoint,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
) -> LoadedTable:
    """Fetch, decode and validate one table; raise LoadError naming what went wrong."""
    adapter = ADAPTERS[spec.provider]
    meta_url = (
        dst.tableinfo_url(endpoint.base_url)
        if spec.provider == "dst"
        else ssb.metadata_url(endpoint.base_url, spec.table)
    )
    try:
        meta = adapter.fetch_metadata(endpoint.client, endpoint.base_url, spec.table, lang)
    except HttpError as exc:
        raise LoadError(spec.provider, spec.table, exc.url, f"metadata: {exc.reason}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise LoadError(
            spec.provider, spec.table, meta_url, f"unreadable metadata ({exc})"
        ) from None
    check_spec_against_metadata(spec, meta, meta_url)

    full = expand_selection(spec, meta)
    parts = split_selection(full, endpoint.cell_limit, fixed=frozenset(spec.codelists))
    frames, provenance = [], []
    for number, part in enumerate(parts, start=1):
        request = adapter.build_data_request(spec, part, full, lang)
        if progress is not None and len(parts) > 1:
            progress(f"  part {number}/{len(parts)} ({count_cells(part):,} cells)")
        try:
            url, body = adapter.fetch_data(endpoint.client, endpoint.base_url, request)
        except HttpError as exc:
            raise LoadError(spec.provider, spec.table, exc.url, exc.reason) from None
        frame, updated = decode_answer(spec, body, url)
        validate_frame(spec, meta, frame, url)
        frames.append(frame)
        provenance.append(
            Provenance(
                provider=spec.provider,
                table=spec.table,
                url=url,
                request=json.dumps(request, ensure_ascii=False, sort_keys=True),
                retrieved_at=datetime.now(UTC),
                provider_updated=updated,
                cells=len(frame),
            )
        )
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    keys = [c for c in frame.columns if c not in ("value", "status")]
    if frame.duplicated(keys).any():
        raise LoadError(spec.provider, spec.table, url, "duplicate cells across request parts")
    return LoadedTable(spec=spec, meta=meta, frame=frame, provenance=provenance)


def check_codes(
    meta: TableMeta, url: str, selection: dict[str, list[str]], where: str = ""
) -> None:
    """Every variable and explicit code of `selection` must exist in the table's metadata.

    Raises LoadError naming the closest codes with their labels, so a code renamed at the
    provider is easy to correct.
    """
    prefix = f"{where}: " if where else ""
    for variable, codes in selection.items():
        known = meta.variables.get(variable)
        if known is None:
            raise LoadError(
                meta.provider,
                meta.table,
                url,
                f"{prefix}variable {variable!r} not in the table's metadata; "
                f"it has {list(meta.variables)}",
            )
        for code in codes:
            if code != "*" and code not in known.values:
                raise LoadError(
                    meta.provider,
                    meta.table,
                    url,
                    f"{prefix}code {code!r} of {variable} not in the table's metadata; "
                    f"closest: {closest_codes(code, known.values)}",
                )


def check_spec_against_metadata(spec: TableSpec, meta: TableMeta, url: str) -> None:
    """Every variable and code sources.yml asks for or expects must exist in the metadata."""
    wanted = {
        variable: [*values, *spec.expect.get(variable, [])]
        for variable, values in spec.variables.items()
    }
    check_codes(meta, url, wanted)


def closest_codes(value: str, known: dict[str, str], count: int = 5) -> str:
    """The known codes most like `value`, with their labels, for error messages."""
    keys = list(known)
    best = difflib.get_close_matches(value, keys, n=count, cutoff=0.0)
    return ", ".join(f"{code} ({known[code]})" for code in best)


def decode_answer(spec: TableSpec, body: bytes, url: str) -> tuple[pd.DataFrame, str | None]:
    """Decode a JSON-stat answer into plain column names; keep the provider's update time."""
    try:
        document = json.loads(body)
        frame = jsonstat.decode(document)
        info = jsonstat.dataset_info(document)
    except (ValueError, KeyError, TypeError) as exc:
        reason = f"the answer is not valid JSON-stat ({_first_line(exc)})"
        raise LoadError(spec.provider, spec.table, url, reason) from None
    if CONTENTS in frame.columns and CONTENTS not in spec.variables:
        frame = frame.drop(columns=CONTENTS)
    frame = frame.rename(columns={c: column_name(c) for c in frame.columns})
    for column in frame.columns:
        if column not in ("value", "status"):
            frame[column] = frame[column].astype(str)
    missing = frame["value"].isna() & frame["status"].isna()
    frame.loc[missing, "status"] = MISSING_SYMBOL
    return frame, info.updated


def validate_frame(spec: TableSpec, meta: TableMeta, frame: pd.DataFrame, url: str) -> None:
    """Check an answer against what we asked for and what the metadata says exists."""

    def fail(reason: str) -> None:
        raise LoadError(spec.provider, spec.table, url, f"validation failed: {reason}")

    if frame.empty:
        fail("the answer has no cells")
    columns = {column_name(code): code for code in meta.variables}
    for code in spec.variables:
        if column_name(code) not in frame.columns:
            fail(f"dimension {code} missing from the answer")
    for column in frame.columns:
        if column in ("value", "status"):
            continue
        if column not in columns:
            fail(f"unexpected dimension {column!r} (not in the table's metadata)")
        known = meta.variables[columns[column]].values
        unknown = sorted(set(frame[column].unique()) - set(known))
        if unknown:
            fail(
                f"codes {unknown[:5]} of {columns[column]} are not in the table's metadata "
                "(the provider's schema changed?)"
            )
    for code, wanted in spec.expect.items():
        present = set(frame[column_name(code)].unique())
        absent = [value for value in wanted if value not in present]
        if absent:
            fail(f"expected codes {absent} of {code} are missing")
    symbols = set(frame["status"].dropna().unique())
    if not symbols <= KNOWN_STATUSES:
        fail(f"unknown status symbols {sorted(symbols - KNOWN_STATUSES)}")
    if not pd.api.types.is_float_dtype(frame["value"]):
        fail("values are not numeric")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__

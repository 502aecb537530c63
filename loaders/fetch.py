"""Fetch one provider table: metadata first, then data in planned parts, decoded and validated.

Provider-neutral: the adapters (dst.py, ssb.py, fhi.py, imdi.py) build URLs and bodies; this
module plans the requests within the provider's cell limit, decodes the answers (JSON-stat, or
IMDi's CSV files through their adapter), checks them, and shapes the cells for the database:
missing-value symbols apart from free-text notes, Norway's single countries summed into a
country group, earlier municipality codes put under today's. Every raw table stores its
geography of municipalities as `region` and its time as `tid`, whatever the provider calls them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import ModuleType

import numpy as np
import pandas as pd

from errors import LoadError
from loaders import dst, fhi, imdi, jsonstat, norway, ssb
from loaders.http import HttpClient, HttpError, Progress
from loaders.municipalities import municipality_codes
from loaders.sources import (
    LANGUAGES,
    NO_LIMIT,
    Part,
    Selection,
    TableMeta,
    TableSpec,
    column_name,
    halve,
    plan_requests,
    provider_cells,
)

ADAPTERS: dict[str, ModuleType] = {"dst": dst, "ssb": ssb, "fhi": fhi, "imdi": imdi}
# A missing cell without a symbol of its own is shown as "not available".
MISSING_SYMBOL = ".."
# PX's "nil" symbol: the value is exactly zero (PCAxis PXConstant.DATASYMBOL_NIL_STRING).
NIL_SYMBOL = "-"
# Metric dimension the providers add to every answer; not a variable of ours.
CONTENTS = "ContentsCode"
VALUE_COLUMNS = ("value", "status", "note")


@dataclass(frozen=True)
class Provenance:
    """Where one part of a table came from."""

    provider: str
    table: str
    url: str
    request: str  # the exact request body (and query) as JSON
    retrieved_at: datetime
    provider_updated: str | None
    cells: int  # cells in the answer
    provider_cells: int  # the request's cells as the provider counts them against its limit


@dataclass
class LoadedTable:
    """A whole provider table, decoded and validated, ready to store."""

    spec: TableSpec
    meta: TableMeta
    frame: pd.DataFrame  # one column per variable (plain names), value, status, note
    provenance: list[Provenance]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Endpoint:
    """A provider's base URL, request cell limit and the client that talks to it."""

    base_url: str
    cell_limit: int
    client: HttpClient


def stored_column(provider: str, variable: str) -> str:
    """The raw table's column for a provider variable: `region` and `tid` for the geography
    and time of providers that name them otherwise (FHI's GEO/AAR, IMDi's Kommunenummer/År),
    else the variable's plain name (OMRÅDE -> omraade, Tid -> tid)."""
    renamed: dict[str, str] = getattr(ADAPTERS[provider], "COLUMNS", {})
    return renamed.get(variable) or column_name(variable)


# --- metadata -----------------------------------------------------------------------------------


def read_metadata(spec: TableSpec, endpoint: Endpoint) -> TableMeta:
    """The table's metadata in English and the provider's language, merged.

    IMDi has no metadata: its file is downloaded and described, and kept in `payload`."""
    adapter = ADAPTERS[spec.provider]
    url = adapter.metadata_url(endpoint.base_url, spec)
    read: list[TableMeta] = []
    for lang in LANGUAGES[spec.provider]:
        try:
            read.append(adapter.fetch_metadata(endpoint.client, endpoint.base_url, spec, lang))
        except HttpError as exc:
            what = "download" if spec.provider == "imdi" else "metadata"
            raise LoadError(spec.provider, spec.table, exc.url, f"{what}: {exc.reason}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            what = "download" if spec.provider == "imdi" else f"metadata in {lang}"
            reason = f"unreadable {what} ({_first_line(exc)})"
            raise LoadError(spec.provider, spec.table, url, reason) from None
    english = read[0]
    for other in read[1:]:
        if set(other.variables) != set(english.variables):
            reason = "the metadata lists different variables in different languages"
            raise LoadError(spec.provider, spec.table, url, reason)
    return replace(
        english,
        labels={k: v for m in read for k, v in m.labels.items()},
        titles={k: v for m in read for k, v in m.titles.items()},
        notes={k: v for m in read for k, v in m.notes.items()},
        url=url,
    )


# --- planning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The requests for one table, and what was asked for as a whole ("*")."""

    full: Selection
    parts: list[Part]
    asked_all: set[str]
    limit: int
    fixed: frozenset[str]  # variables a request is never split along


def plan_table(spec: TableSpec, meta: TableMeta, limit: int) -> Plan:
    """The selection sources.yml asks for, resolved on the metadata, split into requests."""
    full: Selection = {}
    asked_all: set[str] = set()
    today = spec.source.borders == "today"
    for name, wanted in spec.variables.items():
        values = list(meta.variables[name].values)
        if wanted.all:
            full[name] = values
            asked_all.add(name)
        elif wanted.matching is not None:
            full[name] = [code for code in values if re.fullmatch(wanted.matching, code)]
        elif wanted.municipalities:
            usable = set(wanted.codes) | set(municipality_codes("NO"))
            if not today:
                usable |= norway.all_codes()
            full[name] = [code for code in values if code in usable]
        elif wanted.country_group is not None:
            group = {c.code for c in norway.country_group(wanted.country_group.group)}
            full[name] = [code for code in values if code in group]
        else:
            full[name] = [code for code in values if code in wanted.codes]
    time = meta.time_variable
    if spec.provider == "imdi":
        # One file holds everything: one "request" of the file's rows (the download is kept
        # from reading the metadata), as the simulator's request log counts them too.
        whole = imdi.count_rows(meta.payload or b"")
        return Plan(full, [Part(full, whole)], asked_all, NO_LIMIT, frozenset())
    by_period = None
    region = spec.region_variable
    if region is not None and not today:
        others = set(spec.variables[region].codes)

        def by_period(periods: list[str]) -> Selection:
            years = {int(p[:4]) for p in periods}
            usable = others | {c for y in years for c in norway.valid_codes(y)}
            return {**full, region: [c for c in full[region] if c in usable]}

    # A country group is summed within each answer, so every request holds all its countries.
    fixed = frozenset(k for k, v in spec.variables.items() if v.country_group is not None)
    parts = plan_requests(spec.provider, full, limit, time, by_period, fixed)
    return Plan(full, parts, asked_all, limit, fixed)


def describe_part(spec: TableSpec, meta: TableMeta, part: Part, limit: int) -> str:
    """ "945,000 cells (189,000 rows x 5 fields) of 1,000,000" as the provider counts them."""
    rows = int(np.prod([len(v) for v in part.selection.values()]))
    if spec.provider == "imdi":
        return f"the whole file ({part.cells:,} rows; IMDi states no limit)"
    if spec.provider == "dst":
        fields = part.cells // rows if rows else 0
        return f"{part.cells:,} cells ({rows:,} rows x {fields} fields) of {limit:,}"
    return f"{part.cells:,} cells of {limit:,}"


# --- data ---------------------------------------------------------------------------------------


def fetch_table(
    spec: TableSpec, meta: TableMeta, endpoint: Endpoint, progress: Progress | None = None
) -> LoadedTable:
    """Fetch, decode, validate and shape one table; raise LoadError naming what went wrong."""
    adapter = ADAPTERS[spec.provider]
    plan = plan_table(spec, meta, endpoint.cell_limit)
    time = meta.time_variable
    queue = list(plan.parts)
    frames, provenance = [], []
    notes: list[str] = []
    done = 0
    while queue:
        part = queue.pop(0)
        done += 1
        request = _request(spec, plan, part.selection)
        if progress is not None:
            total = done + len(queue)
            progress(f"  request {done}/{total}: {describe_part(spec, meta, part, plan.limit)}")
        try:
            if meta.payload is not None:  # IMDi's file, downloaded when its metadata was read
                url, body = adapter.data_url(endpoint.base_url, spec), meta.payload
            else:
                url, body = adapter.fetch_data(endpoint.client, endpoint.base_url, request)
        except HttpError as exc:
            halves = halve(part.selection, plan.fixed) if exc.too_large else []
            if len(halves) < 2:
                raise LoadError(spec.provider, spec.table, exc.url, exc.reason) from None
            if progress is not None:
                progress(f"  refused as too large ({exc.reason}); asking in two halves")
            queue[:0] = [Part(h, provider_cells(spec.provider, h, time)) for h in halves]
            done -= 1
            continue
        frame, updated, answered = decode_answer(spec, body, url, part.selection)
        validate_frame(spec, meta, frame, answered, part.selection, url)
        frames.append(plain(sum_country_groups(spec, frame, notes)))
        provenance.append(
            Provenance(
                provider=spec.provider,
                table=spec.key,  # a second load of a table is told apart by its name
                url=url,
                request=json.dumps(request, ensure_ascii=False, sort_keys=True),
                retrieved_at=datetime.now(UTC),
                provider_updated=updated or meta.updated,
                cells=len(frame),
                provider_cells=part.cells,
            )
        )
    # The parts never overlap (the plan cuts the selection into disjoint pieces) and each
    # answer holds only the codes its request asked for (validate_frame), so no cell can come
    # twice.
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if spec.provider == "fhi":
        frame = label_periods(spec, meta, frame, url)
    frame = shape_frame(spec, frame, notes)
    return LoadedTable(spec=spec, meta=meta, frame=frame, provenance=provenance, notes=notes)


def _request(spec: TableSpec, plan: Plan, part: Selection) -> dict:
    lang = "en"
    if spec.provider == "dst":
        return dst.build_data_request(spec.table, part, plan.full, plan.asked_all, lang)
    if spec.provider == "fhi":
        return fhi.build_data_request(spec, part, plan.full, plan.asked_all, plan.limit)
    if spec.provider == "imdi":
        return imdi.build_data_request(spec, part)
    codelists = {k: v.codelist for k, v in spec.variables.items() if v.codelist}
    return ssb.build_data_request(spec.table, part, plan.full, plan.asked_all, lang, codelists)


def decode_answer(
    spec: TableSpec, body: bytes, url: str, selection: Selection
) -> tuple[pd.DataFrame, str | None, dict[str, set[str]]]:
    """Decode a JSON-stat answer into plain column names, value, status and note.

    Returns the frame (dimension columns still Categoricals), the provider's update time and
    the codes the answer holds per column. `status` keeps the provider's symbol of a cell
    without a value (".." when it gave none); a status string on a cell that has a value is a
    free-text note, kept in `note` (PxWebApi writes cell notes into `status`: PCAxis.Serializers
    JsonStat2Serializer.cs). PX's nil symbol "-" means exactly zero: the value becomes 0 and
    the symbol goes to `note`. IMDi's CSV files are read by their adapter, and FHI's flags
    moved out of `value` first (fhi.prepare_answer).
    """
    updated: str | None = None
    try:
        if spec.provider == "imdi":
            frame, answered = imdi.decode_answer(spec, body, selection)
        else:
            document = json.loads(body)
            if spec.provider == "fhi":
                document = fhi.prepare_answer(document)
            frame = jsonstat.decode(document)
            info = jsonstat.dataset_info(document)
            answered = {code: set(dim.categories) for code, dim in info.dimensions.items()}
            updated = info.updated
    except (ValueError, KeyError, TypeError) as exc:
        kind = "the expected CSV file" if spec.provider == "imdi" else "valid JSON-stat"
        reason = f"the answer is not {kind} ({_first_line(exc)})"
        raise LoadError(spec.provider, spec.table, url, reason) from None
    if CONTENTS in frame.columns and CONTENTS not in spec.variables:
        frame = frame.drop(columns=CONTENTS)
    names = {c: stored_column(spec.provider, c) for c in frame.columns if c not in VALUE_COLUMNS}
    frame = frame.rename(columns=names)
    answered = {names[code]: codes for code, codes in answered.items() if code in names}
    has_value = frame["value"].notna()
    status = frame["status"]
    nil = ~has_value & (status == NIL_SYMBOL)
    keep = has_value | nil
    frame["note"] = status.astype(object).where(keep, None)
    frame["status"] = status.astype(object).where(~keep, None)
    frame.loc[nil, "value"] = 0.0
    frame.loc[~has_value & ~nil & frame["status"].isna(), "status"] = MISSING_SYMBOL
    return frame, updated, answered


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dimension columns as plain str objects: ten times quicker than pandas' str dtype for a
    Categorical, and DuckDB stores them as VARCHAR (a Categorical would become an ENUM)."""
    for column in frame.columns:
        if column not in VALUE_COLUMNS:
            frame[column] = frame[column].astype(object)
    return frame


def validate_frame(
    spec: TableSpec,
    meta: TableMeta,
    frame: pd.DataFrame,
    answered: dict[str, set[str]],
    asked: Selection,
    url: str,
) -> None:
    """Check an answer against what we asked for and what the metadata says exists.

    `answered` holds the codes of each dimension of the answer (its categories: a JSON-stat
    answer has a cell for every combination of them).
    """

    def fail(reason: str) -> None:
        raise LoadError(spec.provider, spec.table, url, f"validation failed: {reason}")

    if frame.empty:
        fail("the answer has no cells")
    names = {stored_column(spec.provider, code): code for code in meta.variables}
    for code in asked:
        if stored_column(spec.provider, code) not in frame.columns:
            fail(f"dimension {code} missing from the answer")
    for column, present in answered.items():
        if column not in names:
            fail(f"unexpected dimension {column!r} (not in the table's metadata)")
        code = names[column]
        unknown = sorted(present - set(meta.variables[code].values))
        if unknown:
            fail(
                f"codes {unknown[:5]} of {code} are not in the table's metadata "
                "(the provider's schema changed?)"
            )
        extra = sorted(present - set(asked.get(code, present)))
        if extra:
            fail(f"codes {extra[:5]} of {code} were not asked for")
        absent = [value for value in asked.get(code, []) if value not in present]
        if absent:
            fail(f"codes {absent[:5]} of {code} were asked for but are not in the answer")
    if not pd.api.types.is_float_dtype(frame["value"]):
        fail("values are not numeric")


# --- shaping ------------------------------------------------------------------------------------


def sum_country_groups(spec: TableSpec, frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Single countries summed into their group, within one answer (it holds them all)."""
    for name, wanted in spec.variables.items():
        if wanted.country_group is not None:
            frame = sum_country_group(frame, column_name(name), wanted.country_group.code, notes)
    return frame


def label_periods(spec: TableSpec, meta: TableMeta, frame: pd.DataFrame, url: str) -> pd.DataFrame:
    """FHI's periods stored as the windows they stand for ("2021-2023"), from their labels."""
    labels = meta.labels.get("nb", {}).get(fhi.TIME_DIMENSION, {})
    try:
        periods = {code: fhi.period_label(code, labels.get(code, code)) for code in labels}
    except ValueError as exc:
        raise LoadError(spec.provider, spec.table, url, f"validation failed: {exc}") from None
    frame["tid"] = frame["tid"].map(periods)
    return frame


def shape_frame(spec: TableSpec, frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Earlier municipality codes under today's, and a count of missing cells."""
    if spec.region_variable is not None and spec.source.borders == "as_published":
        frame = map_municipalities(
            frame,
            stored_column(spec.provider, spec.region_variable),
            set(spec.variables[spec.region_variable].codes),
            rates=spec.source.values == "rates",
        )
    missing = frame["value"].isna()
    if missing.any():
        symbols = frame.loc[missing, "status"].value_counts().to_dict()
        shown = ", ".join(f"{symbol!r} {count:,}" for symbol, count in symbols.items())
        notes.append(f"{missing.sum():,} of {len(frame):,} cells are missing ({shown})")
    return frame.reset_index(drop=True)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """`status` and `note` as text or None (never NaN), whatever pandas made of them."""
    for column in ("status", "note"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _sum_parts(frame: pd.DataFrame, keys: list[str], parts: pd.Series | int) -> pd.DataFrame:
    """Sum `value` over rows sharing `keys`: missing unless all `parts` rows have a value.

    `parts` gives, per group, how many rows it must have. The status of a missing sum is the
    first missing part's symbol; a note is kept only when the sum has one part.
    """
    grouped = frame.groupby(keys, sort=False, observed=True, dropna=False)
    out = grouped.agg(
        value=("value", "sum"),
        present=("value", "count"),
        rows=("value", "size"),
        status=("status", "first"),
        note=("note", "first"),
    ).reset_index()
    if isinstance(parts, int):
        needed = np.full(len(out), parts)
    else:
        needed = parts.reindex(pd.MultiIndex.from_frame(out[parts.index.names])).to_numpy()
    complete = (out["present"].to_numpy() == needed) & (out["rows"].to_numpy() == needed)
    out["value"] = out["value"].where(complete)
    out["status"] = out["status"].astype(object).fillna(MISSING_SYMBOL).where(~complete, None)
    out["note"] = out["note"].astype(object).where(needed == 1, None)
    return out.drop(columns=["present", "rows"])


def sum_country_group(
    frame: pd.DataFrame, column: str, code: str, notes: list[str]
) -> pd.DataFrame:
    """Replace single-country rows by their sum under `code` (missing if any part is)."""
    keys = [c for c in frame.columns if c not in (*VALUE_COLUMNS, column)]
    countries = frame[column].nunique()
    summed = _sum_parts(frame.drop(columns=column), keys, countries)
    summed[column] = code
    note = f"{column} {code}: the sum of {countries} single-country codes"
    if note not in notes:
        notes.append(note)
    return _tidy(summed[list(frame.columns)])


def map_municipalities(
    frame: pd.DataFrame, column: str, keep: set[str], rates: bool
) -> pd.DataFrame:
    """Put figures published under earlier municipality codes under today's codes.

    For each of today's municipalities and each period, the codes that covered it that year
    (loaders/norway.py): its own code, a renamed predecessor, or several merged ones. Counts
    of merged municipalities are summed (missing if any part is); rates cannot be, so a rate
    table's series starts at the merger. A split ends the series for every table. Codes in
    `keep` (the whole country) pass through unchanged. The break years are in the database's
    `municipality_breaks` table.
    """
    time = "tid"
    kept = frame[frame[column].isin(keep)]
    years = sorted({int(p[:4]) for p in frame[time].unique()})
    links = []
    for code in municipality_codes("NO"):
        for year in years:
            found = norway.predecessors(code, year)
            if found is None or (rates and len(found) > 1):
                continue
            links += [(code, year, old, len(found)) for old in found]
    mapping = pd.DataFrame(links, columns=["today", "year", column, "parts"])
    cells = frame[~frame[column].isin(keep)].assign(year=frame[time].str[:4].astype(int))
    joined = mapping.merge(cells, on=[column, "year"], how="left")
    keys = ["today", *[c for c in frame.columns if c not in (*VALUE_COLUMNS, column)]]
    # A part the table lacks counts as missing; with no part at all there is no row.
    joined = joined[joined[time].notna()]
    parts = joined.groupby(keys, sort=False)["parts"].first()
    summed = _sum_parts(joined.drop(columns=[column, "year", "parts"]), keys, parts)
    summed = summed.rename(columns={"today": column})
    return _tidy(pd.concat([kept, summed[list(frame.columns)]], ignore_index=True))


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__

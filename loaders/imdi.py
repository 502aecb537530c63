"""The Directorate of Integration and Diversity's (IMDi) municipal CSV downloads.

IMDi publishes no API and no licence; its statistics pages offer a "download CSV" button for
every municipality (`k`) or county (`f`), served as
GET {base}/download_csv/{k|f}/{dataset} with no parameters: the whole country comes back and
filtering is ours. Everything below is from public evidence, not documentation:
- a county's scripts that download these files daily (evensrii/Telemark @2f2c211,
  Python/Queries/09_Innvandrere_og_inkludering/**, read with delimiter ";" and encoding
  ISO-8859-1) and two raw files it saved unchanged (commit 83541874, Data/09_Innvandrere og
  inkludering/Bosetting av flyktninger/2023/*.csv);
- IMDi's own former front end (bengler/imdikator @a8a3ccc, MIT, lib/queryResultPresenter.js),
  which shows ":" as "Skjult" (hidden for privacy) and "." as "Mangler" (missing).

The format, as those files show it: ";"-separated, ISO-8859-1, no quoting, "\\n" line ends, a
final newline; long rows with one value column `Antall` and a column `Enhet` saying whether
the value is persons (`Personer`) or per cent (`Prosent`); column names differ per dataset and
have changed over time, so columns are read by name, never by position; municipality codes
have four digits with a leading zero and earlier years keep earlier codes (names, often
blank, carry validity such as "Moss (t.o.m. 2019)"); `:` hidden, `.` missing, `Inf` and empty
cells occur. Decimals: the raw files have a point ("93.84615385"); the issue that asked for
this source says comma. Both are read; anything else fails.

Values of the other columns are texts without codes. sources.yml gives each value we use a
short code of ours and the pattern its text must match (the codes of IMDi's own 2018 API where
known: botid 0_4, 5_9, 10+; world region 1, 2); a text that no longer matches leaves the code
absent and the refresh stops, naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders import norway
from loaders.http import HttpClient
from loaders.sources import ALL, Selection, TableMeta, TableSpec, Variable

PROVIDER = "imdi"
ENCODING = "iso-8859-1"
VALUE_COLUMN = "Antall"
UNIT_COLUMN = "Enhet"
TIME_COLUMN = "År"
GEO_COLUMNS = {"k": "Kommunenummer", "f": "Fylkesnummer"}
NAME_COLUMNS = {"Kommunenummer": "Kommune", "Fylkesnummer": "Fylke"}
CODE_WIDTH = {"Kommunenummer": 4, "Fylkesnummer": 2}
# Stored under the names every raw table uses for geography and time.
COLUMNS = {"Kommunenummer": "region", "Fylkesnummer": "region", TIME_COLUMN: "tid"}
NATIONAL = "0"
UNKNOWN_COUNTY = "99"
NOT_APPLICABLE = "."
# What IMDi writes instead of a number; an empty cell has no symbol of its own (".." then).
SYMBOLS = {":": "hidden for privacy", ".": "missing", "Inf": "division by zero"}
EMPTY_SYMBOL = ".."
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
ACCEPT = "text/csv, */*"
# Meaning checks per unit (the text of `Enhet`): persons are whole and not negative; the
# shares we load (employment, work or education after the programme) are 0-100 per cent.
PERSONS, PERCENT = "Personer", "Prosent"


def data_url(base_url: str, spec: TableSpec) -> str:
    return f"{base_url}/download_csv/{spec.source.level}/{spec.table}"


def metadata_url(base_url: str, spec: TableSpec) -> str:
    """There is no metadata endpoint: the file itself is read."""
    return data_url(base_url, spec)


@dataclass(frozen=True)
class ParsedFile:
    """A download read and checked: a frame of codes (one column per variable, by its header
    name), `value` and `status`; the variables with their codes and texts."""

    frame: pd.DataFrame
    variables: dict[str, Variable]


def fetch_metadata(client: HttpClient, base_url: str, spec: TableSpec, lang: str) -> TableMeta:
    """Download the file and describe it; the download is kept for the data step."""
    reply = client.get(data_url(base_url, spec), headers={"Accept": ACCEPT})
    parsed = read_file(reply.body, spec)
    notes = [f"{symbol} {meaning}" for symbol, meaning in SYMBOLS.items()]
    updated = reply.headers.get("last-modified")
    return TableMeta.in_language(
        lang, PROVIDER, spec.table, spec.title, updated, parsed.variables, notes, reply.body
    )


def build_data_request(spec: TableSpec, part: Selection) -> dict:
    """What is asked: the file, and the selection applied to it here."""
    return {"table": spec.table, "level": spec.source.level, "selection": part}


def fetch_data(client: HttpClient, base_url: str, request: dict) -> tuple[str, bytes]:
    """GET the file again (only when no download was kept from the metadata step)."""
    url = f"{base_url}/download_csv/{request['level']}/{request['table']}"
    reply = client.get(url, headers={"Accept": ACCEPT})
    return reply.url, reply.body


def decode_answer(
    spec: TableSpec, body: bytes, selection: Selection
) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """The file's cells for the selection (header names as column names), and the codes
    each column holds."""
    frame = read_file(body, spec).frame
    if spec.source.level == "f":
        frame = _not_existing(frame, spec)
    keep = np.ones(len(frame), dtype=bool)
    for name, values in selection.items():
        if values != [ALL]:
            keep &= frame[name].isin(values).to_numpy()
    frame = frame[keep].reset_index(drop=True)
    answered = {name: set(frame[name].unique()) for name in frame.columns if name in selection}
    return frame, answered


def _not_existing(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """A 0 for a county that did not exist in the year the figures describe is no figure: IMDi
    lists every county code in every year and writes 0 for the ones that did not exist (the
    county's script drops them: "fylker som ikke eksisterer"). Stored as "." (not applicable)."""
    geo, offset = GEO_COLUMNS["f"], 1 if spec.source.county_year == "previous" else 0
    years = frame[TIME_COLUMN].astype(int) - offset
    existed = np.array(
        [
            code in (NATIONAL, UNKNOWN_COUNTY) or code in norway.county_codes(year)
            for code, year in zip(frame[geo], years, strict=True)
        ]
    )
    gone = ~existed & (frame["value"] == 0).to_numpy()
    frame.loc[gone, "value"] = np.nan
    frame.loc[gone, "status"] = NOT_APPLICABLE
    return frame


# --- reading a file ---------------------------------------------------------------------------


def count_rows(body: bytes) -> int:
    """The rows of a download below its header (a request's size: IMDi states no limit)."""
    return max(body.count(b"\n") - 1, 0)


def read_file(body: bytes, spec: TableSpec) -> ParsedFile:
    """Check and read one download; ValueError saying what is wrong with it."""
    header, rows = _split(body)
    geo = GEO_COLUMNS[spec.source.level or "k"]
    for needed in (geo, TIME_COLUMN, VALUE_COLUMN):
        if needed not in header:
            raise ValueError(f"no column {needed!r}; the header is {';'.join(header)!r}")
    if len(set(header)) != len(header):
        raise ValueError(f"a column name repeats: {';'.join(header)!r}")
    columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    names = columns.pop(NAME_COLUMNS[geo], None)
    raw_values = columns.pop(VALUE_COLUMN)
    variables: dict[str, Variable] = {}
    coded: dict[str, list[str]] = {}
    for name, texts in columns.items():
        if name == geo:
            codes = [_geo_code(t, CODE_WIDTH[geo]) for t in texts]
            labels = _geo_labels(codes, names)
            ordered = sorted(labels, key=lambda c: (c != NATIONAL, c))
            values = {c: labels[c] for c in ordered}
        elif name == TIME_COLUMN:
            bad = next((t for t in texts if not re.fullmatch(r"\d{4}", t)), None)
            if bad is not None:
                raise ValueError(f"{TIME_COLUMN} {bad!r} is not a year")
            codes = texts
            values = {t: t for t in sorted(set(texts))}
        else:
            pins = spec.variables[name].codes if name in spec.variables else {}
            to_code = _codes_for(name, list(dict.fromkeys(texts)), pins)
            codes = [to_code[t] for t in texts]
            values = {code: text for text, code in to_code.items()}
        coded[name] = codes
        variables[name] = Variable(
            code=name,
            text=name,
            values=values,
            elimination=False,  # a total ("Alle") is only a value; nothing may be left out
            time=name == TIME_COLUMN,
        )
    value, status = _values(raw_values)
    if UNIT_COLUMN in columns:
        _check_units(columns[UNIT_COLUMN], value)
    frame = pd.DataFrame({**coded, "value": value, "status": pd.Series(status, dtype=object)})
    dimensions = list(coded)
    repeated = frame.duplicated(subset=dimensions, keep=False)
    if repeated.any():
        first = frame.loc[repeated, dimensions].iloc[0].to_dict()
        raise ValueError(f"{int(repeated.sum())} rows repeat the same cell, e.g. {first}")
    if UNIT_COLUMN in columns:
        _check_whole_groups(frame, columns[UNIT_COLUMN], raw_values)
    return ParsedFile(frame, variables)


def _split(body: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the file, after the checks a changed or broken download fails."""
    start = body[:200].lstrip().lower()
    if start.startswith((b"<", b"{", b"[")):
        raise ValueError("the answer is not a CSV file (an HTML or JSON page?)")
    if not body:
        raise ValueError("the file is empty")
    if not body.endswith(b"\n"):
        raise ValueError("the file ends in the middle of a line (cut short?)")
    if not body.isascii() and _is_utf8(body):
        raise ValueError("the file is UTF-8, not ISO-8859-1 as IMDi's files are")
    lines = body.decode(ENCODING).split("\n")[:-1]
    lines = [line.removesuffix("\r") for line in lines]
    header = lines[0].split(";")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split(";")
        if len(fields) != len(header):
            raise ValueError(
                f"line {number} has {len(fields)} fields, the header {len(header)}: {line[:80]!r}"
            )
        rows.append(fields)
    if not rows:
        raise ValueError("the file has a header and no rows")
    return header, rows


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _geo_code(text: str, width: int) -> str:
    """A municipality or county code with its leading zero; the whole country as "0"."""
    stripped = text.strip()
    if not stripped.isdigit():
        raise ValueError(f"geography code {text!r} is not a number")
    if int(stripped) == 0:
        return NATIONAL
    return stripped.zfill(width)


def _geo_labels(codes: list[str], names: list[str] | None) -> dict[str, str]:
    """Each code's name as the file gives it (the first non-empty one), else the code."""
    found: dict[str, str] = {}
    for code, name in zip(codes, names or [""] * len(codes), strict=True):
        if name.strip() and not found.get(code):
            found[code] = name.strip()
        found.setdefault(code, "")
    return {code: name or code for code, name in found.items()}


def _codes_for(variable: str, texts: list[str], pins: dict) -> dict[str, str]:
    """Our code for each text of a column: the pinned code whose pattern matches it, else the
    text itself (values we do not use)."""
    found = {}
    for text in texts:
        matches = [code for code, pin in pins.items() if pin.matches("nb", text)]
        if len(matches) > 1:
            raise ValueError(f"{variable} {text!r} matches the patterns of codes {matches}")
        found[text] = matches[0] if matches else text
    taken: dict[str, str] = {}
    for text, code in found.items():
        if code in taken:
            raise ValueError(
                f"{variable}: {taken[code]!r} and {text!r} both match the pattern of code {code}"
            )
        taken[code] = text
    return found


def _values(texts: list[str]) -> tuple[np.ndarray, list[str | None]]:
    """Numbers from `Antall` (decimal point or comma), NaN with a status for the symbols."""
    value = np.full(len(texts), np.nan)
    status: list[str | None] = [None] * len(texts)
    for i, raw in enumerate(texts):
        text = raw.strip()
        if NUMBER.fullmatch(text):
            value[i] = float(text.replace(",", "."))
        elif text in SYMBOLS:
            status[i] = text
        elif not text:
            status[i] = EMPTY_SYMBOL
        else:
            raise ValueError(f"{VALUE_COLUMN} {raw!r} on line {i + 2} is not a number or a symbol")
    return value, status


def _check_whole_groups(frame: pd.DataFrame, units: list[str], texts: list[str]) -> None:
    """Where a cell is given both as persons and as a per cent (employment by years in Norway),
    the per cent must be the persons over a whole number of people, to the per cent's own
    rounding: that is what lets the indicators derive the group's size from the two
    (indicators/compute.py, "derived_base"). The county's scripts derive it so ("Totalt =
    Personer / Prosent * 100"); IMDi does not say so. If the per cent were of another base,
    the sizes would be wrong, so the file is refused instead."""
    unit = pd.Series(units, index=frame.index)
    if not {PERSONS, PERCENT} <= set(unit):
        return
    keys = [c for c in frame.columns if c not in (UNIT_COLUMN, "value", "status")]
    decimals = pd.Series([len(t.strip().replace(",", ".").partition(".")[2]) for t in texts])
    shares = frame.assign(decimals=decimals.to_numpy())[unit == PERCENT]
    pairs = frame[unit == PERSONS].merge(shares, on=keys, suffixes=("", "_share"))
    pairs = pairs[(pairs["value"] > 0) & pairs["value_share"].notna()]
    half = 0.5 * 10.0 ** -pairs["decimals"].to_numpy()
    persons, share = pairs["value"].to_numpy(), pairs["value_share"].to_numpy()
    smallest = 100 * persons / (share + half)
    with np.errstate(divide="ignore"):
        largest = np.where(share > half, 100 * persons / (share - half), np.inf)
    slack = 1e-9 * np.maximum(smallest, 1.0)
    whole = np.floor(largest + slack) >= np.ceil(smallest - slack)
    if not whole.all():
        bad = pairs.loc[~whole, [*keys, "value", "value_share"]].iloc[0].to_dict()
        raise ValueError(
            f"{int((~whole).sum())} of {len(whole)} cells give persons and a per cent that no "
            f"whole group fits (e.g. {bad}): the per cent is not of the group, so its size "
            "cannot be derived"
        )


def _check_units(units: list[str], value: np.ndarray) -> None:
    unit = np.array(units, dtype=object)
    persons = (unit == PERSONS) & ~np.isnan(value)
    bad = persons & ((value < 0) | (value != np.round(value)))
    if bad.any():
        raise ValueError(f"a count of persons is {value[bad][0]:g}")
    percent = (unit == PERCENT) & ~np.isnan(value)
    bad = percent & ((value < 0) | (value > 100))
    if bad.any():
        raise ValueError(f"a share is {value[bad][0]:g} per cent, outside 0-100")

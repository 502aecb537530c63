"""CSV tables in two variants: plain CSV for programs, and CSV for Danish/Norwegian spreadsheets.

plain
    UTF-8 without BOM, ``,`` between fields, ``.`` decimals, a header row of stable column keys.
    Numbers are written at full precision (the shortest text that reads back as the same float),
    so a value read back equals the stored one.

spreadsheet
    What Excel and LibreOffice open directly with a Danish or Norwegian locale: a UTF-8 byte
    order mark (without it Excel reads the file as Windows-1252 and mangles æ, ø, å), ``;``
    between fields (``,`` is those locales' decimal mark), ``,`` decimals, column headings in
    the reader's language, and codes written as ``="0301"`` so the leading zero survives (a
    spreadsheet turns a bare 0301 into the number 301). Text that a spreadsheet would run as a
    formula (starting with ``=``, ``+``, ``-``, ``@``) gets a leading apostrophe.

Both may start with preamble lines beginning with ``#`` that say what the table is (indicator,
target and comparison groups, age band, period, source tables, licence, demo label): see
`describe_table`. ``pandas.read_csv(..., comment="#")`` skips them; `read_table` reads both
variants back.

A missing value is an empty field, never 0; the note column says why it is missing.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import pandas as pd

from indicators.registry import Indicator
from locales import N_, _
from locales.words import country_name, provider_name

BOM = "\ufeff"
COUNTRY_PROVIDERS = {"DK": "dst", "NO": "ssb"}
_CODE = re.compile(r'^="(.*)"$')
_CODE_SAFE = re.compile(r"^[0-9A-Za-z_.:/ -]+$")  # a code that needs no CSV quoting
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Variant(StrEnum):
    """Which CSV: for programs (plain) or for Danish/Norwegian spreadsheets."""

    PLAIN = "plain"
    SPREADSHEET = "spreadsheet"


Kind = Literal["text", "code", "number"]


@dataclass(frozen=True)
class Column:
    """One column: its stable key (the plain header), its heading for people, and its kind.

    `code` columns hold identifiers (municipality codes, periods are text) that must stay text;
    `number` columns hold floats or ints (None and NaN are written empty).
    """

    key: str
    heading: str = ""
    kind: Kind = "text"

    def title(self, variant: Variant) -> str:
        return self.heading or self.key if variant is Variant.SPREADSHEET else self.key


# --- writing -----------------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    """None, NaN, pandas' NA or an empty string: written as an empty field."""
    if value is None or isinstance(value, str):
        return not value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def format_number(value: Any, variant: Variant | str = Variant.PLAIN) -> str:
    """A number as CSV text: "" when missing, whole numbers without ".0", else full precision."""
    if type(value) is float and value == value and abs(value) < 1e15:  # the common case, fast
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", ",") if variant == Variant.SPREADSHEET else text
    if is_missing(value):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    if math.isnan(number):
        return ""
    if math.isinf(number):
        raise ValueError(f"not a finite number: {value!r}")
    if number.is_integer() and abs(number) < 1e15:
        text = str(int(number))
    else:
        text = repr(number)
    return text.replace(".", ",") if Variant(variant) is Variant.SPREADSHEET else text


def _cell(value: Any, kind: Kind, variant: Variant) -> str:
    if kind == "number":
        return format_number(value, variant)
    if is_missing(value):
        return ""
    text = str(value)
    if variant is Variant.PLAIN or not text:
        return text
    if kind == "code" and _CODE_SAFE.match(text):
        return '="' + text + '"'  # written as is, never quoted (see _join)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def write_table(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    variant: Variant | str = Variant.PLAIN,
    preamble: Sequence[str] = (),
) -> bytes:
    """The table as CSV bytes (UTF-8; with a BOM in the spreadsheet variant).

    `rows` are mappings by column key (extra keys are ignored, absent ones written empty);
    `preamble` lines are written first, each as one line starting with "# ".
    """
    variant = Variant(variant)
    buffer = io.StringIO()
    if variant is Variant.SPREADSHEET:
        buffer.write(BOM)
        end = "\r\n"
        for line in preamble:
            buffer.write(_join(["# " + _one_line(line)], ";", keep_codes=False) + end)
    else:
        end = "\n"
        for line in preamble:
            # Raw, never quoted: `read_csv(comment="#")` skips a line only if it starts with #.
            buffer.write("# " + _one_line(line) + end)
    delimiter = ";" if variant is Variant.SPREADSHEET else ","
    spreadsheet = variant is Variant.SPREADSHEET
    titles = [column.title(variant) for column in columns]
    buffer.write(_join(titles, delimiter, keep_codes=False) + end)
    for row in rows:
        cells = [_cell(row.get(c.key), c.kind, variant) for c in columns]
        buffer.write(_join(cells, delimiter, keep_codes=spreadsheet) + end)
    return buffer.getvalue().encode("utf-8")


def _join(cells: Sequence[str], delimiter: str, keep_codes: bool) -> str:
    """One CSV line; a field is quoted only when it must be (RFC 4180).

    A spreadsheet code cell (="0301") stays unquoted: quoted, Excel would show it as text with
    the equals sign instead of evaluating it to the code.
    """
    return delimiter.join(
        cell
        if (keep_codes and _CODE.match(cell)) or not _needs_quotes(cell, delimiter)
        else _quoted(cell)
        for cell in cells
    )


_SPECIAL = {delimiter: re.compile(f'[{delimiter}"\n\r]') for delimiter in (",", ";")}


def _needs_quotes(cell: str, delimiter: str) -> bool:
    return _SPECIAL[delimiter].search(cell) is not None


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def file_name(stem: str, variant: Variant | str) -> str:
    """A download's file name: the spreadsheet variant says so in its name."""
    suffix = "-spreadsheet" if Variant(variant) is Variant.SPREADSHEET else ""
    return f"{stem}{suffix}.csv"


# --- the preamble ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceTable:
    """A provider table behind a figure, with the provider's own update time."""

    provider: str
    table_id: str
    title: str = ""
    provider_updated: str = ""


@dataclass(frozen=True)
class TableContext:
    """What a table shows and where it comes from, for its preamble.

    `source` is "live" or "demo"; `snapshot` a pinned snapshot's label (empty for the latest
    data); `lines` are the page's own extra lines (its peer group, for example).
    """

    indicator: Indicator | None
    country: str | None
    period: str
    source: str
    built_at: str
    tables: Sequence[SourceTable] = ()
    snapshot: str = ""
    view_url: str = ""
    generated_at: str = ""
    lines: Sequence[str] = field(default_factory=tuple)


# Providers publishing under CC BY 4.0, and the terms of the others (as on the about page).
CC_BY_PROVIDERS = ("dst", "ssb")
OTHER_TERMS = {
    "fhi": N_("Norwegian Institute of Public Health (FHI): open data, name it and the table"),
    "imdi": N_("IMDi: no licence stated, name it as the source"),
}


def licence_line(providers: Iterable[str], lang: str) -> str:
    """How to cite: each provider named with its terms (CC BY 4.0 for the statistics offices),
    and that the figures are calculated."""
    used = sorted(set(providers))
    names = [provider_name(p, lang) for p in used if p in CC_BY_PROVIDERS]
    terms = []
    if names:
        terms.append(
            _(
                "{providers}, CC BY 4.0 (name the provider and table as the source)",
                lang,
                providers=" / ".join(names),
            )
        )
    terms += [_(OTHER_TERMS[p], lang) for p in used if p in OTHER_TERMS]
    return _(
        "Licence: {terms}; indicators calculated by the Integration Barometer",
        lang,
        terms="; ".join(terms) or _("name the providers and tables as the source", lang),
    )


def data_line(source: str, built_at: str, snapshot: str, lang: str) -> str:
    """Live or demo data (demo said plainly), when it was built, and the snapshot label."""
    if source == "demo":
        line = _(
            "Data: DEMO, simulated figures, not official statistics (built {built})",
            lang,
            built=built_at,
        )
    else:
        line = _("Data: as published by the providers (built {built})", lang, built=built_at)
    if snapshot:
        line += "; " + _("snapshot “{label}”", lang, label=snapshot)
    return line


def measure_line(indicator: Indicator, lang: str) -> str:
    """What the value column means."""
    if indicator.measure == "gap":
        return _(
            "Value: gap in percentage points (how far the target group is behind the "
            "comparison group; a smaller gap is better); interval: Newcombe 95 %",
            lang,
        )
    return _("Value: rate in %; interval: Wilson 95 %", lang)


def describe_table(context: TableContext, lang: str = "en") -> list[str]:
    """Preamble lines: indicator, groups, age band, period, sources, licence, data, view."""
    lines: list[str] = []
    indicator, country = context.indicator, context.country
    if indicator is not None:
        lines.append(
            _("Indicator: {title} ({id})", lang, title=indicator.title_in(lang), id=indicator.id)
        )
    definition = indicator.countries.get(country) if indicator and country else None
    if country:
        lines.append(_("Country: {country}", lang, country=country_name(country, lang)))
    if definition is not None:
        target = definition.target.label
        lines.append(_("Target group: {group}", lang, group=target.get(lang) or target["en"]))
        if definition.comparison is not None:
            label = definition.comparison.label
            lines.append(_("Comparison group: {group}", lang, group=label.get(lang) or label["en"]))
        lines.append(_("Age band: {band}", lang, band=definition.age_band))
    if context.period:
        lines.append(_("Period: {period}", lang, period=context.period))
    if indicator is not None:
        lines.append(measure_line(indicator, lang))
    lines.extend(context.lines)
    lines.append(
        _("Missing values are empty, never 0; the note column says why a value is missing", lang)
    )
    if context.tables:
        described = [
            f"{provider_name(t.provider, lang)} {t.table_id}"
            + (f" “{t.title}”" if t.title else "")
            + (" (" + _("updated {when}", lang, when=t.provider_updated) + ")")
            * bool(t.provider_updated)
            for t in context.tables
        ]
        lines.append(_("Source tables: {tables}", lang, tables="; ".join(described)))
    providers = [t.provider for t in context.tables] or (
        [COUNTRY_PROVIDERS[country]] if country in COUNTRY_PROVIDERS else []
    )
    lines.append(licence_line(providers, lang))
    lines.append(data_line(context.source, context.built_at, context.snapshot, lang))
    if context.view_url:
        lines.append(_("View: {url}", lang, url=context.view_url))
    if context.generated_at:
        lines.append(_("Generated at: {when}", lang, when=context.generated_at))
    return lines


# --- reading back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadTable:
    """A CSV read back: its variant, preamble lines (without "# "), header and rows of text."""

    variant: Variant
    preamble: list[str]
    header: list[str]
    rows: list[list[str]]

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


def read_table(data: bytes) -> ReadTable:
    """Read a table written by `write_table` (either variant); codes come back as plain text.

    Numbers stay text: `parse_number` turns one into a float (None for an empty field).
    """
    text = data.decode("utf-8")
    variant = Variant.SPREADSHEET if text.startswith(BOM) else Variant.PLAIN
    lines = text.removeprefix(BOM).splitlines(keepends=True)
    preamble = []
    while lines and lines[0].startswith(("#", '"#')):
        line = lines.pop(0)
        if variant is Variant.SPREADSHEET:  # one cell, quoted when it holds a ;
            (line,) = next(csv.reader([line], delimiter=";"))
        preamble.append(line.strip()[1:].strip())
    delimiter = ";" if variant is Variant.SPREADSHEET else ","
    parsed = list(csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter))
    header = parsed[0] if parsed else []
    rows = [[_uncell(cell, variant) for cell in row] for row in parsed[1:]]
    return ReadTable(variant, preamble, header, rows)


def _uncell(cell: str, variant: Variant) -> str:
    if variant is Variant.PLAIN:
        return cell
    code = _CODE.match(cell)
    if code:
        return code.group(1).replace('""', '"')
    if cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell


def parse_number(text: str, variant: Variant | str = Variant.PLAIN) -> float | None:
    """A number field read back (None when empty)."""
    if not text:
        return None
    if Variant(variant) is Variant.SPREADSHEET:
        text = text.replace(",", ".")
    return float(text)

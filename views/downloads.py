"""An indicator's values by municipality as a CSV file, with its definition in the preamble.

Used by the map (one period: its table) and by the indicator's page (every period, one file per
country). Written by exports/tables.py, plain (for programs, English) or for Danish and
Norwegian spreadsheets (the reader's language): see `values_download`. No Dash here.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from typing import Any

import pandas as pd

from exports.tables import (
    Column,
    SourceTable,
    TableContext,
    Variant,
    describe_table,
    file_name,
    write_table,
)
from indicators.notes import Note
from indicators.registry import Indicator
from locales import N_, _
from locales.notes import describe_missing, describe_note
from locales.numbers import pp_unit
from locales.words import provider_name
from queries.compare import Provenance, get_provenance
from queries.values import get_values, list_municipalities

# (key in the plain header, heading for spreadsheets, kind)
COLUMNS = (
    ("code", N_("Code"), "code"),
    ("municipality", N_("Municipality"), "text"),
    ("region", N_("Region"), "text"),
    ("period", N_("Period"), "code"),
    ("value", N_("Value ({unit})"), "number"),
    ("lower_95", N_("95 % lower"), "number"),
    ("upper_95", N_("95 % upper"), "number"),
    ("target_rate_pct", N_("Target group (%)"), "number"),
    ("comparison_rate_pct", N_("Comparison group (%)"), "number"),
    ("n", N_("n (target group)"), "number"),
    ("note", N_("Note"), "text"),
)


def _number(value: Any, factor: float = 1.0) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number * factor


def source_tables(provenance: Provenance) -> list[SourceTable]:
    """The provider tables behind a view, for a CSV's preamble."""
    return [
        SourceTable(t["provider"], t["table_id"], t["title"], t["provider_updated"])
        for t in provenance.tables
    ]


def value_rows(
    indicator: Indicator, country: str, period: str | None, lang: str
) -> list[dict[str, Any]]:
    """One row per municipality and period; with a `period`, every municipality of the
    country appears, a missing value empty with its reason (never 0)."""
    values = get_values(indicator.id, period=period, country=country)
    places = list_municipalities(country)
    regions = {str(r["code"]): str(r["region_name"] or "") for r in places.to_dict("records")}
    gap = indicator.measure == "gap"
    rows = []
    for row in values.to_dict(orient="records"):
        note = Note.from_row(row)
        value = _number(row.get("value"))
        lower = row.get("gap_lower_pp") if gap else row.get("target_lower")
        upper = row.get("gap_upper_pp") if gap else row.get("target_upper")
        rows.append(
            {
                "code": str(row["municipality"]),
                "municipality": row["name"],
                "region": regions.get(str(row["municipality"]), ""),
                "period": str(row["period"]),
                "value": value,
                "lower_95": _number(lower, 1.0 if gap else 100.0),
                "upper_95": _number(upper, 1.0 if gap else 100.0),
                "target_rate_pct": _number(row.get("target_rate"), 100.0),
                "comparison_rate_pct": _number(row.get("comparison_rate"), 100.0),
                "n": _number(row.get("target_den")),
                "note": describe_missing(note, lang)
                if value is None
                else describe_note(note, lang),
            }
        )
    if period is not None:
        seen = {row["code"] for row in rows}
        for place in places.to_dict(orient="records"):
            if str(place["code"]) not in seen:
                rows.append(
                    {
                        "code": str(place["code"]),
                        "municipality": place["name"],
                        "region": place["region_name"] or "",
                        "period": period,
                        "note": describe_missing(None, lang),
                    }
                )
    return sorted(rows, key=lambda r: (str(r["municipality"]), r["code"], r["period"]))


def values_download(
    indicator: Indicator,
    country: str,
    period: str | None,
    lang: str,
    variant: Variant | str,
    view_url: str,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """dcc.Download's dict for the CSV of an indicator's values in one country (one period,
    or all of them)."""
    variant = Variant(variant)
    words = lang if variant is Variant.SPREADSHEET else "en"
    unit = pp_unit(words) if indicator.measure == "gap" else "%"
    columns = [
        Column(key, _(heading, words, unit=unit), kind)  # type: ignore[arg-type]
        for key, heading, kind in COLUMNS
    ]
    provenance = get_provenance(indicator, country)
    context = TableContext(
        indicator=indicator,
        country=country,
        period=period or _("all periods", words),
        source=provenance.source,
        built_at=provenance.built_at,
        tables=source_tables(provenance),
        view_url=view_url,
        generated_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
    )
    rows = value_rows(indicator, country, period, words)
    content = write_table(columns, rows, variant, describe_table(context, words))
    stem = "-".join(part for part in (indicator.id, country, period or "all-periods") if part)
    return as_download(content, file_name(stem, variant))


def as_download(content: bytes, name: str) -> dict[str, Any]:
    """dcc.Download's dict for a CSV file (base64, so a UTF-8 byte order mark survives)."""
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": name,
        "type": "text/csv",
        "base64": True,
    }


def chart_source(indicator: Indicator, country: str, lang: str) -> str:
    """The line a saved chart carries under its title: the provider's tables, who calculated
    it, and, for demo data, that the figures are simulated."""
    provenance = get_provenance(indicator, country)
    tables = ", ".join(
        f"{provider_name(t['provider'], lang)} {t['table_id']}" for t in provenance.tables
    )
    line = _("Source: {tables}; calculated by the Integration Barometer", lang, tables=tables)
    line = line.replace("; ", "<br>", 1)  # two short lines: readable on a phone
    if provenance.source == "demo":
        line += "<br>" + _("Demo data: simulated figures", lang).upper()
    return line

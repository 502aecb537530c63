"""The workbook: one sheet per indicator and a metadata sheet (xlsxwriter).

Codes (municipalities, periods) are stored as text, so 0301 stays 0301; numbers as numbers;
a missing value is an empty cell, never 0. The columns are data.csv's (exports/snapshot.py).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from exports.snapshot import COLUMNS, Package


def build_workbook(
    package: Package, rows: Sequence[dict[str, Any]], indicators: Sequence[str]
) -> bytes:
    """The workbook's bytes: the metadata sheet first, then a sheet per indicator."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    meta = book.add_worksheet("metadata")
    lines = _metadata_lines(package.metadata)
    for n, (key, value) in enumerate(lines):
        meta.write_string(n, 0, key, bold)
        meta.write_string(n, 1, value)
    meta.set_column(0, 0, 28)
    meta.set_column(1, 1, 120)
    for indicator in indicators:
        sheet = book.add_worksheet(indicator[:31])
        for c, column in enumerate(COLUMNS):
            sheet.write_string(0, c, column.key, bold)
        mine = (r for r in rows if r["indicator"] == indicator)
        for r, row in enumerate(mine, start=1):
            for c, column in enumerate(COLUMNS):
                cell = row.get(column.key)
                if cell is None or cell == "":
                    continue
                if column.kind == "number":
                    sheet.write_number(r, c, float(cell))
                elif column.kind == "code":
                    sheet.write_string(r, c, str(cell), text)
                else:
                    sheet.write_string(r, c, str(cell))
        sheet.freeze_panes(1, 4)
        sheet.autofilter(0, 0, 0, len(COLUMNS) - 1)
    book.close()
    return buffer.getvalue()


def _metadata_lines(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    snapshot = metadata["snapshot"]
    lines = [
        ("title", metadata["title"]),
        ("snapshot", f"{snapshot['name']} (id {snapshot['id']})"),
        ("built_at", snapshot["built_at"]),
        (
            "source",
            snapshot["source"]
            + (" (DEMO: simulated figures, not official statistics)" if snapshot["demo"] else ""),
        ),
        ("generated_at", metadata["generated_at"]),
        ("software", f"{metadata['software']['name']} {metadata['software']['version']}"),
        ("licence", metadata["licence"]["data"]),
    ]
    lines += [(f"rule: {key}", str(value)) for key, value in metadata["rules"].items()]
    lines += [
        (
            f"table: {t['provider']} {t['table_id']}",
            f"{t.get('title') or ''} (provider updated {t.get('provider_updated')}; {t['url']})",
        )
        for t in metadata["source_tables"]
    ]
    lines += [
        (
            f"request: {r['provider']} {r['table_id']} {r['part']}",
            f"{r['url']} {r['request']} (retrieved {r['retrieved_at']})",
        )
        for r in metadata["requests"]
    ]
    lines += [(f"column: {key}", meaning) for key, meaning in metadata["columns"].items()]
    lines += [
        (f"indicator: {i['id']}", json.dumps(i, ensure_ascii=False)) for i in metadata["indicators"]
    ]
    return lines

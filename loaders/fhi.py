"""The Norwegian Institute of Public Health's open statistics API (FHI Statistikk Open API).

Everything specific to FHI lives here. Sources: FHI's own guide and client samples
(folkehelseinstituttet/Fhi.Statistikk.OpenAPI @c7d06b7: README.md, Code_samples/C#/
Fhi.OpenApiClient/Models/*.cs) and a county's scripts that use it daily (evensrii/Telemark
@2f2c211, Arbeid_og_inntekt/andel_innvandrere_i_lavinntekt_fhi.py and its saved output).

- Metadata: GET {source}/table/{id} (title, publishedAt, modifiedAt), GET {source}/Table/{id}/
  dimension (every dimension with its categories, nested as `children`) and GET .../flag (the
  symbols a table uses instead of a value). Labels are Norwegian only; there is no language
  parameter.
- Data: POST {source}/Table/{id}/data with one filter per dimension ("All dimension must have one
  and only one specified filter type": nothing can be left out) and
  {"format": "json-stat2", "maxRowCount": N}; an answer of more rows than N is refused.
- The answer is JSON-stat 2.0 but not as Statistics Norway writes it: `category.index` is an
  array, `role.time` and `role.geo` are null, `status` is an empty string, and a cell FHI does
  not show holds its flag (":") as a string inside `value` (the county's saved output has ":"
  values read through pyjstat, which takes `value` as it is and never reads `status`).
  `prepare_answer` turns that into the shape our decoder reads: flags become missing values
  with the flag as status.
- Periods: AAR codes end-year twice ("2023_2023") and are labelled with the window they stand
  for ("2021-2023": a three-year income window for persistent low income). The stored period
  is the label, checked to be a year or a span of years, never derived from the code.
"""

from __future__ import annotations

import json
import re
from typing import Any

from loaders.http import HttpClient
from loaders.sources import ALL, Selection, TableMeta, TableSpec, Variable, each_selected

PROVIDER = "fhi"
TIME_DIMENSION = "AAR"
GEO_DIMENSION = "GEO"
# Stored under the names every raw table uses for geography and time.
COLUMNS = {GEO_DIMENSION: "region", TIME_DIMENSION: "tid"}
FORMAT = "json-stat2"
PERIOD_LABEL = re.compile(r"\d{4}(-\d{4})?")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def _table_path(base_url: str, spec: TableSpec) -> str:
    return f"{base_url}/{spec.source.source_id}/Table/{spec.table}"


def metadata_url(base_url: str, spec: TableSpec) -> str:
    return f"{_table_path(base_url, spec)}/dimension"


def data_url(base_url: str, spec: TableSpec) -> str:
    return f"{_table_path(base_url, spec)}/data"


def _get(data: dict[str, Any], key: str) -> Any:
    """A member of an FHI answer whatever the case of its first letter (C# names it `Title`,
    the JSON has `title`)."""
    if key in data:
        return data[key]
    return data.get(key[:1].upper() + key[1:])


def fetch_metadata(client: HttpClient, base_url: str, spec: TableSpec, lang: str) -> TableMeta:
    """The table's description, dimensions and flags (Norwegian labels only)."""
    source = spec.source.source_id
    about = json.loads(client.get(f"{base_url}/{source}/table/{spec.table}").body)
    dimensions = json.loads(client.get(metadata_url(base_url, spec)).body)
    flags = json.loads(client.get(f"{_table_path(base_url, spec)}/flag").body)
    return parse_metadata(spec.table, about, dimensions, flags, lang)


def parse_metadata(
    table: str, about: dict, dimensions: dict, flags: list, lang: str = "nb"
) -> TableMeta:
    """TableMeta from the three metadata answers."""
    found = _get(dimensions, "dimensions")
    if not isinstance(found, list) or not found:
        raise ValueError("the dimension answer lists no dimensions")
    variables = {}
    for dimension in found:
        code = str(_get(dimension, "code"))
        values: dict[str, str] = {}
        for value, label in _flatten(_get(dimension, "categories") or []):
            if value in values:
                raise ValueError(f"dimension {code} lists category {value} twice")
            values[value] = label
        variables[code] = Variable(
            code=code,
            text=str(_get(dimension, "label") or code),
            values=values,
            elimination=False,  # every dimension needs a filter
            time=code == TIME_DIMENSION,
        )
    if TIME_DIMENSION not in variables:
        raise ValueError(f"no time dimension {TIME_DIMENSION} (dimensions: {list(variables)})")
    title = str(_get(about, "title") or "")
    updated = _get(about, "modifiedAt") or _get(about, "publishedAt")
    notes = [f"{_get(f, 'title')} = {_get(f, 'text')}" for f in flags or [] if isinstance(f, dict)]
    return TableMeta.in_language(
        lang, PROVIDER, table, title, None if updated is None else str(updated), variables, notes
    )


def _flatten(categories: list) -> list[tuple[str, str]]:
    """Categories in the order given, each followed by its children."""
    flat = []
    for category in categories:
        flat.append((str(_get(category, "value")), str(_get(category, "label") or "")))
        flat += _flatten(_get(category, "children") or [])
    return flat


def build_data_request(
    spec: TableSpec, part: Selection, full: Selection, asked_all: set[str], max_rows: int
) -> dict:
    """The POST body for one part: every dimension with a filter, and our row limit."""
    dimensions = [
        {"code": code, "filter": "all" if values == [ALL] else "item", "values": values}
        for code, values in each_selected(part, full, asked_all)
    ]
    return {
        "table": spec.table,
        "source_id": spec.source.source_id,
        "body": {"dimensions": dimensions, "response": {"format": FORMAT, "maxRowCount": max_rows}},
    }


def fetch_data(client: HttpClient, base_url: str, request: dict) -> tuple[str, bytes]:
    """POST one data request; return the URL asked and the raw answer."""
    url = f"{base_url}/{request['source_id']}/Table/{request['table']}/data"
    reply = client.post(url, request["body"])
    return reply.url, reply.body


def prepare_answer(document: Any) -> Any:
    """An FHI answer in the shape the JSON-stat decoder reads.

    Flags inside `value` become null values whose status is the flag; the empty `status`
    string FHI sends (which JSON-stat would read as one status for every cell) and the null
    roles are dropped. Anything that is not a JSON object is left for the decoder to refuse.
    """
    if not isinstance(document, dict):
        return document
    document = dict(document)
    role = document.get("role")
    if isinstance(role, dict):
        document["role"] = {k: v for k, v in role.items() if v is not None}
    status = document.get("status")
    if status == "" or status is None:
        document.pop("status", None)
        status = {}
    values = document.get("value")
    if isinstance(values, list):
        flags = {str(i): v.strip() for i, v in enumerate(values) if isinstance(v, str)}
        numeric = [v for v in flags.values() if NUMBER.fullmatch(v) or not v]
        if numeric:
            raise ValueError(f"value holds {numeric[0]!r} as text, neither a number nor a flag")
        if flags:
            if not isinstance(status, dict):
                raise ValueError("flags in value and a status that is not an object")
            document["value"] = [None if isinstance(v, str) else v for v in values]
            document["status"] = {**flags, **status}
    return document


def period_label(code: str, label: str) -> str:
    """The period a category stands for, as FHI labels it ("2021-2023"); ValueError if the
    label is not a year or a span of years ending in the code's year."""
    text = " ".join(label.split())
    if not PERIOD_LABEL.fullmatch(text):
        raise ValueError(f"period {code} is labelled {label!r}, not a year or a span of years")
    if text[-4:] not in code:
        raise ValueError(f"period {code} is labelled {label!r}, which ends in another year")
    return text

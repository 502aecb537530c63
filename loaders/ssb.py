"""Statistics Norway's PxWebApi v2: metadata and data requests for one table.

Everything specific to Statistics Norway lives here, so that a correction to the v2 shapes
(parts of which are unverified in our reference material) touches this one file.
Metadata is a JSON-stat 2.0 document without values; each dimension may carry
`extension.elimination` and `extension.codelists`. Data answers are JSON-stat 2.0 with a
`status` object for suppressed cells.
"""

from __future__ import annotations

import json

from loaders.http import HttpClient
from loaders.sources import ALL, TableMeta, TableSpec, Variable

PROVIDER = "ssb"
OUTPUT_FORMAT = "json-stat2"
LANGUAGES = {"en": "en", "da": "no", "nb": "no", "no": "no"}


def metadata_url(base_url: str, table: str) -> str:
    return f"{base_url}/tables/{table}/metadata"


def data_url(base_url: str, table: str) -> str:
    return f"{base_url}/tables/{table}/data"


def fetch_metadata(client: HttpClient, base_url: str, table: str, lang: str) -> TableMeta:
    """Ask for the table's metadata (JSON-stat 2.0 without values)."""
    params = {"lang": LANGUAGES.get(lang, "en"), "outputFormat": OUTPUT_FORMAT}
    reply = client.get(metadata_url(base_url, table), params)
    return parse_metadata(table, json.loads(reply.body))


def parse_metadata(table: str, doc: dict) -> TableMeta:
    """TableMeta from a v2 metadata document."""
    roles = doc.get("role") or {}
    time_vars = set(roles.get("time") or [])
    variables = {}
    for code in doc["id"]:
        dim = doc["dimension"][code]
        category = dim.get("category") or {}
        index = category.get("index")
        labels = category.get("label") or {}
        if isinstance(index, dict):
            ordered = sorted(index, key=index.__getitem__)
        elif isinstance(index, list):
            ordered = list(index)
        else:
            ordered = list(labels)
        extension = dim.get("extension") or {}
        variables[code] = Variable(
            code=code,
            text=dim.get("label", code),
            values={str(c): str(labels.get(c, c)) for c in ordered},
            elimination=bool(extension.get("elimination", False)),
            time=code in time_vars,
        )
    return TableMeta(
        provider=PROVIDER,
        table=table,
        title=doc.get("label", ""),
        updated=doc.get("updated"),
        variables=variables,
    )


def build_data_request(
    spec: TableSpec, part: dict[str, list[str]], full: dict[str, list[str]], lang: str
) -> dict:
    """The POST body (and query) for one part of a selection."""
    selection = []
    for code, values in part.items():
        asked_all = ALL in spec.variables[code] and values == full[code]
        item: dict = {"variableCode": code, "valueCodes": [ALL] if asked_all else values}
        if code in spec.codelists:
            item["codelist"] = spec.codelists[code]
        selection.append(item)
    return {
        "table": spec.table,
        "params": {"lang": LANGUAGES.get(lang, "en"), "outputFormat": OUTPUT_FORMAT},
        "body": {"selection": selection},
    }


def fetch_data(client: HttpClient, base_url: str, request: dict) -> tuple[str, bytes]:
    """POST one data request; return the URL asked and the raw answer."""
    url = data_url(base_url, request["table"])
    reply = client.post(url, request["body"], params=request["params"])
    return reply.url, reply.body

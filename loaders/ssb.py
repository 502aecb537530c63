"""Statistics Norway's PxWebApi v2: metadata and data requests for one table.

Everything specific to Statistics Norway lives here. Metadata is a JSON-stat 2.0 document
without values; each dimension may carry `extension.elimination` and `extension.codelists`
(the shape of PxWebApi's own test answers, PxTools/PxWebApi @92f4cfa
PxWebApi_Mvc.Tests/ExpectedJson/MetadataById_tab00{1,3,4}_js2.json, carried as
tests/fixtures/pxwebapi/). Data answers are JSON-stat 2.0 whose `status` holds missing-value
symbols and free-text cell notes.
"""

from __future__ import annotations

import json

from loaders.http import HttpClient
from loaders.sources import Selection, TableMeta, TableSpec, Variable, each_selected

PROVIDER = "ssb"
OUTPUT_FORMAT = "json-stat2"
# The API's language codes for the languages we store ("no" is stored as "nb").
API_LANGUAGES = {"en": "en", "nb": "no"}


def metadata_url(base_url: str, spec: TableSpec) -> str:
    return f"{base_url}/tables/{spec.table}/metadata"


def data_url(base_url: str, table: str) -> str:
    return f"{base_url}/tables/{table}/data"


def config_url(base_url: str) -> str:
    return f"{base_url}/config"


def fetch_metadata(client: HttpClient, base_url: str, spec: TableSpec, lang: str) -> TableMeta:
    """Ask for the table's metadata (JSON-stat 2.0 without values) in one language."""
    params = {"lang": API_LANGUAGES[lang], "outputFormat": OUTPUT_FORMAT}
    reply = client.get(metadata_url(base_url, spec), params)
    return parse_metadata(spec.table, json.loads(reply.body), lang)


def parse_metadata(table: str, doc: dict, lang: str = "en") -> TableMeta:
    """TableMeta from a v2 metadata document."""
    roles = doc.get("role") or {}
    time_vars = set(roles.get("time") or [])
    variables = {}
    notes = [str(n) for n in doc.get("note") or []]
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
        codelists = tuple(
            (str(c.get("id", "")), str(c.get("label", "")), str(c.get("type", "")))
            for c in extension.get("codelists") or []
        )
        variables[code] = Variable(
            code=code,
            text=dim.get("label", code),
            values={str(c): str(labels.get(c, c)) for c in ordered},
            elimination=bool(extension.get("elimination", False)),
            time=code in time_vars,
            codelists=codelists,
        )
        notes += [f"{dim.get('label', code)}: {n}" for n in dim.get("note") or []]
    title = str(doc.get("label", ""))
    return TableMeta.in_language(lang, PROVIDER, table, title, doc.get("updated"), variables, notes)


def fetch_config(client: HttpClient, base_url: str) -> dict:
    """The API's own configuration: maxDataCells, maxCallsPerTimeWindow, timeWindow, ..."""
    return dict(json.loads(client.get(config_url(base_url)).body))


def build_data_request(
    table: str,
    part: Selection,
    full: Selection,
    asked_all: set[str],
    lang: str,
    codelists: dict[str, str],
) -> dict:
    """The POST body (and query) for one part of a selection."""
    selection = []
    for code, values in each_selected(part, full, asked_all):
        item: dict = {"variableCode": code, "valueCodes": values}
        if code in codelists:
            item["codelist"] = codelists[code]
        selection.append(item)
    return {
        "table": table,
        "params": {"lang": API_LANGUAGES[lang], "outputFormat": OUTPUT_FORMAT},
        "body": {"selection": selection},
    }


def fetch_data(client: HttpClient, base_url: str, request: dict) -> tuple[str, bytes]:
    """POST one data request; return the URL asked and the raw answer."""
    url = data_url(base_url, request["table"])
    reply = client.post(url, request["body"], params=request["params"])
    return reply.url, reply.body

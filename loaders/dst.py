"""Statistics Denmark's statbank API (v1): metadata and data requests for one table.

Everything specific to Statistics Denmark lives here: URLs, request bodies, tableinfo parsing.
Answers are JSON-stat 1.0 wrapped in {"dataset": ...}; suppressed cells come back as null.
"""

from __future__ import annotations

import json

from loaders.http import HttpClient
from loaders.sources import ALL, TableMeta, TableSpec, Variable

PROVIDER = "dst"
# Statistics Denmark publishes no status object; a null cell is what its CSV shows as "..".
SUPPRESSED_SYMBOL = ".."


def tableinfo_url(base_url: str) -> str:
    return f"{base_url}/tableinfo"


def data_url(base_url: str) -> str:
    return f"{base_url}/data"


def fetch_metadata(client: HttpClient, base_url: str, table: str, lang: str) -> TableMeta:
    """Ask tableinfo for the table's variables and value codes."""
    body = {"table": table, "lang": lang, "format": "JSON"}
    reply = client.post(tableinfo_url(base_url), body)
    return parse_tableinfo(json.loads(reply.body))


def parse_tableinfo(info: dict) -> TableMeta:
    """TableMeta from a tableinfo answer."""
    variables = {}
    for var in info["variables"]:
        values = {str(v["id"]): str(v.get("text", v["id"])) for v in var["values"]}
        variables[var["id"]] = Variable(
            code=var["id"],
            text=var.get("text", var["id"]),
            values=values,
            elimination=bool(var.get("elimination", False)),
            time=bool(var.get("time", False)),
        )
    return TableMeta(
        provider=PROVIDER,
        table=str(info["id"]).upper(),
        title=info.get("text", ""),
        updated=info.get("updated"),
        variables=variables,
    )


def build_data_request(
    spec: TableSpec, part: dict[str, list[str]], full: dict[str, list[str]], lang: str
) -> dict:
    """The POST body for one part of a selection; unsplit "*" selections stay "*"."""
    variables = []
    for code, values in part.items():
        asked_all = ALL in spec.variables[code] and values == full[code]
        variables.append({"code": code, "values": [ALL] if asked_all else values})
    return {"table": spec.table, "format": "JSONSTAT", "lang": lang, "variables": variables}


def fetch_data(client: HttpClient, base_url: str, request: dict) -> tuple[str, bytes]:
    """POST one data request; return the URL asked and the raw answer."""
    url = data_url(base_url)
    reply = client.post(url, request)
    return url, reply.body

"""Statistics Denmark's statbank API (v1): metadata and data requests for one table.

Everything specific to Statistics Denmark lives here: URLs, request bodies, tableinfo parsing.
Answers are JSON-stat 1.0 wrapped in {"dataset": ...}; suppressed cells come back as null.
"""

from __future__ import annotations

import json

from loaders.http import HttpClient
from loaders.sources import Selection, TableMeta, TableSpec, Variable, each_selected

PROVIDER = "dst"
# The API's language codes for the languages we store.
API_LANGUAGES = {"en": "en", "da": "da"}
# Statistics Denmark publishes no status object; a null cell is what its CSV shows as "..".
SUPPRESSED_SYMBOL = ".."


def tableinfo_url(base_url: str) -> str:
    return f"{base_url}/tableinfo"


def data_url(base_url: str) -> str:
    return f"{base_url}/data"


def metadata_url(base_url: str, spec: TableSpec) -> str:
    return tableinfo_url(base_url)


def fetch_metadata(client: HttpClient, base_url: str, spec: TableSpec, lang: str) -> TableMeta:
    """Ask tableinfo for the table's variables and value codes in one language."""
    body = {"table": spec.table, "lang": API_LANGUAGES[lang], "format": "JSON"}
    reply = client.post(tableinfo_url(base_url), body)
    return parse_tableinfo(json.loads(reply.body), lang)


def parse_tableinfo(info: dict, lang: str = "en") -> TableMeta:
    """TableMeta from a tableinfo answer.

    `footnote` may be null, a string or an object {text, mandatory}, and `documentation` null
    (dst_response_shape.md); the footnote's text is kept as a note.
    """
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
    footnote = info.get("footnote")
    if isinstance(footnote, dict):
        footnote = footnote.get("text")
    notes = [str(footnote)] if footnote else []
    documentation = info.get("documentation")
    if isinstance(documentation, dict) and documentation.get("url"):
        notes.append(f"Documentation: {documentation['url']}")
    title = str(info.get("text", ""))
    table = str(info["id"]).upper()
    return TableMeta.in_language(
        lang, PROVIDER, table, title, info.get("updated"), variables, notes
    )


def build_data_request(
    table: str, part: Selection, full: Selection, asked_all: set[str], lang: str
) -> dict:
    """The POST body for one part of a selection; unsplit "*" selections stay "*"."""
    variables = [
        {"code": code, "values": values} for code, values in each_selected(part, full, asked_all)
    ]
    return {
        "table": table,
        "format": "JSONSTAT",
        "lang": API_LANGUAGES[lang],
        "variables": variables,
    }


def fetch_data(client: HttpClient, base_url: str, request: dict) -> tuple[str, bytes]:
    """POST one data request; return the URL asked and the raw answer."""
    url = data_url(base_url)
    reply = client.post(url, request)
    return url, reply.body

"""Faults the simulator can inject: which requests they hit and how they spoil an answer."""

from __future__ import annotations

import copy
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from simulator.imdi import CsvDocument, csv_answer
from simulator.messages import Answer, json_answer, text_answer

KINDS = (
    "http500",
    "http503",
    "http429",
    "timeout",
    "truncated",
    "invalid_json",
    "schema_drift",
    "relabel",
)
# Faults that spoil metadata answers unless told otherwise; the others spoil data answers.
METADATA_KINDS = ("relabel",)
PROVIDERS = ("dst", "ssb", "fhi", "imdi")
ENDPOINTS = ("data", "metadata", "about", "any")


@dataclass
class Fault:
    """One injected fault: its kind, what it matches and how many more requests it hits."""

    kind: str
    provider: str | None = None
    table: str | None = None
    times: int | None = 1  # None: until cleared
    endpoint: str = "data"
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")
        if self.provider is not None and self.provider not in PROVIDERS:
            raise ValueError(f"unknown provider {self.provider!r}; expected one of {PROVIDERS}")
        if self.endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {self.endpoint!r}; expected one of {ENDPOINTS}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for until cleared")

    def matches(self, provider: str, endpoint: str | None, table: str | None) -> bool:
        # IMDi's one download is its metadata and its data at once: every fault can hit it.
        return (
            self.provider in (None, provider)
            and (self.endpoint in ("any", endpoint) or endpoint == "download")
            and (self.table is None or (table or "").upper() == self.table.upper())
        )

    def describe(self) -> dict[str, Any]:
        """The fault as JSON, as the control endpoint lists it."""
        return {k: v for k, v in asdict(self).items() if k != "options"} | self.options


def fault_from_json(data: Any) -> Fault:
    """A Fault from the control endpoint's JSON body; raises ValueError when malformed."""
    if not isinstance(data, dict) or "kind" not in data:
        raise ValueError('the body must be a JSON object with at least "kind"')
    options = dict(data)
    times = options.pop("times", 1)
    kind = str(options.pop("kind"))
    return Fault(
        kind=kind,
        provider=options.pop("provider", None),
        table=options.pop("table", None),
        times=None if times is None else int(times),
        endpoint=options.pop("endpoint", default_endpoint(kind)),
        options=options,
    )


def default_endpoint(kind: str) -> str:
    return "metadata" if kind in METADATA_KINDS else "data"


class FaultBoard:
    """The faults in force, shared by the request threads."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> int:
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
        return count

    def take(self, provider: str, endpoint: str | None, table: str | None) -> Fault | None:
        """The first fault matching this request, counting the hit."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(provider, endpoint, table):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.describe() for f in self._faults]


def error_answer(fault: Fault) -> Answer:
    """The answer of an http500 / http503 / http429 fault: what a gateway in front sends."""
    status = {"http500": 500, "http503": 503, "http429": 429}[fault.kind]
    text = {500: "Internal Server Error", 503: "Service Unavailable", 429: "Too Many Requests"}
    answer = text_answer(status, f"<html><body><h1>{status} {text[status]}</h1></body></html>")
    answer.content_type = "text/html; charset=utf-8"
    retry_after = fault.options.get("retry_after", 1 if status == 429 else None)
    if retry_after is not None:
        answer.headers["Retry-After"] = str(retry_after)
    return answer


def invalid_json_answer(answer: Answer) -> Answer:
    """HTTP 200 with the provider's content type but a body that is not what it should be:
    an HTML page where JSON (or IMDi's CSV file) belongs."""
    page = "<html><body>Statistics temporarily unavailable</body></html>"
    return text_answer(200, page, answer.content_type)


def drift_answer(answer: Answer, fault: Fault) -> Answer:
    """The same answer with one category code renamed, as if the provider changed its codes.

    Options: `dimension` (variable code; default the first one that is neither the metric nor
    time), `code` (default its first category) and `new_code` (default code + "X").
    """
    if answer.status == 200 and isinstance(answer.document, CsvDocument):
        return _drift_csv(answer.document, fault)
    if answer.status != 200 or not isinstance(answer.document, dict):
        return answer
    document = copy.deepcopy(answer.document)
    if "dimensions" in document:  # FHI's dimension list
        dims = {d["code"]: d for d in document["dimensions"]}
        name = fault.options.get("dimension") or next(iter(dims))
        categories = dims[name]["categories"]
        old = fault.options.get("code") or categories[0]["value"]
        new = fault.options.get("new_code") or f"{old}X"
        for category in _walk(categories):
            if category["value"] == old:
                category["value"] = new
    elif "variables" in document:  # Statistics Denmark's tableinfo
        variables = {v["id"]: v for v in document["variables"]}
        name = fault.options.get("dimension") or next(
            v["id"] for v in document["variables"] if not v["time"]
        )
        values = variables[name]["values"]
        old = fault.options.get("code") or values[0]["id"]
        new = fault.options.get("new_code") or f"{old}X"
        for value in values:
            if value["id"] == old:
                value["id"] = new
    else:
        dataset = document.get("dataset", document)  # JSON-stat 1.0 is wrapped, 2.0 is not
        dims = dataset["dimension"]
        ids = dims["id"] if "id" in dims else dataset["id"]
        fixed = set(_role_members(dims.get("role") or dataset.get("role") or {}))
        name = fault.options.get("dimension") or next((i for i in ids if i not in fixed), ids[0])
        category = dims[name]["category"]
        old = fault.options.get("code") or next(iter(category["index"]))
        new = fault.options.get("new_code") or f"{old}X"
        for key in ("index", "label", "unit"):
            if isinstance(category.get(key), list):  # FHI writes the index as an array
                category[key] = [new if k == old else k for k in category[key]]
            elif key in category:
                category[key] = {(new if k == old else k): v for k, v in category[key].items()}
    return json_answer(answer.status, document, answer.content_type, **answer.headers)


def _drift_csv(document: CsvDocument, fault: Fault) -> Answer:
    """IMDi's file with a column renamed (as IMDi renamed "Bosetting" between 2023 and 2026).

    Options: `dimension` (the column; default the first that is not Enhet, År, a geography,
    its name or Antall) and `new_code` (the new name; default the old one with " (ny)")."""
    fixed = {"Enhet", "År", "Kommunenummer", "Kommune", "Fylkesnummer", "Fylke", "Antall"}
    header = list(document.header)
    name = fault.options.get("dimension") or next(h for h in header if h not in fixed)
    header[header.index(name)] = fault.options.get("new_code") or f"{name} (ny)"
    return csv_answer(CsvDocument(header, document.rows))


def _walk(categories: list[dict]) -> list[dict]:
    """FHI's nested categories, flattened."""
    flat = []
    for category in categories:
        flat.append(category)
        flat += _walk(category.get("children") or [])
    return flat


def relabel_answer(answer: Answer, fault: Fault) -> Answer:
    """The same metadata with one code's label changed, as if the code changed its meaning.

    Options: `dimension` (variable code), `code` and `label` (default: the old label with
    " (changed)" added). Only metadata answers of that table are touched, in every language.
    """
    name, code = fault.options.get("dimension"), fault.options.get("code")
    if not name or not code:
        raise ValueError("a relabel fault needs the options dimension and code")
    if answer.status == 200 and isinstance(answer.document, CsvDocument):
        # IMDi's values are texts: `code` is the text, `label` its new wording.
        doc = answer.document
        column = doc.header.index(name)
        label = fault.options.get("label") or f"{code} (changed)"
        rows = [
            [label if i == column and v == code else v for i, v in enumerate(row)]
            for row in doc.rows
        ]
        return csv_answer(CsvDocument(doc.header, rows))
    if answer.status != 200 or not isinstance(answer.document, dict):
        return answer
    document = copy.deepcopy(answer.document)
    if "dimensions" in document:  # FHI's dimension list
        for dim in document["dimensions"]:
            for category in _walk(dim["categories"]) if dim["code"] == name else []:
                if category["value"] == code:
                    new = fault.options.get("label") or f"{category['label']} (changed)"
                    category["label"] = new
    elif "variables" in document:  # Statistics Denmark's tableinfo
        for var in document["variables"]:
            for value in var["values"] if var["id"] == name else []:
                if value["id"] == code:
                    value["text"] = fault.options.get("label") or f"{value['text']} (changed)"
    else:
        dimension = document.get("dimension") or {}
        labels = dimension.get(name, {}).get("category", {}).get("label", {})
        if code in labels:
            labels[code] = fault.options.get("label") or f"{labels[code]} (changed)"
    return json_answer(answer.status, document, answer.content_type, **answer.headers)


def _role_members(role: dict[str, list[str]]) -> list[str]:
    return [code for kind in ("metric", "time") for code in role.get(kind) or []]

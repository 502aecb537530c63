"""Statistics Norway's PxWebApi v2 (https://data.ssb.no/api/pxwebapi/v2), simulated.

Serves /tables/{id}/metadata and /tables/{id}/data as JSON-stat 2.0 for the tables in
simulator/ssb_tables.py, /codelists/{id} and /config, with the server's own rules where its
source says what they are (PxTools/PxWebApi @92f4cfa): value expressions, elimination,
codelists announced per dimension in `extension.codelists`, 800,000 cells per request (over it:
HTTP 400 "Too many cells selected"; the spec documents 403), 30 calls a minute (429), problem
bodies, and free-text cell notes in `status` beside the missing-value symbols
(PxTools/PCAxis.Serializers JsonStat2Serializer.cs writes a data note into `status` for a cell
that has a value).
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import NoReturn

import numpy as np

from simulator import no_regions
from simulator.cube import Variable, find_variable
from simulator.messages import Answer, Refusal, Request, json_answer
from simulator.ssb_tables import REGION_CODELISTS, TABLES, Codelist, SsbTable

CONTENT_TYPE = "application/json; charset=utf-8"
PROBLEM_TYPE = "application/problem+json; charset=utf-8"
SOURCE = {"no": "Statistisk sentralbyrå", "en": "Statistics Norway"}
PREFIX = "/api/pxwebapi/v2"


class SsbError(Refusal):
    """A request the real API refuses; answered as a problem body like the server's.

    Titles are the server's own (PxTools/PxWebApi @92f4cfa, PxWeb/Helper/Api2/
    ProblemUtility.cs), spelling included ("mandantory").
    """

    def __init__(
        self, status: int, title: str, detail: str | None = None, cells: int | None = None
    ) -> None:
        super().__init__(detail or title, cells)
        self.status = status
        self.title = title
        self.detail = detail


def problem(status: int, title: str, detail: str | None = None, **headers: str) -> Answer:
    """A problem answer as PxWebApi 2 sends it: type "Parameter error", a title, the status."""
    body: dict = {"type": "Parameter error", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return json_answer(status, body, PROBLEM_TYPE, **headers)


# --- value expressions ---------------------------------------------------------------------
# As the server does it (PxTools/PxWebApi @92f4cfa, PxWeb/Code/Api2/DataSelection/
# SelectionHandler.cs and SelectionExpressions/*.cs): a plain code is matched case-insensitively;
# otherwise the first expression that recognises it wins, in the order range, top, bottom,
# from, to, `?` and `*`. top(N[,offset]) and bottom(N[,offset]) need N >= 1; for the time
# variable top counts from the newest end (the answer stays in ascending order), for any other
# variable from the first value. from/to/range include both ends, and range accepts its codes
# in either order. `?` matches one character; `*` may only stand first and/or last.

_TOP = re.compile(r"top\([1-9]\d*(,\d+)?\)", re.IGNORECASE)
_BOTTOM = re.compile(r"bottom\([1-9]\d*(,\d+)?\)", re.IGNORECASE)
_FROM_TO = re.compile(r"(from|to)\(([^,]+)\)", re.IGNORECASE)
_RANGE = re.compile(r"range\(([^,]+),([^,)]+)\)", re.IGNORECASE)


def select_codes(var: Variable, expressions: list[str]) -> list[str]:
    """Resolve PxWebApi 2 value codes and expressions to value codes, in metadata order."""
    ids = var.ids
    chosen: set[str] = set()
    for raw in expressions:
        s = str(raw).strip()
        exact = _find_code(var, s)
        if exact is not None:
            chosen.add(exact)
        elif s.lower().startswith("range("):
            span = _RANGE.fullmatch(s) or _illegal(s)
            first, last = sorted((_code_index(var, span.group(1)), _code_index(var, span.group(2))))
            chosen.update(ids[first : last + 1])
        elif s.lower().startswith(("top(", "bottom(")):
            rule = _TOP if s.lower().startswith("top(") else _BOTTOM
            if not rule.fullmatch(s):
                _illegal(s)
            numbers = s[s.index("(") + 1 : -1].split(",")
            count, offset = int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 0
            from_end = (s.lower().startswith("top(")) == var.time
            ordered = ids[::-1] if from_end else ids
            chosen.update(ordered[offset : offset + count])
        elif s.lower().startswith(("from(", "to(")):
            bound = _FROM_TO.fullmatch(s) or _illegal(s)
            at = _code_index(var, bound.group(2))
            chosen.update(ids[at:] if bound.group(1).lower() == "from" else ids[: at + 1])
        elif "?" in s:
            pattern = re.compile(re.escape(s).replace(r"\?", "."), re.IGNORECASE)
            chosen.update(i for i in ids if pattern.fullmatch(i))
        elif "*" in s:
            inner = s.strip("*")
            if "*" in inner or (s.count("*") == 2 and not (s[0] == s[-1] == "*")):
                _illegal(s)
            low = inner.lower()
            if s == "*":
                chosen.update(ids)
            elif s.startswith("*") and s.endswith("*"):
                chosen.update(i for i in ids if low in i.lower())
            elif s.startswith("*"):
                chosen.update(i for i in ids if i.lower().endswith(low))
            else:
                chosen.update(i for i in ids if i.lower().startswith(low))
        else:
            raise SsbError(400, "Non-existent value", f"{s} is not a value of {var.code}")
    if not chosen:
        raise SsbError(400, "Missing selection for mandantory variable", var.code)
    return [i for i in ids if i in chosen]


def _find_code(var: Variable, code: str) -> str | None:
    """The value code equal to `code` ignoring case, as the server looks values up."""
    if code in var.by_id:
        return code
    return next((i for i in var.ids if i.lower() == code.lower()), None)


def _code_index(var: Variable, code: str) -> int:
    found = _find_code(var, code.strip())
    if found is None:
        raise SsbError(400, "Illegal selection expression", f"{code} is not a value of {var.code}")
    return var.ids.index(found)


def _illegal(expression: str) -> NoReturn:
    raise SsbError(400, "Illegal selection expression", expression)


def split_expressions(text: str) -> list[str]:
    """Split a GET valueCodes list on commas outside parentheses ("range(a,b),c")."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in (p.strip() for p in parts) if p]


# --- rate limit -----------------------------------------------------------------------------


class RateLimit:
    """At most `calls` requests in any `window` seconds; None means no limit."""

    def __init__(self, calls: int | None, window: float = 60.0) -> None:
        self.calls = calls
        self.window = window
        self._times: deque[float] = deque()
        self._lock = threading.Lock()

    def admit(self) -> float:
        """Count a call and return 0, or return the seconds to wait (the call not counted)."""
        if not self.calls:
            return 0.0
        with self._lock:
            now = time.monotonic()
            while self._times and self._times[0] <= now - self.window:
                self._times.popleft()
            if len(self._times) >= self.calls:
                return self._times[0] + self.window - now
            self._times.append(now)
            return 0.0


# --- the API --------------------------------------------------------------------------------


@dataclass
class _Choice:
    """A variable as the request shapes it: codelist applied, values chosen (None: eliminated)."""

    variable: Variable
    ids: list[str] | None
    codelist: Codelist | None = None


class SsbApi:
    """Answers /api/pxwebapi/v2/... for one seed and set of limits."""

    def __init__(self, seed: int, cell_limit: int, calls_per_minute: int | None) -> None:
        self.seed = seed
        self.cell_limit = cell_limit
        self.rate_limit = RateLimit(calls_per_minute)

    def identify(self, request: Request) -> tuple[str | None, str | None]:
        """(endpoint, table id): endpoint "metadata", "data", "codelist", "config" or None."""
        parts = [p for p in request.path[len(PREFIX) :].split("/") if p]
        if len(parts) == 3 and parts[0] == "tables" and parts[2] in ("metadata", "data"):
            return parts[2], parts[1]
        if len(parts) == 2 and parts[0].lower() == "codelists":
            return "codelist", None
        if parts == ["config"]:
            return "config", None
        return None, parts[1] if len(parts) > 1 and parts[0] == "tables" else None

    def handle(self, request: Request) -> Answer:
        """Answer one request under /api/pxwebapi/v2, errors and rate limit included."""
        wait = self.rate_limit.admit()
        if wait > 0:
            detail = f"You have reached the limit of {self.rate_limit.calls} requests per minute."
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            return problem(429, "Too many requests", detail, **headers)
        endpoint, table_id = self.identify(request)
        allowed = {"data": ("GET", "POST")}.get(endpoint or "", ("GET",))
        try:
            if endpoint is None:
                raise SsbError(404, "Not found", f"No resource at {request.path}")
            if request.method not in allowed:
                raise SsbError(405, "Method not allowed", f"{request.method} {request.path}")
            if endpoint == "config":
                return self._config()
            lang = self._lang(request)
            if endpoint == "codelist":
                return self._codelist(request.path.rsplit("/", 1)[-1], lang)
            table = TABLES.get(table_id or "")
            if table is None:
                raise SsbError(404, "Non-existent table", table_id)
            self._check_format(request)
            if endpoint == "metadata":
                return self._metadata(table, request, lang)
            return self._data(table, request, lang)
        except SsbError as error:
            answer = problem(error.status, error.title, error.detail)
            answer.cells = error.cells
            return answer

    def _config(self) -> Answer:
        """GET /config: the limits and languages, as the spec's ConfigResponse has them."""
        document = {
            "apiVersion": "2.0.0",
            "appVersion": "simulator",
            "languages": [{"id": "no", "label": "Norsk"}, {"id": "en", "label": "English"}],
            "defaultLanguage": "no",
            "maxDataCells": self.cell_limit,
            "maxCallsPerTimeWindow": self.rate_limit.calls or 0,
            "timeWindow": int(self.rate_limit.window),
            "license": "https://creativecommons.org/licenses/by/4.0/deed.no",
            "defaultDataFormat": "px",
            "dataFormats": ["json-stat2", "csv", "xlsx", "px"],
            "features": [{"id": "CORS", "params": [{"key": "enabled", "value": "True"}]}],
        }
        return json_answer(200, document, CONTENT_TYPE)

    @staticmethod
    def _lang(request: Request) -> str:
        lang = request.param("lang") or "no"
        if lang not in ("no", "en"):
            raise SsbError(400, "Unsupported language", f"{lang}: use no or en")
        return lang

    @staticmethod
    def _check_format(request: Request) -> None:
        fmt = (request.param("outputFormat") or "").lower()
        if fmt != "json-stat2":
            raise SsbError(400, "Unsupported output format", "the simulator serves json-stat2")

    @staticmethod
    def _codelist(codelist_id: str, lang: str) -> Answer:
        """GET /codelists/{id}: the values of a codelist, each mapped to the Region codes."""
        codelist = next((c for c in REGION_CODELISTS if c.id == codelist_id), None)
        if codelist is None:
            raise SsbError(404, "Non-existent codelist", codelist_id)
        document = {
            "id": codelist.id,
            "label": codelist.label[lang == "en"],
            "language": lang,
            "languages": ["no", "en"],
            "elimination": True,
            "type": codelist.type,
            "values": [
                {"code": code, "label": no_regions.label(code, lang), "valueMap": [code]}
                for code in codelist.ids
            ],
        }
        return json_answer(200, document, CONTENT_TYPE)

    def _metadata(self, table: SsbTable, request: Request, lang: str) -> Answer:
        codelists = self._get_codelists(request)
        choices = []
        for var in table.variables:
            shaped, codelist = self._with_codelist(table, var, codelists.get(var.code))
            choices.append(_Choice(shaped, shaped.ids, codelist))
        document = _dataset(table, choices, lang, request.base_url, metadata=True)
        return json_answer(200, document, CONTENT_TYPE)

    def _data(self, table: SsbTable, request: Request, lang: str) -> Answer:
        choices = self._choices(table, request)
        # The server multiplies the counts of the variables given (SelectionHandler.cs,
        # CheckNumberOfCells); an eliminated variable does not count.
        cells = math.prod(len(c.ids) for c in choices if c.ids is not None)
        if cells > self.cell_limit:
            raise SsbError(400, "Too many cells selected", "Too many cells selected", cells)
        axes = [c for c in choices if c.variable.code != "ContentsCode"]
        matrices = [
            c.variable.eliminated() if c.ids is None else c.variable.matrix(c.ids) for c in axes
        ]
        measures, suppressed = table.compute(table.leaves(self.seed), matrices)
        contents = next(c.ids for c in choices if c.variable.code == "ContentsCode") or []
        position = [c.variable.code for c in choices].index("ContentsCode")
        status = _status(table, axes, suppressed, lang)
        values = np.stack([measures[m] for m in contents], axis=position)
        flags = np.stack([status] * len(contents), axis=position).ravel()
        digits = [table.measures[m].decimals for m in contents]
        shown = [c for c in choices if c.ids is not None]
        document = _dataset(table, shown, lang, request.base_url, metadata=False)
        document["extension"]["px"]["decimals"] = max(digits)
        missing = np.array([flag is not None and not flag.startswith("#") for flag in flags])
        document["value"] = _cells(values, digits, position, missing)
        found = {str(i): flag.lstrip("#") for i, flag in enumerate(flags) if flag is not None}
        if found:
            document["status"] = found
        answer = json_answer(200, document, CONTENT_TYPE)
        answer.cells = cells
        return answer

    def _choices(self, table: SsbTable, request: Request) -> list[_Choice]:
        """The selection of a GET (valueCodes[..], codelist[..]) or POST (selection) request."""
        selected: dict[str, list[str]] = {}
        codelists: dict[str, str] = {}
        if request.method == "POST":
            try:
                body = request.json()
            except ValueError as error:
                raise SsbError(400, "Bad request", f"The body is not JSON: {error}") from None
            items = body.get("selection") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise SsbError(400, "Bad request", "The body needs a selection list")
            for item in items:
                if not isinstance(item, dict) or "variableCode" not in item:
                    raise SsbError(400, "Bad request", "Each selection needs a variableCode")
                code = str(item["variableCode"])
                selected[code] = [str(v) for v in item.get("valueCodes") or []]
                codelist = item.get("codelist") or item.get("codeList")
                if codelist:
                    codelists[code] = str(codelist)
        else:
            for key, values in request.query.items():
                name = _bracketed(key, "valuecodes")
                if name:
                    selected[name] = [e for v in values for e in split_expressions(v)]
            codelists = self._get_codelists(request)
        # Variable codes are matched ignoring case, and "time" names the time variable.
        selected = {self._variable(table, k).code: v for k, v in selected.items()}
        codelists = {self._variable(table, k).code: v for k, v in codelists.items()}
        choices = []
        for var in table.variables:
            shaped, codelist = self._with_codelist(table, var, codelists.get(var.code))
            if selected.get(var.code):
                ids = select_codes(shaped, selected[var.code])
                choices.append(_Choice(shaped, ids, codelist))
            elif var.elimination:
                choices.append(_Choice(shaped, None, codelist))
            else:
                raise SsbError(400, "Missing selection for mandantory variable", var.code)
        return choices

    @staticmethod
    def _variable(table: SsbTable, code: str) -> Variable:
        if code.lower() == "time":
            return next(v for v in table.variables if v.time)
        found = find_variable(table.variables, code)
        if found is None:
            raise SsbError(400, "Non-existent variable", code)
        return found

    @staticmethod
    def _get_codelists(request: Request) -> dict[str, str]:
        found = {}
        for key, values in request.query.items():
            name = _bracketed(key, "codelist")
            if name and values:
                found[name] = values[0]
        return found

    @staticmethod
    def _with_codelist(
        table: SsbTable, var: Variable, codelist_id: str | None
    ) -> tuple[Variable, Codelist | None]:
        if codelist_id is None:
            return var, None
        codelist = next((c for c in table.codelists(var) if c.id == codelist_id), None)
        if codelist is None or not codelist_id.startswith(("agg_", "vs_")):
            raise SsbError(400, "Non-existent codelist", f"{codelist_id} for {var.code}")
        values = tuple(v for v in var.values if v.id in codelist.ids)
        return dataclasses.replace(var, values=values, by_id={}), codelist


def _status(table: SsbTable, axes: list[_Choice], suppressed: np.ndarray, lang: str) -> np.ndarray:
    """Per cell (ContentsCode left out): None, a missing-value symbol, or "#" + a data note.

    Region codes outside their years: a count table shows 0 for a code not yet in use (as
    table 04861 does for 3203 Asker in 2000) and "." once it was replaced; a rate table "."
    either way; an aggregation to today's codes (agg_KommGjeldende) leaves the years before a
    code existed empty (".."). Small groups in rate tables are confidential (":").
    """
    status = np.full(suppressed.shape, None, dtype=object)
    status[suppressed] = ":"
    region, times = axes[0], axes[-1]
    if region.variable.code != "Region" or region.ids is None or times.ids is None:
        return status
    shape = [1] * suppressed.ndim
    shape[0], shape[-1] = len(region.ids), len(times.ids)
    outside = np.full((len(region.ids), len(times.ids)), None, dtype=object)
    for r, code in enumerate(region.ids):
        for t, year in enumerate(times.ids):
            when = "yes" if code == "0" else no_regions.in_use(code, int(year))
            if when == "after" or (when == "before" and table.rates):
                outside[r, t] = "."
            elif when == "before" and region.codelist and region.codelist.before_null:
                outside[r, t] = ".."
            note = table.cell_notes.get((code, year))
            if note and when == "yes":
                outside[r, t] = "#" + note[lang == "en"]
    wide = np.broadcast_to(outside.reshape(shape), suppressed.shape)
    return np.where(wide != None, wide, status)  # noqa: E711


def _bracketed(key: str, prefix: str) -> str | None:
    """ "Region" from "valueCodes[Region]" (prefix matched case-insensitively)."""
    if key.lower().startswith(prefix + "[") and key.endswith("]"):
        return key[len(prefix) + 1 : -1]
    return None


def _cells(values: np.ndarray, digits: list[int], position: int, mask: np.ndarray) -> list:
    """Flat JSON values: integers for 0-decimal measures, one decimal otherwise, null if masked."""
    flat = values.ravel()
    if max(digits) == 0:
        cells: list = np.rint(flat).astype(np.int64).tolist()
    elif min(digits) > 0:
        cells = np.round(flat, 1).tolist()
    else:
        shape = [1] * values.ndim
        shape[position] = len(digits)
        whole = np.broadcast_to(np.array(digits).reshape(shape) == 0, values.shape).ravel()
        ints = np.rint(flat).astype(np.int64).tolist()
        cells = [
            i if w else f
            for i, f, w in zip(ints, np.round(flat, 1).tolist(), whole.tolist(), strict=True)
        ]
    for i in np.flatnonzero(mask).tolist():
        cells[i] = None
    return cells


def _dataset(
    table: SsbTable, choices: list[_Choice], lang: str, base_url: str, metadata: bool
) -> dict:
    """The JSON-stat 2.0 dataset without values; `metadata` adds the dimension extensions."""
    en = lang == "en"
    dimension: dict = {}
    for choice in choices:
        var, ids = choice.variable, choice.ids or []
        category: dict = {
            "index": {code: i for i, code in enumerate(ids)},
            "label": {code: var.by_id[code].label(lang) for code in ids},
        }
        if var.code == "ContentsCode":
            category["unit"] = {
                code: {
                    "base": table.measures[code].unit[en],
                    "decimals": table.measures[code].decimals,
                }
                for code in ids
            }
        dimension[var.code] = {"label": var.label(lang), "category": category}
        if metadata:
            extension: dict = {"elimination": var.elimination}
            if var.total is not None:
                extension["eliminationValueCode"] = var.total
            extension["show"] = "code" if var.time else "value"
            extension["codelists"] = [
                {
                    "id": c.id,
                    "label": c.label[en],
                    "type": c.type,
                    "links": [
                        {
                            "rel": "metadata",
                            "hreflang": lang,
                            "href": f"{base_url}{PREFIX}/codelists/{c.id}?lang={lang}",
                        }
                    ],
                }
                for c in table.codelists(var)
            ]
            dimension[var.code]["extension"] = extension
    codes = [c.variable.code for c in choices]
    role: dict = {"time": ["Tid"], "metric": ["ContentsCode"]}
    if "Region" in codes:
        role["geo"] = ["Region"]
    document: dict = {
        "version": "2.0",
        "class": "dataset",
        "label": table.label(lang, [c.variable for c in choices]),
        "source": SOURCE[lang],
        "updated": table.updated,
    }
    if table.notes:
        document["note"] = [table.notes[en]]
    document.update(
        {
            "role": role,
            "id": codes,
            "size": [len(c.ids or []) for c in choices],
            "dimension": dimension,
            "extension": {
                "px": {
                    "infofile": "None",
                    "tableid": table.id,
                    "decimals": max(m.decimals for m in table.measures.values()),
                    "official-statistics": True,
                    "aggregallowed": False,
                    "language": lang,
                    "contents": table.title[en],
                    "matrix": table.matrix,
                    "subject-code": table.subject,
                },
                "contact": [
                    {
                        "name": "Simulated contact",
                        "mail": "informasjon@ssb.no",
                        "raw": "Simulated contact, informasjon@ssb.no",
                    }
                ],
            },
        }
    )
    return document

"""Statistics Norway's PxWebApi v2 (https://data.ssb.no/api/pxwebapi/v2), simulated.

Serves /tables/{id}/metadata and /tables/{id}/data as JSON-stat 2.0 for 09817, 07459 and
11607, with codelists, value expressions, elimination, the cell limit (403) and the rate
limit (429), as described in shared/reference/tables/ssb_response_shape.md.

The Landbakgrunn codes of 09817 ("999" all countries, "ddd" country group 1, "eee" country
group 2) are our assumption: only "999" was seen in public queries, so the two groups mirror
11607's codes. Every SSB-specific table definition lives in this module.
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from loaders.municipalities import list_municipalities
from simulator import model
from simulator.cube import Variable, aggregate, band_matrix, cached, join_texts, variable
from simulator.messages import Answer, Request, json_answer

CONTENT_TYPE = "application/json; charset=utf-8"
PROBLEM_TYPE = "application/problem+json; charset=utf-8"
SOURCE = {"no": "Statistisk sentralbyrå", "en": "Statistics Norway"}
PREFIX = "/api/pxwebapi/v2"
PROBLEMS = {
    400: ("Bad Request", "https://tools.ietf.org/html/rfc9110#section-15.5.1"),
    403: ("Forbidden", "https://tools.ietf.org/html/rfc9110#section-15.5.4"),
    404: ("Not Found", "https://tools.ietf.org/html/rfc9110#section-15.5.5"),
    405: ("Method Not Allowed", "https://tools.ietf.org/html/rfc9110#section-15.5.6"),
    429: ("Too Many Requests", "https://tools.ietf.org/html/rfc6585#section-4"),
}


class SsbError(Exception):
    """A request the real API refuses; answered as a JSON problem body."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def problem(status: int, detail: str, **headers: str) -> Answer:
    """A problem answer (RFC 9457) as PxWebApi 2 sends for errors."""
    title, kind = PROBLEMS[status]
    body = {"type": kind, "title": title, "status": status, "detail": detail}
    return json_answer(status, body, PROBLEM_TYPE, **headers)


# --- variables ----------------------------------------------------------------------------

KOMMUNER = model.area_codes("NO")
REGION = variable(
    "Region",
    ("region", "region"),
    [("0", "Hele landet", "The whole country")]
    + [(m.code, m.name, m.name) for m in list_municipalities("NO")],
    KOMMUNER,
)


@dataclass(frozen=True)
class Codelist:
    """A value set or aggregation the client may apply to a variable."""

    id: str
    label: tuple[str, str]
    type: str  # "Aggregation" or "Valueset"
    ids: tuple[str, ...]


REGION_CODELISTS = (
    Codelist(
        "agg_KommGjeldende",
        ("Gjeldende kommuner", "Current municipalities"),
        "Aggregation",
        KOMMUNER,
    ),
    Codelist("vs_Landet", ("Hele landet", "The whole country"), "Valueset", ("0",)),
)


def _time(first: int, last: int) -> Variable:
    ids = [str(y) for y in range(first, last + 1)]
    return variable(
        "Tid", ("år", "year"), [(i, i, i) for i in ids], ids, elimination=False, time=True
    )


def _contents(values: list[tuple[str, str, str]]) -> Variable:
    ids = [v[0] for v in values]
    return variable(
        "ContentsCode", ("statistikkvariabel", "contents"), values, ids, elimination=False
    )


SEX_TEXT = ("kjønn", "sex")
MEN, WOMEN = ("1", "Menn", "Males"), ("2", "Kvinner", "Females")
GROUP_1 = (
    "Landgruppe 1: EU/EØS, USA, Canada, Australia og New Zealand",
    "Country group 1: EU/EEA, USA, Canada, Australia and New Zealand",
)
GROUP_2 = (
    "Landgruppe 2: Asia, Afrika, Latin-Amerika, Oseania unntatt Australia og New Zealand, "
    "og Europa utenom EU/EØS",
    "Country group 2: Asia, Africa, Latin America, Oceania except Australia and New Zealand, "
    "and Europe outside the EU/EEA",
)
AGES_07459 = [f"{a:03d}" for a in range(105)] + ["105+"]
BANDS_11607 = ["15-19", "20-24", "25-39", "40-54", "55-66", "67-74"]


Leaves = dict[str, np.ndarray]
Computed = tuple[dict[str, np.ndarray], np.ndarray]  # values per measure, suppressed cells


@dataclass(frozen=True)
class Measure:
    """One ContentsCode value: its unit and number of decimals."""

    unit: tuple[str, str]
    decimals: int


@dataclass(frozen=True)
class SsbTable:
    """One statbank table: variables (ContentsCode included), measures and computation.

    `build` makes named leaf arrays whose axes are the variables without ContentsCode;
    `compute` turns them and one matrix per such axis into a value array per measure and a
    mask of suppressed cells.
    """

    id: str
    title: tuple[str, str]
    updated: str
    variables: tuple[Variable, ...]
    measures: dict[str, Measure]
    build: Callable[[model.Country], Leaves]
    compute: Callable[[Leaves, list[np.ndarray]], Computed]
    matrix: str
    subject: str

    def leaves(self, seed: int) -> Leaves:
        return cached(("ssb", self.id, seed), lambda: self.build(model.norway(seed)))

    def find(self, code: str) -> Variable | None:
        return next((v for v in self.variables if v.code == code), None)

    def label(self, lang: str, variables: list[Variable]) -> str:
        """ "09817: <title>, etter region, ... og år" over the variables shown."""
        by, last = ("by", " and ") if lang == "en" else ("etter", " og ")
        texts = join_texts([v.label(lang) for v in variables], last)
        return f"{self.id}: {self.title[lang == 'en']}, {by} {texts}"

    def codelists(self, var: Variable) -> tuple[Codelist, ...]:
        return REGION_CODELISTS if var.code == "Region" else ()


def _ones_for(matrix: np.ndarray) -> np.ndarray:
    """Repeat a size-1 axis once per selected value (a denominator that does not vary)."""
    return np.ones((matrix.shape[0], 1))


# 07459 Population -----------------------------------------------------------------------


def _build_07459(no: model.Country) -> Leaves:
    pop = no.population(np.arange(2010, 2026, dtype=np.float64))  # 1 January
    return {"persons": np.ascontiguousarray(pop.sum(axis=1).transpose(0, 2, 3, 1))}


def _compute_07459(leaves: Leaves, mats: list[np.ndarray]) -> Computed:
    persons = aggregate(leaves["persons"], mats)
    return {"Personer1": persons}, np.zeros(persons.shape, dtype=bool)


# 09817 Immigrants and Norwegian-born to immigrant parents --------------------------------


def _build_09817(no: model.Country) -> Leaves:
    totals = no.group_totals(np.arange(2010, 2026, dtype=np.float64))  # [area, group, time]
    persons = totals[:, 1:].reshape(len(no.codes), 2, 2, -1)  # (B, C) x (ddd, eee)
    return {"persons": persons, "population": totals.sum(axis=1)[:, None, None, :]}


def _compute_09817(leaves: Leaves, mats: list[np.ndarray]) -> Computed:
    persons = aggregate(leaves["persons"], mats)
    whole = [mats[0], _ones_for(mats[1]), _ones_for(mats[2]), mats[3]]
    population = aggregate(leaves["population"], whole)
    share = np.round(100.0 * persons / np.maximum(population, 1.0), 1)
    return {"Personer1": persons, "AndelBefolkning": share}, (persons >= 1) & (persons <= 4)


# 11607 Employment ------------------------------------------------------------------------


def _build_11607(no: model.Country) -> Leaves:
    times = np.arange(2015, 2025, dtype=np.float64) + 0.75  # fourth quarter
    pop = no.population(times).astype(np.float64)
    employed = pop * no.employment_probability(times)
    bands = band_matrix([range(int(b[:2]), int(b[3:]) + 1) for b in BANDS_11607], no.max_age + 1)
    out = {}
    for name, x in (("population", pop), ("employed", employed)):
        by_band = np.rint(
            np.tensordot(x, bands, axes=([-1], [1]))
        )  # [area, group, time, sex, band]
        # Landbakgrunn leaves: zzz (all but immigrants), ddd and eee (immigrants by group).
        land = np.stack([by_band[:, [0, 3, 4]].sum(axis=1), by_band[:, 1], by_band[:, 2]], axis=1)
        out[name] = land.transpose(0, 4, 3, 1, 2)  # [area, band, sex, land, time]
    return out


def _compute_11607(leaves: Leaves, mats: list[np.ndarray]) -> Computed:
    employed = aggregate(leaves["employed"], mats)
    population = aggregate(leaves["population"], mats)
    rate = np.round(100.0 * employed / np.maximum(population, 1.0), 1)
    return {"Sysselsatte2": rate}, population < 20


TABLES = {
    t.id: t
    for t in (
        SsbTable(
            "09817",
            (
                "Innvandrere og norskfødte med innvandrerforeldre",
                "Immigrants and Norwegian-born to immigrant parents",
            ),
            "2025-03-11T07:00:00Z",
            (
                REGION,
                variable(
                    "InnvandrKat",
                    ("innvandringskategori", "immigration category"),
                    [
                        ("B", "Innvandrere", "Immigrants"),
                        (
                            "C",
                            "Norskfødte med innvandrerforeldre",
                            "Norwegian-born to immigrant parents",
                        ),
                    ],
                    ["B", "C"],
                ),
                variable(
                    "Landbakgrunn",
                    ("landbakgrunn", "country background"),
                    [("999", "Alle land", "All countries"), ("ddd", *GROUP_1), ("eee", *GROUP_2)],
                    ["ddd", "eee"],
                    total="999",
                ),
                _contents(
                    [
                        ("Personer1", "Personer", "Persons"),
                        (
                            "AndelBefolkning",
                            "Andel av befolkningen (prosent)",
                            "Share of the population (per cent)",
                        ),
                    ]
                ),
                _time(2010, 2025),
            ),
            {
                "Personer1": Measure(("personer", "persons"), 0),
                "AndelBefolkning": Measure(("prosent", "per cent"), 1),
            },
            _build_09817,
            _compute_09817,
            "Innvand3",
            "be",
        ),
        SsbTable(
            "07459",
            ("Befolkning", "Population"),
            "2025-02-21T07:00:00Z",
            (
                REGION,
                variable("Kjonn", SEX_TEXT, [MEN, WOMEN], ["1", "2"]),
                variable(
                    "Alder",
                    ("alder", "age"),
                    [(a, f"{int(a)} år", f"{int(a)} years") for a in AGES_07459[:-1]]
                    + [("105+", "105 år eller eldre", "105 years or older")],
                    AGES_07459,
                ),
                _contents([("Personer1", "Personer", "Persons")]),
                _time(2010, 2025),
            ),
            {"Personer1": Measure(("personer", "persons"), 0)},
            _build_07459,
            _compute_07459,
            "Folkemengde5",
            "be",
        ),
        SsbTable(
            "11607",
            ("Sysselsatte (registerbasert)", "Employed persons (register-based)"),
            "2025-05-28T06:00:00Z",
            (
                REGION,
                variable(
                    "Alder",
                    ("alder", "age"),
                    [("15-74", "15-74 år", "15-74 years")]
                    + [(b, f"{b} år", f"{b} years") for b in BANDS_11607],
                    BANDS_11607,
                    total="15-74",
                ),
                variable(
                    "Kjonn",
                    SEX_TEXT,
                    [("0", "Begge kjønn", "Both sexes"), MEN, WOMEN],
                    ["1", "2"],
                    total="0",
                ),
                variable(
                    "Landbakgrunn",
                    ("landbakgrunn", "country background"),
                    [
                        ("tot", "I alt", "Total"),
                        (
                            "zzz",
                            "Befolkningen eksklusive innvandrere",
                            "Population excluding immigrants",
                        ),
                        ("abc", "Innvandrere i alt", "Immigrants, total"),
                        ("ddd", *GROUP_1),
                        ("eee", *GROUP_2),
                    ],
                    ["zzz", "ddd", "eee"],
                    {"abc": ["ddd", "eee"]},
                    total="tot",
                ),
                _contents(
                    [
                        (
                            "Sysselsatte2",
                            "Sysselsatte i prosent av befolkningen",
                            "Employed persons in per cent of the population",
                        )
                    ]
                ),
                _time(2015, 2024),
            ),
            {"Sysselsatte2": Measure(("prosent", "per cent"), 1)},
            _build_11607,
            _compute_11607,
            "RegSysBLand",
            "al",
        ),
    )
}


# --- value expressions ---------------------------------------------------------------------

_POSITION = re.compile(r"(top|bottom)\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)", re.IGNORECASE)
_BOUND = re.compile(r"(from|to)\(\s*([^,()]+?)\s*\)", re.IGNORECASE)
_RANGE = re.compile(r"range\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)", re.IGNORECASE)


def select_codes(var: Variable, expressions: list[str]) -> list[str]:
    """Resolve PxWebApi 2 value expressions to value codes, in metadata order.

    Codes are case-sensitive. Expressions: a code, `*` and `?` wildcards (`03*`), `top(n)`
    and `bottom(n)` with an optional offset (for time, top means the latest), `from(x)`,
    `to(x)` and `range(x,y)` (inclusive, in metadata order).
    """
    ids = var.ids
    chosen: set[str] = set()
    for raw in expressions:
        s = str(raw).strip()
        position, bound, span = _POSITION.fullmatch(s), _BOUND.fullmatch(s), _RANGE.fullmatch(s)
        if position:
            count, offset = int(position.group(2)), int(position.group(3) or 0)
            newest_first = (position.group(1).lower() == "top") == var.time
            ordered = ids[::-1] if newest_first else ids
            chosen.update(ordered[offset : offset + count])
        elif bound:
            at = _index(var, bound.group(2))
            chosen.update(ids[at:] if bound.group(1).lower() == "from" else ids[: at + 1])
        elif span:
            chosen.update(ids[_index(var, span.group(1)) : _index(var, span.group(2)) + 1])
        elif "*" in s or "?" in s:
            pattern = re.compile(re.escape(s).replace(r"\*", ".*").replace(r"\?", "."))
            chosen.update(i for i in ids if pattern.fullmatch(i))
        else:
            chosen.add(ids[_index(var, s)])
    if not chosen:
        raise SsbError(400, f"No values selected for variable {var.code}: {', '.join(expressions)}")
    return [i for i in ids if i in chosen]


def _index(var: Variable, code: str) -> int:
    try:
        return var.ids.index(code)
    except ValueError:
        raise SsbError(
            400, f"Value {code} is not a valid value code for variable {var.code}"
        ) from None


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


class SsbApi:
    """Answers /api/pxwebapi/v2/tables/{id}/metadata and /data for one seed and set of limits."""

    def __init__(self, seed: int, cell_limit: int, calls_per_minute: int | None) -> None:
        self.seed = seed
        self.cell_limit = cell_limit
        self.rate_limit = RateLimit(calls_per_minute)

    def identify(self, request: Request) -> tuple[str | None, str | None]:
        """(endpoint, table id) of a request: endpoint "metadata", "data", "codelist" or None."""
        parts = [p for p in request.path[len(PREFIX) :].split("/") if p]
        if len(parts) == 3 and parts[0] == "tables" and parts[2] in ("metadata", "data"):
            return parts[2], parts[1]
        if len(parts) == 2 and parts[0] == "codelists":
            return "codelist", None
        return None, parts[1] if len(parts) > 1 and parts[0] == "tables" else None

    def handle(self, request: Request) -> Answer:
        """Answer one request under /api/pxwebapi/v2, errors and rate limit included."""
        wait = self.rate_limit.admit()
        if wait > 0:
            detail = f"You have reached the limit of {self.rate_limit.calls} requests per minute."
            return problem(429, detail, **{"Retry-After": str(max(1, math.ceil(wait)))})
        endpoint, table_id = self.identify(request)
        allowed = {"data": ("GET", "POST")}.get(endpoint or "", ("GET",))
        try:
            if endpoint is None:
                raise SsbError(404, f"No resource at {request.path}")
            if request.method not in allowed:
                raise SsbError(405, f"{request.method} is not allowed on {request.path}")
            lang = self._lang(request)
            if endpoint == "codelist":
                return self._codelist(request.path.rsplit("/", 1)[-1], lang)
            table = TABLES.get(table_id or "")
            if table is None:
                raise SsbError(404, f"Table with id {table_id} can not be found")
            self._check_format(request)
            if endpoint == "metadata":
                return self._metadata(table, request, lang)
            return self._data(table, request, lang)
        except SsbError as error:
            return problem(error.status, error.detail)

    @staticmethod
    def _lang(request: Request) -> str:
        lang = request.param("lang") or "no"
        if lang not in ("no", "en"):
            raise SsbError(400, f"Language {lang} is not supported; use no or en")
        return lang

    @staticmethod
    def _check_format(request: Request) -> None:
        fmt = (request.param("outputFormat") or "").lower()
        if fmt != "json-stat2":
            raise SsbError(400, f"The simulator serves outputFormat=json-stat2 only, not '{fmt}'")

    @staticmethod
    def _codelist(codelist_id: str, lang: str) -> Answer:
        """GET /codelists/{id}: the values of a codelist, each mapped to the Region codes."""
        codelist = next((c for c in REGION_CODELISTS if c.id == codelist_id), None)
        if codelist is None:
            raise SsbError(404, f"Codelist {codelist_id} can not be found")
        document = {
            "id": codelist.id,
            "label": codelist.label[lang == "en"],
            "language": lang,
            "languages": ["no", "en"],
            "elimination": True,
            "type": codelist.type,
            "values": [
                {"code": code, "label": REGION.by_id[code].label(lang), "valueMap": [code]}
                for code in codelist.ids
            ],
        }
        return json_answer(200, document, CONTENT_TYPE)

    def _metadata(self, table: SsbTable, request: Request, lang: str) -> Answer:
        codelists = self._get_codelists(request)
        shaped = [self._with_codelist(table, v, codelists.get(v.code)) for v in table.variables]
        choices = [_Choice(v, v.ids) for v in shaped]
        document = _dataset(table, choices, lang, request.base_url, metadata=True)
        return json_answer(200, document, CONTENT_TYPE)

    def _data(self, table: SsbTable, request: Request, lang: str) -> Answer:
        choices = self._choices(table, request)
        cells = math.prod(len(c.ids) for c in choices if c.ids is not None)
        if cells > self.cell_limit:
            raise SsbError(
                403, f"The query would return {cells} cells; the limit is {self.cell_limit}"
            )
        axes = [c for c in choices if c.variable.code != "ContentsCode"]
        matrices = [
            c.variable.eliminated() if c.ids is None else c.variable.matrix(c.ids) for c in axes
        ]
        measures, suppressed = table.compute(table.leaves(self.seed), matrices)
        contents = next(c.ids for c in choices if c.variable.code == "ContentsCode") or []
        position = [c.variable.code for c in choices].index("ContentsCode")
        values = np.stack([measures[m] for m in contents], axis=position)
        mask = np.stack([suppressed] * len(contents), axis=position).ravel()
        digits = [table.measures[m].decimals for m in contents]
        document = _dataset(
            table, [c for c in choices if c.ids is not None], lang, request.base_url, metadata=False
        )
        document["extension"]["px"]["decimals"] = max(digits)
        document["value"] = _cells(values, digits, position, mask)
        if mask.any():
            document["status"] = {str(i): ":" for i in np.flatnonzero(mask).tolist()}
        return json_answer(200, document, CONTENT_TYPE)

    def _choices(self, table: SsbTable, request: Request) -> list[_Choice]:
        """The selection of a GET (valueCodes[..], codelist[..]) or POST (selection) request."""
        selected: dict[str, list[str]] = {}
        codelists: dict[str, str] = {}
        if request.method == "POST":
            try:
                body = request.json()
            except ValueError as error:
                raise SsbError(400, f"The request body is not JSON: {error}") from None
            items = body.get("selection") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise SsbError(400, "The request body needs a selection list")
            for item in items:
                if not isinstance(item, dict) or "variableCode" not in item:
                    raise SsbError(400, "Each selection needs a variableCode")
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
        for code in list(selected) + list(codelists):
            if table.find(code) is None:
                raise SsbError(400, f"Variable {code} does not exist in table {table.id}")
        choices = []
        for var in table.variables:
            shaped = self._with_codelist(table, var, codelists.get(var.code))
            if selected.get(var.code):
                choices.append(_Choice(shaped, select_codes(shaped, selected[var.code])))
            elif var.elimination:
                choices.append(_Choice(shaped, None))
            else:
                raise SsbError(
                    400, f"Variable {var.code} can not be eliminated; select values for it"
                )
        return choices

    @staticmethod
    def _get_codelists(request: Request) -> dict[str, str]:
        found = {}
        for key, values in request.query.items():
            name = _bracketed(key, "codelist")
            if name and values:
                found[name] = values[0]
        return found

    @staticmethod
    def _with_codelist(table: SsbTable, var: Variable, codelist_id: str | None) -> Variable:
        if codelist_id is None:
            return var
        codelist = next((c for c in table.codelists(var) if c.id == codelist_id), None)
        if codelist is None:
            raise SsbError(400, f"Codelist {codelist_id} does not exist for variable {var.code}")
        values = tuple(v for v in var.values if v.id in codelist.ids)
        return dataclasses.replace(var, values=values, by_id={})


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
    return {
        "version": "2.0",
        "class": "dataset",
        "label": table.label(lang, [c.variable for c in choices]),
        "source": SOURCE[lang],
        "updated": table.updated,
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

"""FHI Statistikk Open API (https://statistikk-data.fhi.no/api/open/v1), simulated.

Serves source `nokkel` with table 583 (persistent low income, 25 years and over, by immigrant
category), as FHI's own guide and samples describe the API (folkehelseinstituttet/
Fhi.Statistikk.OpenAPI @c7d06b7) and a county's daily scripts use it (evensrii/Telemark
@2f2c211, andel_innvandrere_i_lavinntekt_fhi.py, its saved output and run log):
- GET Common/source, {source}/table, {source}/table/{id}, {source}/Table/{id}/query,
  .../dimension (categories nested as children), .../flag, .../metadata; the path's "Table" may
  be written "table" too (FHI's samples use both).
- POST {source}/Table/{id}/data: every dimension exactly once, each with one filter: `item`
  (codes that must exist), `top` (the first N), `all` (`*` wildcards) and `bottom` (the last N:
  not in the guide since FHI took it out again in November 2025, but used daily by the county
  and measured by a third party, who found `top` gives the OLDEST years); `maxRowCount`: an
  answer with more rows is refused. Refusals are HTTP 400 with the reason in `status` ("Further
  details about the error can be found in the status field in the response"); the exact body
  is UNCONFIRMED. A GET on /data is answered 405 (a third party's finding, unverified).
- Answers are json-stat2 as FHI writes it: `category.index` an array, `role.time` and
  `role.geo` null, `href`/`source` null, `updated` with seven decimals of seconds, `status` an
  empty string, and ":" as a string inside `value` for cells FHI does not show.

Codes and labels: GEO (0 Hele landet, counties, today's 357 municipalities), AAR 2006_2006 to
2023_2023 labelled 2004-2006 to 2021-2023, ALDER 25_120 "25 år +", INNVKAT 0 "total", 2
"innvandrere", 20 "øvrig befolkning" (dimension label "Innvandringsbakgrunn", its 2026 wording),
MAAL ant_eu60 "EU 60", MEASURE_TYPE RATE (its label, the table title and the flag text are
guesses: marked so in sources.yml). Figures are invented from the Norwegian demo population,
with national levels near the public ones (immigrants 25+ about 21 % in 2004-2006 and 20 % in
2021-2023, the rest of the population about 6 %). Which cells FHI hides is UNCONFIRMED: here a
group with fewer than 20 persons in persistent low income is hidden, and, as the county's file
shows for two of its municipalities, a few municipalities' comparison group is hidden for
every period.
"""

from __future__ import annotations

import fnmatch
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np

from loaders.municipalities import list_municipalities
from simulator import model
from simulator.cube import cached
from simulator.messages import Answer, Refusal, Request, json_answer

PREFIX = "/api/open/v1"
SOURCE_ID = "nokkel"
CONTENT_TYPE = "application/json; charset=utf-8"
TABLE_ID = "583"
TITLE = "Vedvarende lavinntekt"  # guess: the county names the table so in a comment
UPDATED = "2025-03-05T10:12:44.1234567+00:00"
YEARS = list(range(2006, 2024))  # the window's last year
HIDDEN = ":"
FILTERS = ("item", "top", "bottom", "all")


class FhiError(Refusal):
    """A request FHI refuses: the HTTP status and the reason it gives in `status`."""

    def __init__(self, status: int, reason: str, cells: int | None = None) -> None:
        super().__init__(reason, cells)
        self.status = status


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    categories: tuple[tuple[str, str, int], ...]  # (value, label, depth) in tree order

    @property
    def codes(self) -> list[str]:
        return [c[0] for c in self.categories]

    def label_of(self, code: str) -> str:
        return next(label for value, label, _ in self.categories if value == code)


def _geo() -> Dimension:
    counties: dict[str, str] = {}
    for m in list_municipalities("NO"):
        counties.setdefault(m.region_code, m.region_name.split(" - ")[0])
    categories = [("0", "Hele landet", 0)]
    for county, name in sorted(counties.items()):
        categories.append((county, name, 1))
        categories += [
            (m.code, m.name.split(" - ")[0], 2)
            for m in list_municipalities("NO")
            if m.region_code == county
        ]
    return Dimension("GEO", "Geografi", tuple(categories))


@cache
def dimensions() -> tuple[Dimension, ...]:
    """Table 583's dimensions in FHI's order (the county's request lists them so)."""
    return (
        _geo(),
        Dimension("AAR", "År", tuple((f"{y}_{y}", f"{y - 2}-{y}", 0) for y in YEARS)),
        Dimension("ALDER", "Alder", (("25_120", "25 år +", 0),)),
        Dimension(
            "INNVKAT",
            "Innvandringsbakgrunn",
            (("0", "total", 0), ("2", "innvandrere", 0), ("20", "øvrig befolkning", 0)),
        ),
        Dimension("MAAL", "Lavinntektsgrense", (("ant_eu60", "EU 60", 0),)),
        Dimension("MEASURE_TYPE", "Måltall", (("RATE", "andel (prosent)", 0),)),
    )


# --- figures ------------------------------------------------------------------------------------


def _noise(*key: str) -> float:
    return (zlib.crc32("/".join(key).encode()) % 100_000) / 100_000


def _build(no: model.Country) -> dict[str, np.ndarray]:
    """Persons 25+ and persons in persistent low income by [municipality, category, window],
    category in INNVKAT order (total, immigrants, the rest)."""
    windows = []
    for last in YEARS:
        years = np.array([last - 2, last - 1, last], dtype=np.float64)
        adults = no.population(years)[..., 25:].sum(axis=(3, 4)).mean(axis=2)  # [area, group]
        windows.append(adults)
    adults = np.stack(windows, axis=-1)  # [area, group, window]
    immigrants = adults[:, [1, 2]].sum(axis=1)
    others = adults[:, [0, 3, 4]].sum(axis=1)
    t = np.array(YEARS, dtype=np.float64)[None, :]
    effect = 0.6 * no.benefit_effect[:, None]
    share_immigrants = 1 / (1 + np.exp(-(np.log(0.27 / 0.73) + effect - 0.01 * (t - 2006))))
    share_others = 1 / (1 + np.exp(-(np.log(0.065 / 0.935) + 0.5 * effect)))
    low = np.stack([immigrants * share_immigrants, others * share_others])
    persons = np.stack([immigrants, others])
    return {
        "persons": np.concatenate([persons.sum(axis=0)[None], persons]).transpose(1, 0, 2),
        "low": np.concatenate([low.sum(axis=0)[None], low]).transpose(1, 0, 2),
    }


def figures(seed: int) -> dict[str, np.ndarray]:
    return cached(("fhi", TABLE_ID, seed), lambda: _build(model.norway(seed)))


def _cube(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rates (per cent) and hidden cells by [GEO category, window, INNVKAT]."""
    data = figures(seed)
    codes = [m.code for m in list_municipalities("NO")]
    row = {code: i for i, code in enumerate(codes)}
    geo = dimensions()[0]
    persons = np.zeros((len(geo.codes), *data["persons"].shape[1:]))
    low = np.zeros_like(persons)
    county_of = {m.code: m.region_code for m in list_municipalities("NO")}
    for i, code in enumerate(geo.codes):
        if code == "0":
            members = list(range(len(codes)))
        elif code in row:
            members = [row[code]]
        else:
            members = [row[c] for c in codes if county_of[c] == code]
        persons[i] = data["persons"][members].sum(axis=0)
        low[i] = data["low"][members].sum(axis=0)
    rate = 100.0 * low / np.maximum(persons, 1.0)
    hidden = low < 20
    for i, code in enumerate(geo.codes):
        if len(code) == 4 and _noise("fhi-hide", code) < 0.03:
            hidden[i, 2, :] = True  # the comparison group hidden for every period
    return rate.transpose(0, 2, 1), hidden.transpose(0, 2, 1)


# --- the API ------------------------------------------------------------------------------------


class FhiApi:
    """Answers /api/open/v1/... for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def identify(self, request: Request) -> tuple[str | None, str | None]:
        """(endpoint, table id): "data" for .../data, "metadata" for .../dimension (the codes and
        labels, where a relabel fault belongs) and "about" for the other reads."""
        parts = [p for p in request.path[len(PREFIX) :].split("/") if p]
        lower = [p.lower() for p in parts]
        if len(parts) == 4 and lower[1] == "table" and lower[3] in ("data", "dimension"):
            return ("data" if lower[3] == "data" else "metadata"), parts[2]
        if len(parts) >= 3 and lower[1] == "table":
            return "about", parts[2]
        return ("about", None) if parts else (None, None)

    def handle(self, request: Request) -> Answer:
        try:
            return self._route(request)
        except FhiError as error:
            answer = json_answer(error.status, {"status": error.message}, CONTENT_TYPE)
            answer.cells = error.cells
            return answer

    def _route(self, request: Request) -> Answer:
        parts = [p for p in request.path[len(PREFIX) :].split("/") if p]
        lower = [p.lower() for p in parts]
        if lower == ["common", "source"]:
            self._method(request, "GET")
            return json_answer(200, [_source()], CONTENT_TYPE)
        if not parts or parts[0] != SOURCE_ID:
            raise FhiError(404, f"Source {parts[0] if parts else ''} does not exist")
        if lower[1:] == ["table"]:
            self._method(request, "GET")
            return json_answer(200, [_about()], CONTENT_TYPE)
        if len(parts) < 3 or lower[1] != "table":
            raise FhiError(404, f"No resource at {request.path}")
        if parts[2] != TABLE_ID:
            raise FhiError(404, f"Table {parts[2]} does not exist in source {SOURCE_ID}")
        rest = lower[3:]
        if not rest:
            self._method(request, "GET")
            return json_answer(200, _about(), CONTENT_TYPE)
        if rest == ["data"]:
            self._method(request, "POST")
            return self._data(request)
        self._method(request, "GET")
        readers = {
            "dimension": _dimension_answer,
            "query": _query_answer,
            "flag": _flag_answer,
            "metadata": _metadata_answer,
        }
        if rest[0] not in readers or len(rest) > 1:
            raise FhiError(404, f"No resource at {request.path}")
        return json_answer(200, readers[rest[0]](), CONTENT_TYPE)

    @staticmethod
    def _method(request: Request, allowed: str) -> None:
        if request.method != allowed:
            raise FhiError(405, f"{request.method} is not allowed here; use {allowed}")

    def _data(self, request: Request) -> Answer:
        try:
            body = request.json()
        except ValueError as error:
            raise FhiError(400, f"The request body is not JSON: {error}") from None
        if not isinstance(body, dict) or not isinstance(body.get("dimensions"), list):
            raise FhiError(400, "The request body needs a list of dimensions")
        chosen = _select(body["dimensions"])
        response = body.get("response") or {}
        if not isinstance(response, dict):
            raise FhiError(400, "response must be an object")
        fmt = str(response.get("format") or "json-stat2")
        if fmt not in ("json-stat2", "csv2", "csv3", "parquet"):
            raise FhiError(400, f"Unknown response format {fmt}")
        if fmt != "json-stat2":
            raise FhiError(400, f"The simulator answers json-stat2 only, not {fmt}")
        rows = int(np.prod([len(codes) for codes in chosen.values()]))
        limit = response.get("maxRowCount")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise FhiError(400, "maxRowCount must be a whole number of at least 1")
        if limit is not None and rows > limit:
            raise FhiError(400, f"The result has {rows} rows, more than maxRowCount {limit}", rows)
        answer = json_answer(200, self._dataset(chosen), CONTENT_TYPE)
        answer.cells = rows
        return answer

    def _dataset(self, chosen: dict[str, list[str]]) -> dict:
        rate, hidden = _cube(self.seed)
        dims = dimensions()
        geo, years, _, groups = (d.codes for d in dims[:4])
        g = [geo.index(c) for c in chosen["GEO"]]
        t = [years.index(c) for c in chosen["AAR"]]
        k = [groups.index(c) for c in chosen["INNVKAT"]]
        picked = rate[np.ix_(g, t, k)]
        masked = hidden[np.ix_(g, t, k)]
        # Axes GEO, AAR, ALDER, INNVKAT, MAAL, MEASURE_TYPE; ALDER, MAAL, MEASURE have one code.
        shape = [len(chosen[d.code]) for d in dims]
        values = np.broadcast_to(picked[:, :, None, :, None, None], shape).ravel().tolist()
        flags = np.broadcast_to(masked[:, :, None, :, None, None], shape).ravel().tolist()
        cells = [HIDDEN if f else float(v) for v, f in zip(values, flags, strict=True)]
        dimension = {}
        for d in dims:
            category: dict = {
                "index": chosen[d.code],
                "label": {c: d.label_of(c) for c in chosen[d.code]},
            }
            if d.code == "MEASURE_TYPE":
                category["unit"] = {
                    c: {"decimals": None, "label": "prosent", "symbol": None, "position": None}
                    for c in chosen[d.code]
                }
            dimension[d.code] = {"label": d.label, "category": category}
        return {
            "class": "dataset",
            "version": "2.0",
            "href": None,
            "label": TITLE,
            "updated": UPDATED,
            "source": None,
            "id": [d.code for d in dims],
            "size": shape,
            "role": {"time": None, "geo": None, "metric": ["MEASURE_TYPE"]},
            "dimension": dimension,
            "value": cells,
            "status": "",
        }


def _select(requested: list) -> dict[str, list[str]]:
    """The categories each dimension's filter picks, in the table's order."""
    dims = {d.code: d for d in dimensions()}
    chosen: dict[str, list[str]] = {}
    for item in requested:
        if not isinstance(item, dict):
            raise FhiError(400, "Each dimension must be an object with code, filter and values")
        code, kind, values = item.get("code"), item.get("filter"), item.get("values")
        if code not in dims:
            raise FhiError(400, f"Dimension {code} does not exist in table {TABLE_ID}")
        if code in chosen:
            raise FhiError(400, f"Dimension {code} is given more than once")
        if kind not in FILTERS:
            raise FhiError(400, f"Unknown filter {kind} for {code}; use item, top or all")
        if not isinstance(values, list) or not values:
            raise FhiError(400, f"Dimension {code} needs at least one value")
        codes = dims[code].codes
        if kind == "item":
            unknown = [str(v) for v in values if str(v) not in codes]
            if unknown:
                raise FhiError(400, f"Category {unknown[0]} does not exist in dimension {code}")
            picked = {str(v) for v in values}
        elif kind in ("top", "bottom"):
            text = str(values[0])
            if len(values) != 1 or not text.isdigit() or int(text) < 1:
                raise FhiError(400, f"{kind} for {code} takes one whole number of at least 1")
            n = int(text)
            picked = set(codes[:n] if kind == "top" else codes[-n:])
        else:
            picked = {c for c in codes for p in values if fnmatch.fnmatchcase(c, str(p))}
            if not picked:
                raise FhiError(400, f"No category of {code} matches {values}")
        chosen[code] = [c for c in codes if c in picked]
    missing = [code for code in dims if code not in chosen]
    if missing:
        raise FhiError(400, f"Every dimension needs a filter; missing: {', '.join(missing)}")
    return chosen


def _source() -> dict:
    return {
        "id": SOURCE_ID,
        "title": "Folkehelsestatistikk",
        "description": "Simulated source",
        "aboutUrl": "https://www.fhi.no",
    }


def _about() -> dict:
    return {
        "tableId": int(TABLE_ID),
        "title": TITLE,
        "publishedAt": "2025-03-05T10:12:44Z",
        "modifiedAt": "2025-06-18T08:30:00Z",
    }


def _dimension_answer() -> dict:
    out = []
    for d in dimensions():
        top: list[dict] = []
        stack: list[list[dict]] = [top]
        for value, label, depth in d.categories:
            children: list[dict] = []
            del stack[depth + 1 :]
            stack[depth].append({"label": label, "value": value, "children": children})
            stack.append(children)
        out.append({"code": d.code, "label": d.label, "categories": top})
    return {"dimensions": out}


def _query_answer() -> dict:
    return {
        "dimensions": [{"code": d.code, "filter": "item", "values": d.codes} for d in dimensions()],
        "response": {"format": "json-stat2", "maxRowCount": 50000},
    }


def _flag_answer() -> list:
    # Shape from FHI's client model FlagOpenResponse (Title, Text); the words are invented.
    return [{"title": HIDDEN, "text": "Verdien kan ikke vises (simulert forklaring)"}]


def _metadata_answer() -> dict:
    return {
        "name": TITLE,
        "paragraphs": [
            {
                "header": "Beskrivelse",
                "content": "Simulert: andel som bor i husholdninger med vedvarende lavinntekt "
                "(treårsperiode, EU-skala 60 prosent av median).",
            }
        ],
    }

"""The Statistics Norway tables the simulator serves: 09817, 07459 and 11607.

Codes, labels and periods follow shared/reference/tables (ssb_09817.json, ssb_11607.json,
corrected December 2026) and the research notes behind loaders/no_country_groups.csv:
- 11607: Landbakgrunn abc (population excluding immigrants), ddd and eee (immigrants from
  country groups 1 and 2; the three Norwegian labels are confirmed), zzz and tot (labels
  UNCONFIRMED: public scripts use zzz for immigrants' own employment, tot is read as the whole
  population); 2010-2025 with a level break in 2015 (the register change). The national series
  of abc, ddd and eee are calibrated to the public figures the reference quotes.
- 09817: Landbakgrunn 999 (all countries), VES and IVE (two aggregates whose labels were not
  found: the texts below are guesses) and the 3-digit country codes of KLASS 91; no country-
  group code. InnvandrKat B, C and B-C; 2010-2026.
- 07459: Region, Kjonn, Alder, ContentsCode Personer1 ("Personer"), Tid: confirmed in SSB's own
  client's rendered output; 2010-2026 here.
Region carries every municipality code in use since 2010 (simulator/no_regions.py).

Suppression: 11607's rates are withheld (":") where fewer than 20 people are behind them.
09817 publishes every count, small ones included: the one public reader of 09817 by country
found treats its cells as published (a kommune's countries may miss the printed total by a
person or two), whereas the only export with ":" for counts of 1-3 is of unknown provenance
(not the statbank). Were SSB to suppress a single-country cell, the loader's country-group sum
for that municipality and year would be missing, never understated.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from loaders import norway
from simulator import model, no_regions
from simulator.cube import (
    Variable,
    aggregate,
    band_matrix,
    by_variables,
    cached,
    variable,
)

Leaves = dict[str, np.ndarray]
Computed = tuple[dict[str, np.ndarray], np.ndarray]  # values per measure, suppressed cells


@dataclass(frozen=True)
class Measure:
    """One ContentsCode value: its unit and number of decimals."""

    unit: tuple[str, str]
    decimals: int


@dataclass(frozen=True)
class Codelist:
    """A value set or aggregation the client may apply to a variable.

    `before_null`: an aggregation to today's codes that leaves the years before a code
    existed empty (what clients report for agg_KommGjeldende).
    """

    id: str
    label: tuple[str, str]
    type: str  # "Aggregation" or "Valueset"
    ids: tuple[str, ...]
    before_null: bool = False


# --- Region ----------------------------------------------------------------------------------

REGION = variable(
    "Region",
    ("region", "region"),
    [("0", "Hele landet", "The whole country")]
    + [(c, no_regions.label(c, "no"), no_regions.label(c, "en")) for c in no_regions.CODES],
    no_regions.CODES,
)
REGION_CODELISTS = (
    Codelist(
        "agg_KommGjeldende",
        ("Gjeldende kommuner", "Current municipalities"),
        "Aggregation",
        no_regions.CURRENT,
        before_null=True,
    ),
    Codelist("vs_Kommun", ("Alle kommuner", "All municipalities"), "Valueset", no_regions.CODES),
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
AGES_07459 = [f"{a:03d}" for a in range(105)] + ["105+"]
BANDS_11607 = ["15-19", "20-24", "25-39", "40-54", "55-66", "67-74"]


@dataclass(frozen=True)
class SsbTable:
    """One statbank table: variables (ContentsCode included), measures and computation.

    `build` makes named leaf arrays whose axes are the variables without ContentsCode (Region
    first, Tid last); `compute` turns them and one matrix per such axis into a value array per
    measure and a mask of suppressed cells. `rates`: a code's cells outside its years are
    empty ("."), where a count table shows 0 for a code not yet in use.
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
    rates: bool = False
    notes: tuple[str, str] | None = None  # dataset-level note (no, en)
    # Free-text notes on single cells that have a value: (region, year) -> (no, en).
    cell_notes: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def leaves(self, seed: int) -> Leaves:
        return cached(("ssb", self.id, seed), lambda: self.build(model.norway(seed)))

    def label(self, lang: str, variables: list[Variable]) -> str:
        """ "09817: <title>, etter region, ... og år" over the variables shown."""
        return f"{self.id}: {self.title[lang == 'en']}, {by_variables(lang, variables, 'etter')}"

    def codelists(self, var: Variable) -> tuple[Codelist, ...]:
        return REGION_CODELISTS if var.code == "Region" else ()


def _noise(*key: str) -> float:
    """A fixed pseudo-random number in [0, 1) for a key (the same on every run)."""
    return (zlib.crc32("/".join(key).encode()) % 100_000) / 100_000


# 07459 Population -----------------------------------------------------------------------------

YEARS_07459 = list(range(2010, 2027))


def _build_07459(no: model.Country) -> Leaves:
    pop = no.population(np.array(YEARS_07459, dtype=np.float64))  # 1 January
    by_area = pop.sum(axis=1).transpose(0, 2, 3, 1)  # [area, sex, age, time]
    return {"persons": no_regions.to_codes(by_area, YEARS_07459)}


def _compute_07459(leaves: Leaves, mats: list[np.ndarray]) -> Computed:
    persons = aggregate(leaves["persons"], mats)
    return {"Personer1": persons}, np.zeros(persons.shape, dtype=bool)


# 09817 Immigrants and Norwegian-born to immigrant parents ------------------------------------

YEARS_09817 = list(range(2010, 2027))
COUNTRIES = norway.list_countries()
LAND_LEAVES = [c.code for c in COUNTRIES]
GROUP_1 = [c.code for c in COUNTRIES if c.group == "1"]
OTHERS = [c.code for c in COUNTRIES if c.group != "1"]
# Typical weight of a country within its group in Norway (demo figures, roughly the order of
# the largest immigrant groups); every other country gets a small weight.
WEIGHTS = {
    "131": 30,
    "136": 12,
    "106": 10,
    "144": 7,
    "101": 5,
    "139": 4,
    "103": 3,
    "133": 3,
    "117": 2,
    "132": 2,
    "137": 2,
    "684": 2,
    "127": 2,
    "113": 1.5,
    "124": 1.5,
    "564": 9,
    "346": 8,
    "148": 6,
    "241": 6,
    "452": 5,
    "534": 5,
    "428": 5,
    "404": 4,
    "568": 4,
    "456": 4,
    "140": 4,
    "575": 3,
    "143": 3,
    "155": 3,
    "161": 3,
    "444": 3,
    "424": 3,
    "246": 3,
    "484": 3,
    "159": 1.5,
    "410": 1,
    "715": 1,
    "730": 1,
    "276": 1,
    "303": 1,
    "980": 1,
    "990": 0.3,
}
UKRAINE = "148"


def _country_shares(areas: int, years: list[int], codes: list[str]) -> np.ndarray:
    """Weights by [area, time, country]: national weights with municipal variation; Ukraine's
    weight grows after the arrivals of 2022."""
    base = np.array([WEIGHTS.get(code, 0.05) for code in codes])
    local = np.array(
        [[0.3 + 1.4 * _noise("land", str(a), code) for code in codes] for a in range(areas)]
    )
    t = np.array(years, dtype=np.float64)
    boost = 1.0 + 6.0 / (1.0 + np.exp(-(t - 2022.6) / 0.4))
    grow = np.ones((len(years), len(codes)))
    if UKRAINE in codes:
        grow[:, codes.index(UKRAINE)] = boost
    return base[None, None, :] * local[:, None, :] * grow[None, :, :]


def _build_09817(no: model.Country) -> Leaves:
    totals = no.group_totals(np.array(YEARS_09817, dtype=np.float64))  # [area, group, time]
    areas = len(no.codes)
    persons = np.zeros((areas, 2, len(LAND_LEAVES), len(YEARS_09817)), dtype=np.int64)
    positions = {code: i for i, code in enumerate(LAND_LEAVES)}
    for codes, (immigrants, born_here) in ((GROUP_1, (1, 3)), (OTHERS, (2, 4))):
        shares = _country_shares(areas, YEARS_09817, codes)  # [area, time, country]
        columns = [positions[c] for c in codes]
        for category, group in enumerate((immigrants, born_here)):
            parts = model.apportion(totals[:, group, :], shares)  # [area, time, country]
            persons[:, category, columns, :] = parts.transpose(0, 2, 1)
    population = totals.sum(axis=1)  # [area, time]
    return {
        "persons": no_regions.to_codes(persons, YEARS_09817),
        "population": no_regions.to_codes(population, YEARS_09817)[:, None, None, :],
    }


def _ones_for(matrix: np.ndarray) -> np.ndarray:
    """Repeat a size-1 axis once per selected value (a denominator that does not vary)."""
    return np.ones((matrix.shape[0], 1))


def _compute_09817(leaves: Leaves, mats: list[np.ndarray]) -> Computed:
    persons = aggregate(leaves["persons"], mats)
    whole = [mats[0], _ones_for(mats[1]), _ones_for(mats[2]), mats[3]]
    population = aggregate(leaves["population"], whole)
    share = np.round(100.0 * persons / np.maximum(population, 1.0), 1)
    return {"Personer1": persons, "AndelBefolkning": share}, np.zeros(persons.shape, dtype=bool)


# 11607 Employment -----------------------------------------------------------------------------

YEARS_11607 = list(range(2010, 2026))
# Landbakgrunn leaves and the model's origin groups behind each.
CLASSES = {"abc": (0, 3, 4), "ddd": (1,), "eee": (2,)}
# Per cent employed, 15-74, both sexes, whole country: the public figures the reference quotes
# (ssb_11607.json: 2010, 2015, 2023, 2025). Other years are invented: a gentle line before the
# 2015 level break (when the statistics moved to the a-ordning register) and straight lines
# between the quoted years after it.
ANCHORS = {
    "abc": {2010: 66.8, 2014: 65.6, 2015: 63.7, 2023: 65.9, 2025: 65.5},
    "ddd": {2010: 64.7, 2014: 64.0, 2015: 62.4, 2023: 72.0, 2025: 66.8},
    "eee": {2010: 48.1, 2014: 46.9, 2015: 44.5, 2023: 53.1, 2025: 53.7},
}


def national_target(land: str, year: int) -> float:
    """The calibrated national employment rate (per cent) of a Landbakgrunn leaf."""
    anchors = ANCHORS[land]
    segment = [y for y in anchors if (y < 2015) == (year < 2015)]
    return float(np.interp(year, segment, [anchors[y] for y in segment]))


def _calibrated_employment(no: model.Country, times: np.ndarray) -> np.ndarray:
    """Employed persons by [area, group, time, sex, age], national rates per ANCHORS."""
    pop = no.population(times).astype(np.float64)
    p = np.clip(no.employment_probability(times), 1e-9, 1 - 1e-9)
    logit = np.log(p / (1.0 - p))
    working = (no.ages >= 15) & (no.ages <= 74)
    employed = np.zeros_like(pop)
    for land, groups in CLASSES.items():
        g = list(groups)
        for t, time in enumerate(times):
            people = pop[:, g, t][..., working]
            target = national_target(land, int(time)) / 100.0
            shift = 0.0
            for _ in range(30):  # Newton's method on one logit shift for the whole country
                q = 1.0 / (1.0 + np.exp(-(logit[:, g, t][..., working] + shift)))
                gap = (people * q).sum() / people.sum() - target
                if abs(gap) < 1e-7:
                    break
                shift -= gap / ((people * q * (1 - q)).sum() / people.sum())
            q_all = 1.0 / (1.0 + np.exp(-(logit[:, g, t] + shift)))
            employed[:, g, t] = pop[:, g, t] * np.where(no.ages >= 15, q_all, 0.0)
    return employed


def _build_11607(no: model.Country) -> Leaves:
    times = np.array(YEARS_11607, dtype=np.float64) + 0.75  # fourth quarter
    pop = no.population(times).astype(np.float64)
    employed = _calibrated_employment(no, times)
    bands = band_matrix([range(int(b[:2]), int(b[3:]) + 1) for b in BANDS_11607], no.max_age + 1)
    out = {}
    for name, x in (("population", pop), ("employed", employed)):
        by_band = np.rint(np.tensordot(x, bands, axes=([-1], [1])))  # [area, group, t, sex, band]
        land = np.stack([by_band[:, list(g)].sum(axis=1) for g in CLASSES.values()], axis=1)
        by_area = land.transpose(0, 4, 3, 1, 2).astype(np.int64)  # [area, band, sex, land, t]
        out[name] = no_regions.to_codes(by_area, YEARS_11607)
    out["employed"] = np.minimum(out["employed"], out["population"])
    return out


def _compute_11607(leaves: Leaves, mats: list[np.ndarray]) -> Computed:
    employed = aggregate(leaves["employed"], mats)
    population = aggregate(leaves["population"], mats)
    rate = np.round(100.0 * employed / np.maximum(population, 1.0), 1)
    return {"Sysselsatte2": rate}, population < 20


GROUP_1_TEXT = (
    "Norden utenom Norge, EU/EFTA, Storbritannia, USA, Canada, Australia, New Zealand",
    # English labels of 11607 were not seen in public output: these are guesses.
    "The Nordic countries except Norway, EU/EFTA, the UK, USA, Canada, Australia, New Zealand",
)
GROUP_2_TEXT = (
    "Europa utenom EU/EFTA og Storbritannia, Afrika, Asia, Amerika utenom USA og Canada, "
    "Oseania utenom Australia og NZ, polare områder",
    "Europe except EU/EFTA and the UK, Africa, Asia, America except USA and Canada, "
    "Oceania except Australia and NZ, polar regions",
)
BREAK_2015 = (
    "Brudd i tidsserien: fra og med 2015 bygger tallene på a-ordningen.",
    "Break in the series: from 2015 the figures are based on the a-ordning register.",
)


TABLES = {
    t.id: t
    for t in (
        SsbTable(
            "09817",
            (
                "Innvandrere og norskfødte med innvandrerforeldre",
                "Immigrants and Norwegian-born to immigrant parents",
            ),
            "2026-03-11T07:00:00Z",
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
                        (
                            "B-C",
                            "Innvandrere og norskfødte med innvandrerforeldre",
                            "Immigrants and Norwegian-born to immigrant parents",
                        ),
                    ],
                    ["B", "C"],
                    total="B-C",
                ),
                variable(
                    "Landbakgrunn",
                    ("landbakgrunn", "country background"),
                    [
                        ("999", "Alle land", "All countries"),
                        # VES/IVE: codes seen in public queries, labels not found (guesses).
                        ("VES", "Vestlige land", "Western countries"),
                        ("IVE", "Ikke-vestlige land", "Non-western countries"),
                    ]
                    + [(c.code, c.name_no, c.name_en) for c in COUNTRIES],
                    LAND_LEAVES,
                    {"VES": GROUP_1, "IVE": OTHERS},
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
                _time(YEARS_09817[0], YEARS_09817[-1]),
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
            "2026-02-21T07:00:00Z",
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
                _time(YEARS_07459[0], YEARS_07459[-1]),
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
            "2026-05-28T06:00:00Z",
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
                        ("tot", "I alt", "Total"),  # label UNCONFIRMED
                        (
                            "abc",
                            "Befolkningen eksklusive innvandrere",
                            "Population excluding immigrants",
                        ),
                        ("zzz", "Innvandrere i alt", "Immigrants, total"),  # label UNCONFIRMED
                        ("ddd", *GROUP_1_TEXT),
                        ("eee", *GROUP_2_TEXT),
                    ],
                    list(CLASSES),
                    {"zzz": ["ddd", "eee"]},
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
                _time(YEARS_11607[0], YEARS_11607[-1]),
            ),
            {"Sysselsatte2": Measure(("prosent", "per cent"), 1)},
            _build_11607,
            _compute_11607,
            "RegSysBLand",
            "al",
            rates=True,
            notes=BREAK_2015,
            cell_notes={("0", "2015"): BREAK_2015},
        ),
    )
}

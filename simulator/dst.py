"""Statistics Denmark's statbank API v1 (https://api.statbank.dk/v1), simulated.

Serves `tableinfo` (JSON) and `data` (JSONSTAT: JSON-stat 1.0 wrapped in {"dataset": ...})
for FOLK1E, RAS201, LIGEUB1, KY038, STRAFNA6, INDOPH1 and INDOPH3, with the request forms,
value selectors, elimination rules and error bodies described in
shared/reference/tables/dst_response_shape.md.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from loaders.municipalities import list_municipalities
from simulator import model
from simulator.cube import (
    Variable,
    aggregate,
    band_matrix,
    by_variables,
    cached,
    find_variable,
    read_rows,
    variable,
)
from simulator.messages import Answer, Refusal, Request, json_answer, text_answer
from simulator.releases import CURRENT, Release, held_back_time, revise

CONTENT_TYPE = "text/json; charset=utf-8"
SOURCE = {"da": "Danmarks Statistik", "en": "Statistics Denmark"}
DATA_FORMATS = {"CSV", "JSONSTAT", "BULK", "XLSX", "HTML", "DSTML", "SDMXCOMPACT"}
DATA_FORMATS |= {"SDMXGENERIC", "PX"}
# GET /data query parameters that are options, not variables.
OPTIONS = {"lang", "format", "table", "valuepresentation", "timeorder", "delimiter"}
OPTIONS |= {"allowvariablesinhead", "allowcodeoverrideinformation"}
MAP = "Denmark_municipality_07"

REGIONS = (
    ("084", "Region Hovedstaden"),
    ("085", "Region Sjælland"),
    ("083", "Region Syddanmark"),
    ("082", "Region Midtjylland"),
    ("081", "Region Nordjylland"),
)
# Landsdele (provinces) with their region and kommuner.
LANDSDELE = read_rows("dk_landsdele.csv")


class DstError(Refusal):
    """A request the real API refuses with HTTP 400 and an errorTypeCode."""

    def __init__(self, code: str, message: str, cells: int | None = None) -> None:
        super().__init__(message, cells)
        self.code = code


# --- variables -------------------------------------------------------------------------


def _area(code: str, text: tuple[str, str], landsdele: bool) -> Variable:
    """OMRÅDE / BOPOMR: the country, regions, optionally landsdele, kommuner and Christiansø."""
    areas = model.area_codes("DK")
    names = {m.code: m.name for m in list_municipalities("DK")} | {"411": "Christiansø"}
    region_of = {m.code: m.region_code for m in list_municipalities("DK")} | {"411": "084"}
    values = [("000", "Hele landet", "All Denmark")]
    groups: dict[str, list[str]] = {}
    for region, region_name in REGIONS:
        values.append((region, region_name, region_name))
        groups[region] = [a for a in areas if region_of[a] == region]
        if landsdele:
            for part in (p for p in LANDSDELE if p["region"] == region):
                name, members = part["name"], part["kommuner"].split()
                values.append((part["id"], f"Landsdel {name}", f"Province {name}"))
                values += [(k, names[k], names[k]) for k in members]
                groups[part["id"]] = members
        else:
            values += [(k, names[k], names[k]) for k in sorted(groups[region], key=int)]
    return variable(code, text, values, areas, groups, map=MAP)


def _time(ids: list[str], quarterly: bool = False) -> Variable:
    values = [(i, i, i.replace("K", "Q") if quarterly else i) for i in ids]
    return variable("Tid", ("tid", "time"), values, ids, elimination=False, time=True)


def _age_texts(bands: list[str]) -> list[tuple[str, str, str]]:
    return [(b, f"{b} år", f"{b} years") for b in bands]


QUARTERS = [f"{y}K{q}" for y in range(2008, 2026) for q in range(1, 5)][:-1]  # to 2025K3
SEX = ("køn", "sex")
HERKOMST = ("herkomst", "ancestry")
ORIGIN_TEXTS = {
    "24": ("Indvandrere fra vestlige lande", "Immigrants from western countries"),
    "25": ("Indvandrere fra ikke-vestlige lande", "Immigrants from non-western countries"),
    "34": ("Efterkommere fra vestlige lande", "Descendants from western countries"),
    "35": ("Efterkommere fra ikke-vestlige lande", "Descendants from non-western countries"),
}
DANISH = ("Personer med dansk oprindelse", "Persons of Danish origin")


def _origins(danish_id: str) -> list[tuple[str, str, str]]:
    return [(danish_id, *DANISH)] + [(k, *ORIGIN_TEXTS[k]) for k in ("24", "25", "34", "35")]


FOLK1E_VARIABLES = (
    _area("OMRÅDE", ("område", "region"), landsdele=False),
    variable(
        "KØN",
        SEX,
        [("TOT", "I alt", "Total"), ("1", "Mænd", "Men"), ("2", "Kvinder", "Women")],
        ["1", "2"],
        total="TOT",
    ),
    variable(
        "ALDER",
        ("alder", "age"),
        [("IALT", "Alder i alt", "Age, total")] + _age_texts([str(a) for a in range(126)]),
        [str(a) for a in range(126)],
        total="IALT",
    ),
    variable(
        "HERKOMST",
        HERKOMST,
        [("TOT", "I alt", "Total")] + _origins("1"),
        ["1", "24", "25", "34", "35"],
        total="TOT",
    ),
    _time(QUARTERS, quarterly=True),
)

RAS_BANDS = ["-15", "16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54"]
RAS_BANDS += ["55-59", "60-64", "65-66", "67-"]
RAS201_VARIABLES = (
    _area("OMRÅDE", ("område", "region"), landsdele=True),
    variable(
        "SOCIO",
        ("socioøkonomisk status", "socioeconomic status"),
        [
            ("0", "Beskæftigede", "Employed"),
            ("50", "Arbejdsløse", "Unemployed"),
            ("55", "Uden for arbejdsstyrken", "Outside the labour force"),
        ],
        ["0", "50", "55"],
        # The reference infers every DST variable but time to be eliminable; this one is not,
        # here, so that the rule "variables that cannot be eliminated must be given" is tested.
        elimination=False,
    ),
    variable("HERKOMST", HERKOMST, _origins("999"), ["999", "24", "25", "34", "35"]),
    variable(
        "ALDER",
        ("alder", "age"),
        [("-15", "Under 16 år", "Under 16 years")]
        + _age_texts(RAS_BANDS[1:-1])
        + [("67-", "67 år og derover", "67 years and over")],
        RAS_BANDS,
    ),
    variable("KØN", SEX, [("M", "Mænd", "Men"), ("K", "Kvinder", "Women")], ["M", "K"]),
    _time([str(y) for y in range(2008, 2024)]),
)

LIGE_BANDS = ["15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59"]
LIGE_BANDS += ["60-64", "65-69"]
EDUCATION_TEXTS = (
    ("H10", "Grundskole", "Primary education"),
    ("H20", "Gymnasiale uddannelser", "Upper secondary education"),
    ("H30", "Erhvervsfaglige uddannelser", "Vocational Education and Training (VET)"),
    ("H35", "Adgangsgivende uddannelsesforløb", "Qualifying educational programs"),
    ("H40", "Korte videregående uddannelser, KVU", "Short cycle higher education"),
    ("H50", "Mellemlange videregående uddannelser, MVU", "Vocational bachelors educations"),
    ("H60", "Bacheloruddannelser, BACH", "Bachelors programs"),
    ("H70", "Lange videregående uddannelser, LVU", "Masters programs"),
    ("H80", "Ph.d. og forskeruddannelser", "PhD programs"),
    ("H90", "Uoplyst mv.", "Not stated"),
)
LIGEUB1_VARIABLES = (
    _area("BOPOMR", ("bopælsområde", "region"), landsdele=False),
    variable(
        "HERKOMST",
        HERKOMST,
        [("0", "I alt", "Total"), ("10", *DANISH), ("21", "Indvandrere i alt", "Immigrants total")]
        + [(k, *ORIGIN_TEXTS[k]) for k in ("24", "25")]
        + [("31", "Efterkommere i alt", "Descendants total")]
        + [(k, *ORIGIN_TEXTS[k]) for k in ("34", "35")],
        ["10", "24", "25", "34", "35"],
        {"21": ["24", "25"], "31": ["34", "35"]},
        total="0",
    ),
    variable(
        "HFUDD",
        ("højest fuldførte uddannelse", "highest education completed"),
        [("TOT", "I alt", "Total")]
        + [(h, f"{h} {da}", f"{h} {en}") for h, da, en in EDUCATION_TEXTS],
        list(model.EDUCATION_LEVELS),
        total="TOT",
    ),
    variable(
        "ALDER",
        ("alder", "age"),
        [("TOT", "Alder i alt", "Age, total")] + _age_texts(LIGE_BANDS),
        LIGE_BANDS,
        total="TOT",
    ),
    variable(
        "KØN",
        SEX,
        [("TOT", "I alt", "Total"), ("M", "Mænd", "Men"), ("K", "Kvinder", "Women")],
        ["M", "K"],
        total="TOT",
    ),
    _time([str(y) for y in range(2005, 2025)]),
)

BENEFIT_TEXTS = {
    "10050": ("Kontanthjælp i alt", "Social assistance, total"),
    "10025": ("Uddannelseshjælp i alt", "Education assistance, total"),
    "10060": (
        "Løntilskud vedrørende kontant- og uddannelseshjælpsmodtagere m. fl. I alt",
        "Wage subsidy for recipients of social and education assistance etc., total",
    ),
    "10070": (
        "Kontant- og uddannelseshjælp under forrevalidering i alt",
        "Social and education assistance during pre-rehabilitation, total",
    ),
    "10020": (
        "Kontanthjælp og integrationsydelse til udlændinge m.fl. i alt",
        "Social assistance and integration benefit for foreigners etc., total",
    ),
    "10040": ("Revalideringsydelse i alt", "Rehabilitation benefit, total"),
    "10032": ("Kontantydelse i alt (oktober 2015 -)", "Cash benefit, total (October 2015 -)"),
    "10035": (
        "Arbejdsmarkedsydelse i alt (januar 2014 -)",
        "Labour market benefit, total (January 2014 -)",
    ),
    "10030": (
        "Særlig uddannelsesydelse i alt ( -januar 2014)",
        "Special education benefit, total ( -January 2014)",
    ),
}
KY038_VARIABLES = (
    _area("OMRÅDE", ("område", "region"), landsdele=True),
    variable(
        "YDELSESTYPE",
        ("ydelsestype", "type of benefit"),
        [("10000", "Ydelser i alt", "Benefits, total")]
        + [(k, *BENEFIT_TEXTS[k]) for k in model.BENEFIT_TYPES],
        list(model.BENEFIT_TYPES),
        total="10000",
    ),
    variable(
        "HERKOMST1",
        ("national oprindelse", "national origin"),
        [
            ("TOT", "I alt", "Total"),
            ("1", *DANISH),
            ("2", "Vestlige lande", "Western countries"),
            ("9", "Ikke vestlige lande", "Non-western countries"),
            ("000", "Uoplyst national oprindelse", "National origin not stated"),
        ],
        ["1", "2", "9", "000"],
        total="TOT",
    ),
    variable(
        "HERKOMST",
        HERKOMST,
        [
            ("0", "I alt", "Total"),
            ("10", *DANISH),
            ("20", "Indvandrere", "Immigrants"),
            ("30", "Efterkommere", "Descendants"),
            ("40", "Uoplyst herkomst", "Ancestry not stated"),
        ],
        ["10", "20", "30", "40"],
        total="0",
    ),
    _time([str(y) for y in range(2007, 2025)]),
)


# --- leaf arrays from the model ---------------------------------------------------------


def _years(variable: Variable, offset: float) -> np.ndarray:
    return np.array([float(i) for i in variable.ids]) + offset


def _build_folk1e(dk: model.Country) -> np.ndarray:
    times = np.array([int(q[:4]) + (int(q[5]) - 1) / 4 for q in QUARTERS])
    pop = dk.population(times)  # [area, group, time, sex, age]
    return np.ascontiguousarray(pop.transpose(0, 3, 4, 1, 2))


def _to_bands(x: np.ndarray, bands: list[range]) -> np.ndarray:
    """Sum the last (age) axis into bands."""
    return np.tensordot(x, band_matrix(bands, x.shape[-1]), axes=([-1], [1]))


def _ranges(bands: list[str], top: int) -> list[range]:
    out = []
    for band in bands:
        low, _, high = band.partition("-")
        out.append(range(int(low or 0), int(high) + 1 if high else top + 1))
    return out


def _build_ras201(dk: model.Country) -> np.ndarray:
    times = _years(RAS201_VARIABLES[-1], 0.75)  # end of November, as FOLK1E's fourth quarter
    pop = dk.population(times).astype(np.float64)
    employed = pop * dk.employment_probability(times)
    unemployed = (pop - employed) * dk.unemployment_share()[None, :, None, None, :]
    bands = _ranges(["0-15"] + RAS_BANDS[1:], dk.max_age)
    people, work, idle = (_to_bands(x, bands) for x in (pop, employed, unemployed))
    weights = np.stack([work, idle, np.clip(people - work - idle, 0, None)], axis=-1)
    counts = model.apportion(people, weights)  # [area, group, time, sex, band, socio]
    return counts.transpose(0, 5, 1, 4, 3, 2).astype(np.int32)


def _build_ligeub1(dk: model.Country) -> np.ndarray:
    times = _years(LIGEUB1_VARIABLES[-1], 0.75)
    bands = _ranges(LIGE_BANDS, dk.max_age)
    people = _to_bands(dk.population(times), bands)  # [area, group, time, sex, band]
    counts = model.apportion(people, dk.education_weights(times, bands))
    return counts.transpose(0, 1, 5, 4, 3, 2).astype(np.int32)


def _build_ky038(dk: model.Country) -> np.ndarray:
    years = _years(KY038_VARIABLES[-1], 0.0)
    times = years + 0.5
    adults = dk.population(times)[..., 16:65].sum(axis=(3, 4))  # [area, group, time]
    recipients = np.rint(adults * dk.benefit_rate(times))
    unknown = np.rint(0.003 * recipients.sum(axis=1))  # origin not stated
    weights = dk.benefit_type_weights(years)  # [group, time, type]
    by_type = model.apportion(recipients, np.broadcast_to(weights, recipients.shape + (9,)))
    unknown_by_type = model.apportion(unknown, np.broadcast_to(weights[0], unknown.shape + (9,)))
    cube = np.zeros((len(dk.codes), 9, 4, 4, len(years)), dtype=np.int32)
    # (HERKOMST1, HERKOMST) leaf positions of each model group: (1,10) (2,20) (9,20) (2,30) (9,30)
    for group, (national, ancestry) in enumerate([(0, 0), (1, 1), (2, 1), (1, 2), (2, 2)]):
        cube[:, :, national, ancestry, :] = by_type[:, group].transpose(0, 2, 1)
    cube[:, :, 3, 3, :] = unknown_by_type.transpose(0, 2, 1)
    return cube


# STRAFNA6 and INDOPH1/INDOPH3 ------------------------------------------------------------------
# Codes and Danish labels as josca42/varro_dst @d1d366b prints them (docs/fact/.../strafna6.md,
# indoph1.md, indoph3.md); the variable ids are inferred from its lower-case names (kon ->
# KØN as in FOLK1E, herkomst1 -> HERKOMST1 as in KY038, ophgr1/ophgr2 -> OPHGR1/OPHGR2) and the
# English labels are guesses: sources.yml pins every code by its label, so a wrong guess stops a
# live refresh naming the code. KØN and HERKOMST1 have no total here, so they cannot be
# eliminated (UNCONFIRMED: the real tableinfo says).

STRAFNA6_YEARS = [str(y) for y in range(2005, 2025)]
STRAFNA6_BANDS = {"15-29": range(15, 30), "30-49": range(30, 50), "50-79": range(50, 80)}
# Share of each group found guilty of any offence in a year (demo figures, invented): men
# 15-29 of Danish origin about 8 %, of foreign origin about 12 %; far fewer women and elders.
GUILTY_RATE = {"15-29": 0.08, "30-49": 0.04, "50-79": 0.015}
STRAFNA6_VARIABLES = (
    _area("OMRÅDE", ("område", "region"), landsdele=False),
    variable(
        "KØN",
        SEX,
        [("M", "Mænd", "Men"), ("K", "Kvinder", "Women")],
        ["M", "K"],
        elimination=False,
    ),
    variable(
        "ALDER",
        ("alder", "age"),
        [("TOT", "Alder i alt", "Age, total")] + _age_texts(list(STRAFNA6_BANDS)),
        list(STRAFNA6_BANDS),
        total="TOT",
    ),
    variable(
        "HERKOMST1",
        ("national oprindelse", "national origin"),
        [
            ("1", *DANISH),
            ("6", "Personer med udenlandsk oprindelse", "Persons of foreign origin"),
        ],
        ["1", "6"],
        elimination=False,
    ),
    _time(STRAFNA6_YEARS),
)

# (code, Danish label, English label) of INDOPH3's current residence bases; INDOPH1's first
# bases are the same but for permanent residence (9998).
RESIDENCE_BASES = [(r["code"], r["da"], r["en"]) for r in read_rows("dk_residence_bases.csv")]
PERMANENT = "9998"
INDOPH_YEARS = [str(y) for y in range(2008, 2026)]


def _bases(permanent: bool) -> list[tuple[str, str, str]]:
    """INDOPH3's bases (permanent=True), or INDOPH1's: all but permanent residence."""
    return [b for b in RESIDENCE_BASES if permanent or b[0] != PERMANENT]


def _residence_variable(code: str, text: tuple[str, str], permanent: bool) -> Variable:
    bases = _bases(permanent)
    leaves = [b[0] for b in bases]
    return variable(code, text, [("0", "I alt", "Total"), *bases], leaves, total="0")


def _area_without_christianso(code: str, text: tuple[str, str]) -> Variable:
    """OMRÅDE of the INDOPH tables: 98 kommuner, no 411 Christiansø (varro: "98 kommuner
    present in this table")."""
    full = _area(code, text, landsdele=False)
    values = tuple(v for v in full.values if v.id != "411")
    keep = [i for i, area in enumerate(model.area_codes("DK")) if area != "411"]
    position = {old: new for new, old in enumerate(keep)}
    parts = {v.id: tuple(position[p] for p in full.parts[v.id] if p in position) for v in values}
    return Variable(full.code, full.text, full.text_en, values, parts, len(keep), map=MAP)


INDOPH1_VARIABLES = (
    _residence_variable("OPHGR1", ("første opholdsgrundlag", "first residence permit"), False),
    _area_without_christianso("OMRÅDE", ("område", "region")),
    _time(INDOPH_YEARS),
)
INDOPH3_VARIABLES = (
    _residence_variable("OPHGR2", ("nuværende opholdsgrundlag", "current residence permit"), True),
    _area_without_christianso("OMRÅDE", ("område", "region")),
    _time(INDOPH_YEARS),
)


def _build_strafna6(dk: model.Country) -> np.ndarray:
    """Persons found guilty by [area, sex, band, origin, year] (demo figures)."""
    times = np.array([int(y) + 0.5 for y in STRAFNA6_YEARS])
    pop = dk.population(times).astype(np.float64)  # [area, group, time, sex, age]
    bands = _to_bands(pop, list(STRAFNA6_BANDS.values()))  # [area, group, time, sex, band]
    origin = np.stack([bands[:, 0], bands[:, 1:].sum(axis=1)], axis=1)  # Danish, foreign
    rate = np.array(list(GUILTY_RATE.values()))[None, None, None, None, :]
    factor = np.array([1.0, 1.5])[None, :, None, None, None]  # foreign origin more often
    women = np.array([1.0, 0.22])[None, None, None, :, None]
    trend = np.exp(-0.015 * (times - 2015.0))[None, None, :, None, None]
    local = np.exp(0.5 * dk.benefit_effect)[:, None, None, None, None]
    guilty = np.rint(origin * rate * factor * women * trend * local)
    return guilty.transpose(0, 3, 4, 1, 2).astype(np.int32)  # [area, sex, band, origin, time]


def _residence_weights(years: np.ndarray, permanent: bool) -> np.ndarray:
    """Weights of the residence bases by [western or not, time, basis] (demo figures)."""
    y = years[None, :]
    western = {
        "15": 0.08,
        "16": 0.04,
        "501": 0.30,
        "601": 0.10,
        "901": 0.25,
        "999": 0.15,
        "801": 0.08,
    }
    non_western = {
        "13": 0.22,
        "14": 0.10,
        "15": 0.16,
        "16": 0.08,
        "502": 0.14,
        "602": 0.08,
        "701": 0.02,
        "801": 0.10,
    }
    codes = [b[0] for b in _bases(permanent)]
    rows = []
    for table in (western, non_western):
        columns = []
        for code in codes:
            weight = np.full(y.shape, table.get(code, 0.005))
            if code == "13":  # the arrivals of 2015-2016
                weight = weight * (1.0 + 0.8 / (1.0 + np.exp(-(y - 2016.0) / 0.6)))
            if code == "52":  # Ukraine's special act from 2022
                weight = np.where(y >= 2023, 0.12 if table is non_western else 0.005, 0.0)
            if code == PERMANENT:
                weight = np.full(y.shape, 0.25 if table is non_western else 0.05)
            columns.append(weight)
        rows.append(np.concatenate(columns, axis=0).T)
    return np.stack(rows)  # [2, time, basis]


def _build_indoph(dk: model.Country, permanent: bool) -> np.ndarray:
    """Immigrants on 1 January by [basis, area, year], 98 kommuner (demo figures)."""
    years = np.array([float(y) for y in INDOPH_YEARS])
    totals = dk.group_totals(years)[:-1]  # [area, group, time]; Christiansø left out
    weights = _residence_weights(years, permanent)
    parts = [
        model.apportion(
            totals[:, group], np.broadcast_to(weights[k], (*totals.shape[::2], weights.shape[-1]))
        )
        for k, group in enumerate((1, 2))
    ]
    return (parts[0] + parts[1]).transpose(2, 0, 1).astype(np.int32)


@dataclass(frozen=True)
class DstTable:
    """One statbank table: texts, variables (leaf axes in this order) and its leaf builder."""

    id: str
    text: tuple[str, str]
    unit: tuple[str, str]
    updated: str  # as tableinfo gives it (local time)
    updated_utc: str  # as JSON-stat gives it
    variables: tuple[Variable, ...]
    build: Callable[[model.Country], np.ndarray]
    # Counts of 1-4 persons are published as null. Only the benefit table does this here:
    # population-register tables (FOLK1E, RAS201, LIGEUB1) are published in full.
    suppress: bool
    # tableinfo's `footnote` may be null, a string or an object {text, mandatory}, and
    # `documentation` may be null (dst_response_shape.md); the tables show each variant.
    footnote: None | str | dict = None
    documented: bool = True
    release: Release = field(default=CURRENT, compare=False)

    def leaves(self, seed: int) -> np.ndarray:
        key = ("dst", self.id, self.release.name, seed)
        return cached(key, lambda: self._build_leaves(seed))

    def _build_leaves(self, seed: int) -> np.ndarray:
        if self.release is CURRENT:
            return self.build(model.denmark(seed))
        # An earlier release: the current leaves up to its last period (time is the last
        # axis of every table here), with the cells it had at their preliminary values.
        periods = len(self.variables[-1].ids)
        leaves = TABLES[self.id].leaves(seed)[..., :periods].copy()
        revise(leaves, self.variables, self.release.revisions_of(self.id))
        return leaves

    def released(self, release: Release) -> DstTable:
        """This table as `release` publishes it (itself for the current release)."""
        if release is CURRENT:
            return self
        time = self.variables[-1]
        assert time.time, f"{self.id}: the time variable must be the last one"
        return replace(
            self,
            variables=(*self.variables[:-1], held_back_time(time, release.held_back)),
            updated=_years_earlier(self.updated, release.years_earlier),
            updated_utc=_years_earlier(self.updated_utc, release.years_earlier),
            release=release,
        )

    def title(self, lang: str, variables: list[Variable]) -> str:
        """The table text followed by its variables: "... efter område, herkomst og tid"."""
        return f"{self.text[lang == 'en']} {by_variables(lang, variables, 'efter')}"


TABLES = {
    t.id: t
    for t in (
        DstTable(
            "FOLK1E",
            ("Befolkningen den 1. i kvartalet", "Population at the first day of the quarter"),
            ("Antal", "Number"),
            "2025-08-11T08:00:00",
            "2025-08-11T06:00:00Z",
            FOLK1E_VARIABLES,
            _build_folk1e,
            suppress=False,
            footnote={
                "text": "Simulated footnote: figures are invented demo data.",
                "mandatory": True,
            },
        ),
        DstTable(
            "RAS201",
            ("Befolkningen (ultimo november)", "Population (end of November)"),
            ("Antal", "Number"),
            "2024-11-14T08:00:00",
            "2024-11-14T07:00:00Z",
            RAS201_VARIABLES,
            _build_ras201,
            suppress=False,
            documented=False,
        ),
        DstTable(
            "LIGEUB1",
            (
                "Befolkningens højeste fuldførte uddannelse (15-69 år)",
                "Educational attainment (15-69 years)",
            ),
            ("Antal", "Number"),
            "2025-04-24T08:00:00",
            "2025-04-24T06:00:00Z",
            LIGEUB1_VARIABLES,
            _build_ligeub1,
            suppress=False,
            footnote="Simulated footnote: educational attainment at 30 September.",
        ),
        DstTable(
            "KY038",
            ("Kontanthjælp (helårsmodtagere)", "Social assistance (full-year recipients)"),
            ("Antal", "Number"),
            "2025-03-27T08:00:00",
            "2025-03-27T07:00:00Z",
            KY038_VARIABLES,
            _build_ky038,
            suppress=True,
        ),
        DstTable(
            "STRAFNA6",
            ("Skyldige personer", "Persons found guilty"),
            ("Antal", "Number"),
            "2025-03-21T08:00:00",
            "2025-03-21T07:00:00Z",
            STRAFNA6_VARIABLES,
            _build_strafna6,
            suppress=False,
        ),
        DstTable(
            "INDOPH1",
            ("Indvandrere 1. januar", "Immigrants 1 January"),
            ("Antal", "Number"),
            "2025-05-13T08:00:00",
            "2025-05-13T06:00:00Z",
            INDOPH1_VARIABLES,
            lambda dk: _build_indoph(dk, permanent=False),
            suppress=False,
            footnote="Simulated footnote: part of the residence bases are imputed.",
        ),
        DstTable(
            "INDOPH3",
            ("Indvandrere 1. januar", "Immigrants 1 January"),
            ("Antal", "Number"),
            "2025-05-13T08:00:00",
            "2025-05-13T06:00:00Z",
            INDOPH3_VARIABLES,
            lambda dk: _build_indoph(dk, permanent=True),
            suppress=False,
        ),
    )
}


# --- value selectors ----------------------------------------------------------------------
# Statistics Denmark's own API guide (section DATA), as summarised in
# shared/reference/tables/dst_response_shape.md: `*` is every value and may stand anywhere in a
# code (`*K1`, `2023*`); `(1)` is the newest value only, `(2)` the second newest only,
# `(-n+K)` the newest K and `-(-n+K)` the oldest K; a range is ONE string `>=A<=B` (either
# bound may be left out, and the `=` is optional); separate selectors are a union.

_NTH = re.compile(r"\((\d+)\)")
_NEWEST = re.compile(r"\(-n[+ ](\d+)\)", re.IGNORECASE)  # "+" arrives as " " in a raw URL
_OLDEST = re.compile(r"-\(-n[+ ](\d+)\)", re.IGNORECASE)
_RANGE = re.compile(r"(?:>=?([^<>]+))?(?:<=?([^<>]+))?")


def select_values(var: Variable, selectors: list[str]) -> list[str]:
    """Resolve statbank value selectors to value ids, in metadata order (sorted, no repeats)."""
    ids = var.ids
    by_lower = {i.lower(): i for i in ids}
    chosen: set[str] = set()
    for raw in selectors:
        s = str(raw).strip()
        nth, newest, oldest = _NTH.fullmatch(s), _NEWEST.fullmatch(s), _OLDEST.fullmatch(s)
        bounds = _RANGE.fullmatch(s) if s[:1] in "<>" else None
        if s == "*":
            chosen.update(ids)
        elif nth and 1 <= int(nth.group(1)) <= len(ids):
            chosen.add(ids[-int(nth.group(1))])
        elif newest and int(newest.group(1)) > 0:
            chosen.update(ids[-int(newest.group(1)) :])
        elif oldest and int(oldest.group(1)) > 0:
            chosen.update(ids[: int(oldest.group(1))])
        elif bounds and (bounds.group(1) or bounds.group(2)):
            low, high = (b.strip().lower() if b else None for b in bounds.groups())
            chosen.update(
                i
                for i in ids
                if (low is None or i.lower() >= low) and (high is None or i.lower() <= high)
            )
        elif "*" in s:
            pattern = re.compile(".*".join(re.escape(p) for p in s.lower().split("*")))
            chosen.update(i for i in ids if pattern.fullmatch(i.lower()))
        elif s.lower() in by_lower:
            chosen.add(by_lower[s.lower()])
        else:
            raise DstError("EXTRACT-NOTFOUND", f"Can't find value: {s} ({var.code})")
    if not chosen:
        shown = ",".join(str(s) for s in selectors)
        raise DstError("EXTRACT-NOTFOUND", f"Can't find value: {shown} ({var.code})")
    return [i for i in ids if i in chosen]


def request_cells(rows: int, variables_given: int) -> int:
    """Cells of a request as Statistics Denmark counts them against its limit.

    Its guide ("Begrænsninger på udtræk"): the largest possible number of rows times the
    fields of a row, which are every variable given, the time variable (always returned, so
    always counted) and the value. Eliminated variables do not count. `variables_given`
    excludes time. Example: 200,000 rows of OMRÅDE, ALDER, HERKOMST and Tid are 1,000,000.
    """
    return rows * (variables_given + 2)


# --- the API ------------------------------------------------------------------------------


def _years_earlier(stamp: str, years: int) -> str:
    """An ISO time stamp `years` earlier (the tables' update times in an earlier release)."""
    return f"{int(stamp[:4]) - years:04d}{stamp[4:]}" if years else stamp


class DstApi:
    """Answers /v1/tableinfo and /v1/data requests for one seed, cell limit and release."""

    def __init__(self, seed: int, cell_limit: int, release: Release = CURRENT) -> None:
        self.seed = seed
        self.cell_limit = cell_limit
        self.tables = {key: table.released(release) for key, table in TABLES.items()}

    def identify(self, request: Request) -> tuple[str | None, str | None]:
        """(endpoint, table id) of a request: endpoint "metadata", "data" or None."""
        parts = [p for p in request.path.split("/") if p][1:]  # after "v1"
        endpoint = {"tableinfo": "metadata", "data": "data"}.get(parts[0].lower() if parts else "")
        table = parts[1] if len(parts) > 1 else None
        if table is None and request.method == "POST":
            try:
                body = request.json()
                table = body.get("table") if isinstance(body, dict) else None
            except ValueError:
                table = None
        if table is None:
            table = request.param("table") or request.param("id")
        return endpoint, str(table).upper() if table else None

    def handle(self, request: Request) -> Answer:
        """Answer one request to /v1/..., errors included."""
        if request.method not in ("GET", "POST"):
            return text_answer(405, f"{request.method} is not allowed")
        endpoint, _ = self.identify(request)
        try:
            if endpoint == "metadata":
                return self._tableinfo(request)
            if endpoint == "data":
                return self._data(request)
            raise DstError("REQUEST-MISSING", f"Unknown function: {request.path}")
        except DstError as error:
            body = {"errorTypeCode": error.code, "message": error.message}
            answer = json_answer(400, body, CONTENT_TYPE)
            answer.cells = error.cells
            return answer

    def _params(self, request: Request) -> dict:
        """The request's parameters from a JSON body (POST) or the URL (GET)."""
        if request.method == "POST":
            try:
                body = request.json()
            except ValueError as error:
                raise DstError(
                    "REQUEST-MISSING", f"The request body is not JSON: {error}"
                ) from None
            if not isinstance(body, dict):
                raise DstError("REQUEST-MISSING", "The request body must be a JSON object.")
            return body
        parts = [p for p in request.path.split("/") if p][2:]  # after "v1/<function>"
        params: dict = {k: v[0] for k, v in request.query.items() if k.lower() in OPTIONS}
        params = {k.lower(): v for k, v in params.items()}
        if parts:
            params["table"] = parts[0]
        if len(parts) > 1:
            params["format"] = parts[1]
        params.setdefault("table", request.param("id"))
        params["variables"] = [
            {"code": k, "values": ",".join(v).split(",")}
            for k, v in request.query.items()
            if k.lower() not in OPTIONS | {"id"}
        ]
        return params

    def _table(self, params: dict) -> DstTable:
        table_id = params.get("table")
        if not table_id:
            raise DstError("REQUEST-MISSING", "Der er ikke angivet nogen tabel-id.")
        table = self.tables.get(str(table_id).upper())
        if table is None:
            raise DstError("EXTRACT-NOTFOUND", f"Tabel findes ikke: {table_id}")
        return table

    def _tableinfo(self, request: Request) -> Answer:
        params = self._params(request)
        table = self._table(params)
        if str(params.get("format") or "JSON").upper() != "JSON":
            raise DstError("REQUEST-MISSING", "Format not found or not valid.")
        lang = _lang(params)
        doc_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"simulator/dst/{table.id}"))
        document = {
            "id": table.id,
            "text": table.text[lang == "en"],
            "description": table.title(lang, list(table.variables)),
            "unit": table.unit[lang == "en"],
            "suppressedDataValue": "0",
            "updated": table.updated,
            "active": True,
            "contacts": [{"name": "Simulated contact", "phone": "39173917", "mail": "info@dst.dk"}],
            "documentation": {
                "id": doc_id,
                "url": f"https://www.dst.dk/documentationofstatistics/{doc_id}",
            }
            if table.documented
            else None,
            "footnote": table.footnote,
            "variables": [_describe(v, lang) for v in table.variables],
        }
        return json_answer(200, document, CONTENT_TYPE)

    def _data(self, request: Request) -> Answer:
        params = self._params(request)
        table = self._table(params)
        fmt = str(params.get("format") or "").upper()
        if fmt not in DATA_FORMATS:
            raise DstError("REQUEST-MISSING", "Format not found or not valid.")
        if fmt != "JSONSTAT":
            raise DstError("REQUEST-MISSING", f"The simulator serves JSONSTAT only, not {fmt}.")
        lang = _lang(params)
        selection = self._selection(table, params.get("variables") or [])
        rows = int(np.prod([len(ids) for ids in selection.values() if ids is not None]))
        given = sum(1 for v in table.variables if not v.time and selection[v.code] is not None)
        cells = request_cells(rows, given)
        if cells > self.cell_limit:
            # The wording of the real refusal is not published; the figures are (a FOLK1A
            # request was refused quoting "14,201,775 rows x 6 = 85,210,650 cells").
            raise DstError(
                "REQUEST-LIMIT",
                f"The request is too large: {rows:,} rows x {given + 2} fields = {cells:,} "
                f"cells; at most {self.cell_limit:,} cells can be extracted at a time.",
                cells,
            )
        matrices = [
            v.eliminated() if selection[v.code] is None else v.matrix(selection[v.code] or [])
            for v in table.variables
        ]
        values = aggregate(table.leaves(self.seed), matrices).ravel()
        shown = [v for v in table.variables if selection[v.code] is not None]
        document = {"dataset": _jsonstat(table, shown, selection, values, lang)}
        answer = json_answer(200, document, CONTENT_TYPE)
        answer.cells = cells
        return answer

    def _selection(self, table: DstTable, requested: list) -> dict[str, list[str] | None]:
        """Selected value ids per variable code; None for an eliminated variable."""
        chosen: dict[str, list[str] | None] = {}
        for item in requested:
            if not isinstance(item, dict) or "code" not in item:
                raise DstError("REQUEST-MISSING", "Each variable needs a code and values.")
            var = find_variable(table.variables, str(item["code"]))
            if var is None:
                raise DstError("EXTRACT-NOTFOUND", f"Can't find variable: {item['code']}")
            values = item.get("values") or []
            if isinstance(values, str):
                values = values.split(",")
            if values:
                earlier = chosen.get(var.code) or []
                picked = set(earlier) | set(select_values(var, [str(x) for x in values]))
                chosen[var.code] = [i for i in var.ids if i in picked]
        for var in table.variables:
            if var.code in chosen:
                continue
            if var.time:
                chosen[var.code] = [var.ids[-1]]  # no time values: the newest period
            elif not var.elimination:
                # Statistics Denmark's guide: variables that cannot be eliminated must be
                # given (the exact wording of the refusal is not published).
                raise DstError(
                    "REQUEST-MISSING",
                    f"The variable {var.code} cannot be eliminated; select values for it.",
                )
            else:
                chosen[var.code] = None
        return chosen


def _lang(params: dict) -> str:
    return "en" if str(params.get("lang") or "da").lower() == "en" else "da"


def _describe(var: Variable, lang: str) -> dict:
    out: dict = {
        "id": var.code,
        "text": var.label(lang),
        "elimination": var.elimination,
        "time": var.time,
    }
    if var.map:
        out["map"] = var.map
    out["values"] = [{"id": v.id, "text": v.label(lang)} for v in var.values]
    return out


def _jsonstat(
    table: DstTable,
    shown: list[Variable],
    selection: dict[str, list[str] | None],
    values: np.ndarray,
    lang: str,
) -> dict:
    """The JSON-stat 1.0 dataset: dimensions (with id/size/role inside), label, value."""
    dimension: dict = {}
    ids: list[str] = []
    sizes: list[int] = []
    for var in shown:
        if var.time:
            dimension["ContentsCode"] = {
                "label": "Indhold" if lang == "da" else "Contents",
                "category": {
                    "index": {table.id: 0},
                    "label": {table.id: table.text[lang == "en"]},
                    "unit": {table.id: {"base": table.unit[lang == "en"], "decimals": 0}},
                },
            }
            ids.append("ContentsCode")
            sizes.append(1)
        chosen = selection[var.code] or []
        dimension[var.code] = {
            "label": var.label(lang),
            "category": {
                "index": {value_id: i for i, value_id in enumerate(chosen)},
                "label": {value_id: var.by_id[value_id].label(lang) for value_id in chosen},
            },
        }
        ids.append(var.code)
        sizes.append(len(chosen))
    role: dict = {}
    geo = [v.code for v in shown if v.map]
    if geo:
        role["geo"] = geo
    role["metric"] = ["ContentsCode"]
    role["time"] = [v.code for v in shown if v.time]
    dimension.update({"id": ids, "size": sizes, "role": role})
    counts = np.rint(values).astype(np.int64)
    cells: list = counts.tolist()
    if table.suppress:
        for i in np.flatnonzero((counts >= 1) & (counts <= 4)).tolist():
            cells[i] = None
    return {
        "dimension": dimension,
        "label": table.title(lang, shown),
        "source": SOURCE[lang],
        "updated": table.updated_utc,
        "value": cells,
    }

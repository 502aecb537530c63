"""IMDi's CSV downloads (https://app-simapi-prod.azurewebsites.net/download_csv/{k|f}/{dataset}),
simulated under /imdi on the simulator's port.

The format follows the only raw files in public view (two downloads a county saved unchanged,
evensrii/Telemark commit 83541874, "Bosetting av flyktninger/2023/*.csv") and the county's
scripts that read the three datasets served here every day (evensrii/Telemark @2f2c211,
Python/Queries/09_Innvandrere_og_inkludering/): ";"-separated ISO-8859-1 text without quotes,
"\\n" line ends and a final newline; long rows whose `Enhet` says what `Antall` holds; `:` where
IMDi hides a small figure, `.` where none exists, empty values for "Uoppgitt kommune" (9999);
municipality codes of four digits, earlier years under the codes of the time, names often
blank for codes no longer in use. Decimals are written with a point. Their number is not
known for the files served here; the saved file of another dataset (bosatt_anmodede) has at
most one decimal up to 2016, two in 2017-2019 and up to eight from 2021, so here: one decimal
up to 2019, unrounded (eight) from 2020.
Characters ISO-8859-1 cannot hold (a few Sámi names) are written as "?".

Not in the evidence, and invented here (a wrong guess shows up in `barometer doctor`): the
column order (the adapter reads by name), the first years (2015 for the municipal files, 2010
for the county outcome), the `Kjønn` labels other than "Alle", the outcome categories other
than "I arbeid eller utdanning", which cells are hidden (shares of fewer than 10 people;
counts of 1-4 participants), the answer to an unknown dataset (404) and the Content-Type. All
figures are invented from the Norwegian demo population.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from loaders import norway
from loaders.municipalities import list_municipalities
from simulator import model, no_regions
from simulator.messages import Answer, Request, text_answer

PREFIX = "/imdi"
CONTENT_TYPE = "text/csv"  # UNCONFIRMED
ENCODING = "iso-8859-1"
UNKNOWN = "9999"

BOTID = ("0-4 år", "5-9 år", "10+ år")
REGIONS = (
    "EU/EFTA-land, Nord-Amerika, Australia og New Zealand",
    "Øst-Europa utenom EU, Asia (inkl.Tyrkia), Afrika, Sør- og Mellom-Amerika og Oseania "
    "utenom Australia og New Zealand",
)
EMPLOYMENT_YEARS = list(range(2015, 2026))
PARTICIPANT_YEARS = list(range(2015, 2026))
OUTCOME_YEARS = list(range(2010, 2025))
# Introduction programme participants in the whole country (invented demo figures whose ups and
# downs follow the arrivals of 2015-2016 and 2022-2023).
PARTICIPANTS = {
    2015: 16_500, 2016: 20_800, 2017: 26_000, 2018: 24_300, 2019: 19_100, 2020: 14_200,
    2021: 11_000, 2022: 16_400, 2023: 31_800, 2024: 37_900, 2025: 29_500,
}  # fmt: skip
FINISHED = (
    "Avsluttet eller avbrutt intro for ett år siden",
    "Avsluttet eller avbrutt intro for to år siden",
    "Avsluttet eller avbrutt intro for tre år siden",
)
# Only the first is confirmed (the county's script); the other two are invented wordings.
OUTCOMES = ("I arbeid eller utdanning", "Arbeidsledig eller på tiltak", "Annet")
SEXES = ("Alle", "Menn", "Kvinner")


@dataclass
class CsvDocument:
    """A download before it is written out: faults change it, then it is encoded."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def encode(self) -> bytes:
        lines = [";".join(self.header)] + [";".join(row) for row in self.rows]
        return ("\n".join(lines) + "\n").encode(ENCODING, errors="replace")


def csv_answer(document: CsvDocument) -> Answer:
    answer = Answer(200, CONTENT_TYPE, document.encode(), {}, document)
    answer.cells = len(document.rows)
    return answer


def _noise(*key: str) -> float:
    return (zlib.crc32("/".join(key).encode()) % 100_000) / 100_000


def _share(value: float, year: int) -> str:
    """A percentage as IMDi writes it: one decimal up to 2019, unrounded from 2020."""
    text = f"{round(value, 1):.1f}" if year <= 2019 else f"{value:.8f}"
    text = text.rstrip("0").rstrip(".")
    return text or "0"


def _name(code: str, year: int) -> str:
    """The name column: today's name, a validity for the 2020-2023 codes, blank before."""
    current = {m.code: m.name for m in list_municipalities("NO")}
    if code in current:
        return current[code]
    first, last = norway.code_span(code)
    if last is not None and last < 2020:
        return ""
    return f"{norway.code_name(code)} (f.o.m. {first or 2020}, t.o.m. {last})"


# --- sysselsatte_botid_land --------------------------------------------------------------------


@cache
def _employment(seed: int) -> dict[str, np.ndarray]:
    """Immigrants 15-74 and the employed by [Region code, world region, botid, year].

    From the demo population at the fourth quarter, each country group's national employment
    rate calibrated to the one 11607 is calibrated to (simulator/ssb_tables.py), so that the
    two sources tell the same story; split by years in Norway with invented shares."""
    from simulator.ssb_tables import national_target

    no = model.norway(seed)
    times = np.array(EMPLOYMENT_YEARS, dtype=np.float64) + 0.75
    people = no.population(times)[:, 1:3, :, :, 15:75].astype(np.float64)
    p = np.clip(no.employment_probability(times)[:, 1:3, :, :, 15:75], 1e-9, 1 - 1e-9)
    logit = np.log(p / (1 - p))
    employed = np.zeros_like(people)
    for g, land in enumerate(("ddd", "eee")):
        for t, year in enumerate(EMPLOYMENT_YEARS):
            n, x = people[:, g, t], logit[:, g, t]
            target, shift = national_target(land, year) / 100.0, 0.0
            for _ in range(30):  # Newton's method on one logit shift for the whole country
                q = 1 / (1 + np.exp(-(x + shift)))
                gap = (n * q).sum() / n.sum() - target
                if abs(gap) < 1e-7:
                    break
                shift -= gap / ((n * q * (1 - q)).sum() / n.sum())
            employed[:, g, t] = n / (1 + np.exp(-(x + shift)))
    pop = people.sum(axis=(3, 4))  # [area, region, year]
    work = employed.sum(axis=(3, 4))
    years = np.array(EMPLOYMENT_YEARS, dtype=np.float64)
    arrivals = 0.08 / (1 + np.exp(-(years - 2016.3) / 0.5)) * np.exp(-0.25 * (years - 2017))
    recent = np.clip(0.22 + np.where(years >= 2017, arrivals, 0.0), 0.15, 0.4)
    recent = recent + 0.10 / (1 + np.exp(-(years - 2022.8) / 0.4))
    local = np.array([0.8 + 0.4 * _noise("botid", c) for c in no.codes])
    new = np.clip(recent[None, None, :] * local[:, None, None], 0.05, 0.6)
    mid = np.full_like(new, 0.22)
    shares = np.stack([new, mid, 1.0 - new - mid], axis=-1)  # [area, region, year, botid]
    bands = model.apportion(np.rint(pop), shares).astype(np.float64)
    odds = np.array([-0.8, 0.25, 0.33])
    base = np.clip(work / np.maximum(pop, 1.0), 1e-6, 1 - 1e-6)[..., None]
    x = np.log(base / (1 - base))
    shift = np.zeros_like(base)
    for _ in range(25):  # one shift per cell so that the bands add up to the employed
        q = 1 / (1 + np.exp(-(x + odds + shift)))
        gap = (bands * q).sum(axis=-1, keepdims=True) - work[..., None]
        slope = (bands * q * (1 - q)).sum(axis=-1, keepdims=True)
        shift = shift - gap / np.maximum(slope, 1e-9)
    busy = np.minimum(np.rint(bands * q), bands)
    # [area, region, botid, year] -> the Region codes of each year
    people_by_code = no_regions.to_codes(bands.transpose(0, 1, 3, 2).astype(np.int64), years_int())
    work_by_code = no_regions.to_codes(busy.transpose(0, 1, 3, 2).astype(np.int64), years_int())
    return {"people": people_by_code, "employed": np.minimum(work_by_code, people_by_code)}


def years_int() -> list[int]:
    return list(EMPLOYMENT_YEARS)


def _sysselsatte_botid_land(seed: int) -> CsvDocument:
    data = _employment(seed)
    doc = CsvDocument(
        ["Enhet", "År", "Kommunenummer", "Kommune", "Botid i Norge", "Verdensregion", "Antall"]
    )
    regions = ("Alle", *REGIONS)
    bands = ("Alle", *BOTID)
    for t, year in enumerate(EMPLOYMENT_YEARS):
        codes = sorted(norway.valid_codes(year))
        rows = [no_regions.LEAF[c] for c in codes]
        cube = {}
        for key in ("people", "employed"):
            x = data[key][rows, :, :, t]  # [code, region, botid]
            x = np.concatenate([x.sum(axis=1, keepdims=True), x], axis=1)  # all regions first
            cube[key] = np.concatenate([x.sum(axis=2, keepdims=True), x], axis=2)  # all bands
        for i, code in enumerate([*codes, UNKNOWN]):
            name = "Uoppgitt kommune" if code == UNKNOWN else _name(code, year)
            for r, region in enumerate(regions):
                for b, botid in enumerate(bands):
                    cell = [str(year), code, name, botid, region]
                    if code == UNKNOWN:
                        doc.rows += [["Personer", *cell, ""], ["Prosent", *cell, ""]]
                        continue
                    people = int(cube["people"][i, r, b])
                    work = int(cube["employed"][i, r, b])
                    if people == 0:
                        share = "."
                    elif people < 10:
                        share = ":"
                    else:
                        share = _share(100.0 * work / people, year)
                    doc.rows.append(["Personer", *cell, str(work)])
                    doc.rows.append(["Prosent", *cell, share])
    return doc


# --- intro_deltakere ---------------------------------------------------------------------------


@cache
def _participants(seed: int) -> np.ndarray:
    """Participants by [Region code, sex (men, women), year]."""
    no = model.norway(seed)
    years = np.array(PARTICIPANT_YEARS, dtype=np.float64)
    group2 = no.group_totals(years)[:, 2, :].astype(np.float64)  # [area, year]
    local = np.array([0.5 + _noise("intro", c) for c in no.codes])[:, None]
    weights = group2 * local
    totals = np.array([PARTICIPANTS[y] for y in PARTICIPANT_YEARS], dtype=np.float64)
    expected = weights / weights.sum(axis=0, keepdims=True) * totals[None, :]
    counts = np.rint(expected).astype(np.int64)
    sexes = model.apportion(counts, np.broadcast_to([0.47, 0.53], (*counts.shape, 2)))
    return no_regions.to_codes(sexes.transpose(0, 2, 1), PARTICIPANT_YEARS)  # [code, sex, year]


def _small(count: int) -> str:
    return ":" if 1 <= count <= 4 else str(count)


def _intro_deltakere(seed: int) -> CsvDocument:
    data = _participants(seed)
    doc = CsvDocument(["Enhet", "År", "Kommunenummer", "Kommune", "Kjønn", "Antall"])
    for t, year in enumerate(PARTICIPANT_YEARS):
        for code in [*sorted(norway.valid_codes(year)), UNKNOWN]:
            name = "Uoppgitt kommune" if code == UNKNOWN else _name(code, year)
            men, women = (0, 0) if code == UNKNOWN else data[no_regions.LEAF[code], :, t]
            for sex, count in zip(SEXES, (men + women, men, women), strict=True):
                doc.rows.append(["Personer", str(year), code, name, sex, _small(int(count))])
    return doc


# --- intro_status_arbutd_avslutta (counties) --------------------------------------------------

COUNTY_LABELS = {
    "00": "Norge",
    "01": "Østfold (t.o.m. 2019)",
    "02": "Akershus (t.o.m. 2019)",
    "03": "Oslo",
    "04": "Hedmark (t.o.m. 2019)",
    "05": "Oppland (t.o.m. 2019)",
    "06": "Buskerud (t.o.m. 2019)",
    "07": "Vestfold (t.o.m. 2019)",
    "08": "Telemark (t.o.m. 2019)",
    "09": "Aust-Agder (t.o.m. 2019)",
    "10": "Vest-Agder (t.o.m. 2019)",
    "11": "Rogaland",
    "12": "Hordaland (t.o.m. 2019)",
    "14": "Sogn og Fjordane (t.o.m. 2019)",
    "15": "Møre og Romsdal",
    "16": "Sør-Trøndelag (t.o.m. 2017)",
    "17": "Nord-Trøndelag (t.o.m. 2017)",
    "18": "Nordland",
    "19": "Troms (t.o.m. 2019)",
    "20": "Finnmark (t.o.m. 2019)",
    "30": "Viken (f.o.m. 2020, t.o.m. 2023)",
    "31": "Østfold (t.o.m. 2019, f.o.m. 2024)",
    "32": "Akershus (t.o.m. 2019, f.o.m. 2024)",
    "33": "Buskerud (t.o.m. 2019, f.o.m. 2024)",
    "34": "Innlandet (f.o.m. 2020)",
    "38": "Vestfold og Telemark (f.o.m. 2020, t.o.m. 2023)",
    "39": "Vestfold (t.o.m. 2019, f.o.m. 2024)",
    "40": "Telemark (t.o.m. 2019, f.o.m. 2024)",
    "42": "Agder (f.o.m. 2020)",
    "46": "Vestland (f.o.m. 2020)",
    "50": "Trøndelag (f.o.m. 2018)",
    "54": "Troms og Finnmark (f.o.m. 2020, t.o.m. 2023)",
    "55": "Troms (t.o.m. 2019, f.o.m. 2024)",
    "56": "Finnmark (t.o.m. 2019, f.o.m. 2024)",
    "99": "Ukjent fylke",
}


def _intro_status(seed: int) -> CsvDocument:
    """Share in work or education after the programme, whole per cent, by the county people
    lived in while in the programme (SSB's table 10824 counts them so): the figures of year Y
    are for those who finished in Y-1, under the counties of Y-1. Counties that did not exist
    then are listed with 0, as the county's script found ("fylker som ikke eksisterer")."""
    doc = CsvDocument(
        [
            "Enhet",
            "År",
            "Fylkesnummer",
            "Fylke",
            "Kjønn",
            "Avslutningsår for introduksjonsprogrammet",
            "Arbeidssituasjon etter avsluttet/avbrutt introduksjonsprogram",
            "Antall",
        ]
    )
    for year in OUTCOME_YEARS:
        existing = norway.county_codes(year - 1) | {"00", "99"}
        for county, label in COUNTY_LABELS.items():
            base = 63.0 + 0.4 * (year - 2017) + 8.0 * (_noise("outcome", county) - 0.5)
            if county == "99":
                base = 50.0
            for sex, shift in zip(SEXES, (0.0, 5.0, -5.0), strict=True):
                for after, more in zip(FINISHED, (0.0, 3.0, 5.0), strict=True):
                    work = min(95, max(20, round(base + shift + more)))
                    idle = round((100 - work) * 0.45)
                    shares = (work, idle, 100 - work - idle)
                    for outcome, share in zip(OUTCOMES, shares, strict=True):
                        value = str(share) if county in existing else "0"
                        doc.rows.append(
                            ["Prosent", str(year), county, label, sex, after, outcome, value]
                        )
    return doc


# --- the API ------------------------------------------------------------------------------------

DATASETS: dict[tuple[str, str], Callable[[int], CsvDocument]] = {
    ("k", "sysselsatte_botid_land"): _sysselsatte_botid_land,
    ("k", "intro_deltakere"): _intro_deltakere,
    ("f", "intro_status_arbutd_avslutta"): _intro_status,
}


class ImdiApi:
    """Answers GET /imdi/download_csv/{k|f}/{dataset} for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._documents: dict[tuple[str, str], CsvDocument] = {}
        self._locks = {key: threading.Lock() for key in DATASETS}

    def warm(self) -> None:
        """Build every file now (the simulator does this in the background when it starts)."""
        for key in DATASETS:
            self._document(key)

    def _document(self, key: tuple[str, str]) -> CsvDocument:
        with self._locks[key]:  # a second request for a file being built waits for it
            if key not in self._documents:
                self._documents[key] = DATASETS[key](self.seed)
            return self._documents[key]

    def identify(self, request: Request) -> tuple[str | None, str | None]:
        """("download", dataset): one request is both IMDi's metadata and its data."""
        parts = [p for p in request.path[len(PREFIX) :].split("/") if p]
        if len(parts) == 3 and parts[0] == "download_csv":
            return "download", parts[2]
        return None, None

    def handle(self, request: Request) -> Answer:
        parts = [p for p in request.path[len(PREFIX) :].split("/") if p]
        if request.method != "GET":
            return text_answer(405, f"{request.method} is not allowed")
        if len(parts) != 3 or parts[0] != "download_csv":
            return text_answer(404, f"Not found: {request.path}")
        key = (parts[1], parts[2])
        if key not in DATASETS:
            return text_answer(404, f"Dataset not found: {parts[1]}/{parts[2]}")
        document = self._document(key)
        # Faults change the document: hand out a copy.
        return csv_answer(CsvDocument(list(document.header), [list(r) for r in document.rows]))

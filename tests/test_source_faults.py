"""Every provider's faults, through a refresh of one table: each stops the refresh with the
table and the reason named, and the database stays byte-identical.

The sources issue 13 added (FHI's table 583, IMDi's three files, Statistics Denmark's STRAFNA6,
INDOPH1 and INDOPH3) beside one table of each older provider (KY038, 11607). A relabelled code
fails `barometer doctor` and the refresh alike, naming the code and the closest labels.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from errors import BarometerError
from loaders.doctor import render, run_doctor
from loaders.refresh import refresh
from simulator.server import Simulator
from tests.conftest import digest, fast_settings, source

TABLES = [
    "583",
    "sysselsatte_botid_land",
    "intro_deltakere",
    "intro_status_arbutd_avslutta",
    "STRAFNA6",
    "INDOPH1",
    "INDOPH3",
    "KY038",
    "11607",
]
# (kind, options, what the error says); IMDi's answer is a CSV file, not JSON-stat.
FAULTS = [
    ("http500", {}, "HTTP 500"),
    ("http503", {}, "HTTP 503"),
    ("http429", {"retry_after": 0}, "HTTP 429"),
    ("timeout", {"seconds": 2}, "no answer within 1 s"),
    ("truncated", {}, "cut short"),
    ("invalid_json", {}, "not valid JSON-stat"),
    ("schema_drift", {}, "not in the table's metadata"),
]
NOT_CSV = "not a CSV file"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, demo_data_dir: Path) -> Path:
    """A copy of the demo data folder; no failed refresh may change it."""
    folder = tmp_path_factory.mktemp("faults")
    shutil.copytree(demo_data_dir, folder, dirs_exist_ok=True)
    return folder


def refresh_one(key: str, simulator: Simulator, folder: Path, **settings: object) -> str:
    """Refresh only table `key` into `folder`; the error it stops with."""
    spec = source(key)
    with pytest.raises(BarometerError) as caught:
        refresh(
            replace(fast_settings(folder, simulator), **settings),
            progress=lambda _: None,
            specs=[spec],
        )
    return str(caught.value)


@pytest.mark.parametrize("key", TABLES)
@pytest.mark.parametrize(("kind", "options", "message"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_stops_the_refresh_naming_table_and_reason(
    simulator: Simulator, live: Path, key: str, kind: str, options: dict, message: str
) -> None:
    spec = source(key)
    before = digest(live / "barometer.duckdb")
    simulator.inject(kind, provider=spec.provider, table=spec.table, times=None, **options)
    # Patient with a slow answer (IMDi's largest file on a busy machine), except where the
    # fault is a held answer.
    patience = 1.0 if kind == "timeout" else 60.0
    try:
        text = refresh_one(key, simulator, live, retries=0, read_timeout=patience)
    finally:
        simulator.clear_faults()
    if spec.provider == "imdi" and kind == "invalid_json":
        message = NOT_CSV
    assert message in text and spec.table in text and spec.provider.upper() in text
    assert digest(live / "barometer.duckdb") == before


# (table key, variable, code as the provider writes it, new label, what the message must name)
RELABELS = [
    (
        "583",
        "INNVKAT",
        "20",
        "hele befolkningen",
        "FHI 583 INNVKAT 20: label in nb is 'hele befolkningen', expected /øvrig befolkning/; "
        "closest labels: 0 (total), 2 (innvandrere)",
    ),
    (
        "sysselsatte_botid_land",
        "Verdensregion",
        "Øst-Europa utenom EU, Asia (inkl.Tyrkia), Afrika, Sør- og Mellom-Amerika og Oseania "
        "utenom Australia og New Zealand",
        "Asia, Afrika og Latin-Amerika",
        "IMDI sysselsatte_botid_land Verdensregion 2: no value matches /Øst-Europa utenom EU, "
        "Asia \\(inkl\\.Tyrkia\\), Afrika, Sør- og Mellom-Amerika og Oseania utenom Australia "
        "og New Zealand/ (did IMDi reword it?); closest: 'EU/EFTA-land, Nord-Amerika, "
        "Australia og New Zealand', 'Asia, Afrika og Latin-Amerika'",
    ),
    (
        "intro_deltakere",
        "Kjønn",
        "Alle",
        "Begge kjønn",
        "IMDI intro_deltakere Kjønn alle: no value matches /Alle/ (did IMDi reword it?); "
        "closest: 'Menn', 'Kvinner', 'Begge kjønn'",
    ),
    (
        "intro_status_arbutd_avslutta",
        "Arbeidssituasjon etter avsluttet/avbrutt introduksjonsprogram",
        "I arbeid eller utdanning",
        "I arbeid",
        "IMDI intro_status_arbutd_avslutta Arbeidssituasjon etter avsluttet/avbrutt "
        "introduksjonsprogram arbutd: no value matches /I arbeid eller utdanning/ (did IMDi "
        "reword it?); closest: 'Arbeidsledig eller på tiltak', 'I arbeid', 'Annet'",
    ),
    (
        "STRAFNA6",
        "HERKOMST1",
        "6",
        "Personer med vestlig oprindelse",
        "DST STRAFNA6 HERKOMST1 6: label in da is 'Personer med vestlig oprindelse', expected "
        "/Personer med udenlandsk oprindelse/; closest labels: 1 (Personer med dansk "
        "oprindelse)",
    ),
    (
        "INDOPH1",
        "OPHGR1",
        "13",
        "Arbejde",
        "DST INDOPH1 OPHGR1 13: label in da is 'Arbejde', expected /Asyl mv\\./; closest labels: "
        "701 (Au pair), 501 (Arbejde til EU-borger), 502 (Arbejde til ikke-EU-borger)",
    ),
    (
        "INDOPH3",
        "OPHGR2",
        "9998",
        "Midlertidig opholdstilladelse",
        "DST INDOPH3 OPHGR2 9998: label in da is 'Midlertidig opholdstilladelse', expected "
        "/Permanent opholdstilladelse/; closest labels: 16 (Familiesammenføring til udenlandsk "
        "statsborger), 52 (Ukraine (særlov)), 502 (Arbejde til ikke-EU-borger)",
    ),
    (  # the comparison group of Norway's employment gap, whose meaning issue 7 pinned
        "11607",
        "Landbakgrunn",
        "abc",
        "Innvandrere i alt",
        "SSB 11607 Landbakgrunn abc: label in nb is 'Innvandrere i alt', expected "
        "/Befolkningen eksklusive innvandrere/",
    ),
]


@pytest.mark.parametrize(
    ("key", "variable", "code", "label", "named"), RELABELS, ids=[r[0] for r in RELABELS]
)
def test_a_relabelled_code_fails_doctor_and_refresh_naming_it(
    simulator: Simulator, live: Path, key: str, variable: str, code: str, label: str, named: str
) -> None:
    spec = source(key)
    before = digest(live / "barometer.duckdb")
    simulator.inject(
        "relabel",
        provider=spec.provider,
        table=spec.table,
        dimension=variable,
        code=code,
        label=label,
        times=None,
    )
    simulator.clear_requests()
    try:
        report = run_doctor(fast_settings(Path("unused"), simulator), specs=[spec])
        text = refresh_one(key, simulator, live)
    finally:
        simulator.clear_faults()
    assert not report.ok and named in render(report)
    assert named in text and "nothing was written" in text
    assert digest(live / "barometer.duckdb") == before
    # No data was asked for (a request an earlier test held may finish now: not this one's).
    assert [r for r in simulator.requests if r.endpoint == "data" and r.fault is None] == []

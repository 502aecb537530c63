"""IMDi's CSV downloads: the adapter's reading rules, the simulator, faults and the off switch.

The format rules come from the public evidence named in loaders/imdi.py (a county's scripts
and two raw files it saved): ";", ISO-8859-1, `Enhet`/`Antall` long rows, ":" hidden, "."
missing, columns read by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from loaders import imdi
from loaders.doctor import render, run_doctor
from loaders.fetch import fetch_table, read_metadata
from loaders.refresh import enabled_sources, make_endpoints
from loaders.sources import SourceSpec, TableSpec, load_sources
from settings import Settings
from simulator.server import Simulator
from tests.conftest import fast_settings

GROUP_2 = (
    "Øst-Europa utenom EU, Asia (inkl.Tyrkia), Afrika, Sør- og Mellom-Amerika og Oseania "
    "utenom Australia og New Zealand"
)


def source(key: str) -> TableSpec:
    return next(s for s in load_sources() if s.key == key)


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


EMPLOYMENT = source("sysselsatte_botid_land")
HEADER = "Enhet;År;Kommunenummer;Kommune;Botid i Norge;Verdensregion;Antall"


# --- reading a file -----------------------------------------------------------------------------


def test_a_file_is_read_by_column_name_with_our_codes() -> None:
    body = csv(
        # Another column order than the simulator's: columns are found by name.
        "Verdensregion;Botid i Norge;Kommune;Kommunenummer;År;Enhet;Antall",
        f"{GROUP_2};0-4 år;Porsgrunn;3806;2022;Personer;40",
        f"{GROUP_2};0-4 år;Porsgrunn;3806;2022;Prosent;57.1",
        f"{GROUP_2};10+ år;;301;2022;Personer;:",
        f"{GROUP_2};10+ år;;301;2022;Prosent;.",
        f"{GROUP_2};Alle;;9999;2022;Prosent;",
        f"{GROUP_2};Alle;Porsgrunn;3806;2022;Prosent;66,7",
    )
    parsed = imdi.read_file(body, EMPLOYMENT)
    frame = parsed.frame
    # Codes assigned by the patterns of sources.yml; unpinned texts keep their text.
    assert list(frame["Verdensregion"].unique()) == ["2"]
    assert list(frame["Botid i Norge"]) == ["0_4", "0_4", "10+", "10+", "Alle", "Alle"]
    # Leading zeros restored; names are labels; a blank name falls back to the code.
    assert list(frame["Kommunenummer"].unique()) == ["3806", "0301", "9999"]
    assert parsed.variables["Kommunenummer"].values["0301"] == "0301"
    assert parsed.variables["Kommunenummer"].values["3806"] == "Porsgrunn"
    assert parsed.variables["Verdensregion"].values == {"2": GROUP_2}
    # Decimal point and comma; ":" hidden, "." missing, empty without a symbol of its own.
    assert frame["value"].tolist()[:2] == [40.0, 57.1] and frame["value"].iloc[5] == 66.7
    assert frame["status"].tolist()[2:5] == [":", ".", ".."]
    assert frame["value"].iloc[2:5].isna().all()
    assert not any(v.elimination for v in parsed.variables.values())


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>Service unavailable</body></html>\n", "not a CSV file"),
        (csv(HEADER, "Personer;2022;3806;Porsgrunn;0-4 år;Alle;40")[:-1], "middle of a line"),
        (
            (HEADER + "\nPersoner;2022;3806;Porsgrunn;0-4 år;Alle;40\n").encode("utf-8"),
            "UTF-8",
        ),
        (csv(HEADER, "Personer;2022;3806;Porsgrunn;0-4 år;40"), "line 2 has 6 fields"),
        (csv(HEADER, "Personer;2022;3806;Porsgrunn;0-4 år;Alle;forty"), "not a number"),
        (csv(HEADER, "Personer;2022;3806;Porsgrunn;0-4 år;Alle;1.234,5"), "not a number"),
        (csv(HEADER, "Prosent;2022;3806;Porsgrunn;0-4 år;Alle;133.3"), "outside 0-100"),
        (csv(HEADER, "Personer;2022;3806;Porsgrunn;0-4 år;Alle;4.5"), "count of persons"),
        (
            csv(
                HEADER,
                "Personer;2022;3806;Porsgrunn;0-4 år;Alle;40",
                "Personer;2022;3806;Porsgrunn;0-4 år;Alle;41",
            ),
            "repeat the same cell",
        ),
        (csv(HEADER.replace("Antall", "Verdi"), "Personer;2022;3806;;0-4 år;Alle;4"), "Antall"),
        (csv(HEADER, "Personer;2022;K3806;;0-4 år;Alle;4"), "not a number"),
        (csv(HEADER, "Personer;22;3806;;0-4 år;Alle;4"), "not a year"),
        (csv(HEADER), "no rows"),
        (
            csv(
                HEADER,
                "Personer;2022;3806;Porsgrunn;0-4 år;Alle;40",
                "Prosent;2022;3806;Porsgrunn;0-4 år;Alle;50.3",  # 40 of 79.4-79.6 people?
            ),
            "no whole group fits",
        ),
    ],
    ids=[
        "html",
        "cut-short",
        "utf-8",
        "fields",
        "text-value",
        "thousands",
        "share-over-100",
        "fraction-of-a-person",
        "duplicate",
        "no-antall",
        "old-wide-format-code",
        "year",
        "empty",
        "share-of-another-base",
    ],
)
def test_a_broken_or_changed_file_fails_saying_why(body: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        imdi.read_file(body, EMPLOYMENT)


def test_a_text_matching_two_pins_is_refused() -> None:
    entry = EMPLOYMENT.source.model_dump(exclude_defaults=True)
    entry["variables"]["Botid i Norge"]["codes"]["0_9"] = {"nb": "\\d-\\d år"}
    spec = TableSpec(SourceSpec.model_validate(entry))
    with pytest.raises(ValueError, match="matches the patterns of codes"):
        imdi.read_file(csv(HEADER, f"Personer;2022;3806;;0-4 år;{GROUP_2};4"), spec)


def test_a_county_that_did_not_exist_is_not_applicable_not_zero() -> None:
    spec = source("intro_status_arbutd_avslutta")
    header = (
        "Enhet;År;Fylkesnummer;Fylke;Kjønn;Avslutningsår for introduksjonsprogrammet;"
        "Arbeidssituasjon etter avsluttet/avbrutt introduksjonsprogram;Antall"
    )
    rest = "Alle;Avsluttet eller avbrutt intro for ett år siden;I arbeid eller utdanning"
    body = csv(
        header,
        f"Prosent;2024;30;Viken (f.o.m. 2020, t.o.m. 2023);{rest};67",  # finished in 2023
        f"Prosent;2024;40;Telemark (t.o.m. 2019, f.o.m. 2024);{rest};0",  # not a county in 2023
        f"Prosent;2024;0;Norge;{rest};67",
    )
    selection = {name: ["*"] for name in spec.variables}
    frame, _ = imdi.decode_answer(spec, body, selection)
    assert frame["Fylkesnummer"].tolist() == ["30", "40", "0"]
    assert frame["value"].tolist()[0] == 67 and np.isnan(frame["value"].iloc[1])
    assert frame["status"].tolist() == [None, ".", None]


# --- through the simulator ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(simulator: Simulator) -> Iterator:
    settings = replace(fast_settings(Path("unused"), simulator), retries=1, read_timeout=8.0)
    yield make_endpoints(settings)["imdi"]


def test_employment_loads_under_todays_municipalities(endpoint) -> None:  # type: ignore[no-untyped-def]
    meta = read_metadata(EMPLOYMENT, endpoint)
    assert meta.payload is not None and meta.labels.keys() == {"nb"}
    assert meta.variables["Verdensregion"].values["2"] == GROUP_2
    table = fetch_table(EMPLOYMENT, meta, endpoint)
    frame = table.frame
    assert set(frame.columns) == {
        "enhet", "tid", "region", "botid_i_norge", "verdensregion", "value", "status", "note"
    }  # fmt: skip
    assert set(frame["verdensregion"]) == {"2"} and set(frame["botid_i_norge"]) == {
        "0_4",
        "5_9",
        "10+",
    }
    assert "9999" not in set(frame["region"]) and "0101" not in set(frame["region"])
    # Halden was 0101, then 3001, now 3101 (renamed twice): one series 2015-2025.
    halden = frame[(frame["region"] == "3101") & (frame["enhet"] == "personer")]
    assert sorted(halden["tid"].unique()) == [str(y) for y in range(2015, 2026)]
    # Stavanger (1103) merged in 2020: shares cannot be summed, the series starts then.
    assert min(frame.loc[frame["region"] == "1103", "tid"]) == "2020"
    shares = frame.loc[frame["enhet"] == "prosent", "value"].dropna()
    assert shares.between(0, 100).all() and len(shares) > 0
    assert table.provenance[0].url.endswith("/download_csv/k/sysselsatte_botid_land")


def test_participants_of_merged_municipalities_are_summed(endpoint) -> None:  # type: ignore[no-untyped-def]
    spec = source("intro_deltakere")
    meta = read_metadata(spec, endpoint)
    frame = fetch_table(spec, meta, endpoint).frame
    stavanger = frame[frame["region"] == "1103"].set_index("tid")
    assert sorted(stavanger.index) == [str(y) for y in range(2015, 2026)]  # counts: summed
    raw = imdi.read_file(meta.payload or b"", spec).frame
    parts = raw[
        raw["Kommunenummer"].isin(["1103", "1141", "1142"])
        & (raw["År"] == "2019")
        & (raw["Kjønn"] == "alle")
    ]
    expected = parts["value"].sum() if parts["value"].notna().all() else np.nan
    got = stavanger.loc["2019", "value"]
    assert (np.isnan(got) and np.isnan(expected)) or got == expected


# --- the off switch -----------------------------------------------------------------------------


def test_imdi_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, simulator: Simulator) -> None:
    monkeypatch.setenv("BAROMETER_IMDI", "off")
    settings = Settings.from_env()
    assert not settings.imdi_enabled
    kept = enabled_sources(settings, load_sources())
    assert kept and all(s.provider != "imdi" for s in kept)
    simulator.clear_requests()
    report = run_doctor(replace(fast_settings(Path("unused"), simulator), imdi_enabled=False))
    assert report.ok and [r for r in simulator.requests if r.provider == "imdi"] == []
    assert "switched off (BAROMETER_IMDI=off)" in render(report)
    monkeypatch.setenv("BAROMETER_IMDI", "maybe")
    with pytest.raises(ValueError, match="use on or off"):
        Settings.from_env()

"""`barometer doctor` against the strict simulator: all well, a changed label, no network."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cli import main
from loaders.doctor import render, run_doctor
from settings import Settings
from simulator.server import Simulator
from tests.conftest import fast_settings


@pytest.fixture()
def env(tmp_path: Path, simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command's environment pointed at the simulator, with an empty data folder."""
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BAROMETER_DST_URL", simulator.dst_base)
    monkeypatch.setenv("BAROMETER_SSB_URL", simulator.ssb_base)
    monkeypatch.setenv("BAROMETER_FHI_URL", simulator.fhi_base)
    monkeypatch.setenv("BAROMETER_IMDI_URL", simulator.imdi_base)
    simulator.clear_faults()
    return tmp_path


def test_all_well_against_the_simulator(env: Path, simulator: Simulator, capsys) -> None:
    simulator.clear_requests()
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    # One row per table (columns aligned with spaces), here with single spaces. IMDi's one
    # request is the whole file: its rows, as the simulator counts them too.
    shown = [" ".join(line.split()) for line in lines]
    assert {
        "provider table metadata codes requests largest request newest updated result",
        "DST FOLK1E en, da 55 checked 8 945,000 of 1,000,000 2025K3 2025-08-11T08:00:00 ok",
        "FHI 583 nb 6 checked 1 12,888 of 50,000 2021-2023 2025-06-18T08:30:00Z ok",
        "IMDI sysselsatte_botid_land nb 6 checked 1 102,600 (whole file) 2025 - ok",
    } <= set(shown) and shown[0].startswith("provider table ")
    crime = next(line for line in shown if line.startswith("DST FOLK1E_MEN_15_29"))
    assert crime.split()[4:11] == ["22", "checked", "1", "850,500", "of", "1,000,000", "2025K3"]
    # (The tests' simulator has no rate limit, so it states 0 calls, as PxWebApi does.)
    assert "SSB states its limits: 800,000 cells per request, 0 calls per 60 s" in out
    assert out.rstrip().endswith("All well: 15 tables checked; `barometer refresh` can run.")
    # Nothing written, no data asked for: metadata (and SSB's /config) only, and IMDi's
    # downloads, which are its metadata; FHI is also asked about the table ("about").
    assert list(env.iterdir()) == []
    assert {r.endpoint for r in simulator.requests} == {"metadata", "about", "config", "download"}


def test_json_for_machines(env: Path, capsys) -> None:
    assert main(["doctor", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["problems"] == []
    dst, ssb, fhi, imdi = report["providers"]
    assert (dst["provider"], dst["reachable"], len(dst["tables"])) == ("dst", True, 8)
    assert (fhi["provider"], len(fhi["tables"]), imdi["provider"], len(imdi["tables"])) == (
        "fhi",
        1,
        "imdi",
        3,
    )
    assert ssb["limits"] == {"maxDataCells": 800_000, "maxCallsPerTimeWindow": 0, "timeWindow": 60}
    tables = {t["table"]: t for p in report["providers"] for t in p["tables"]}
    assert tables["09817"]["metadata"] == ["en", "nb"] and tables["09817"]["newest"] == "2026"
    assert tables["11607"]["updated"] == "2026-05-28T06:00:00Z"
    assert all(t["largest"] <= t["limit"] and t["requests"] >= 1 for t in tables.values())


def test_a_changed_label_fails_naming_the_code(env: Path, simulator: Simulator, capsys) -> None:
    simulator.inject(
        "relabel",
        table="09817",
        dimension="InnvandrKat",
        code="B",
        label="Flyktninger",
        times=None,
    )
    try:
        code = main(["doctor"])
    finally:
        simulator.clear_faults()
    out = capsys.readouterr().out
    assert code == 1
    assert "SSB 09817 InnvandrKat B: label in nb is 'Flyktninger', expected /Innvandrere/" in out
    assert "SSB 09817 InnvandrKat B: label in en is 'Flyktninger', expected /Immigrants/" in out
    assert "Not ready: 2 problem(s)" in out and list(env.iterdir()) == []


def test_a_country_missing_from_the_classification_is_named(simulator: Simulator) -> None:
    simulator.inject(
        "relabel",
        table="09817",
        dimension="Landbakgrunn",
        code="346",
        label="Somaliland",
        times=None,
    )
    try:
        report = run_doctor(fast_settings(Path("unused"), simulator))
    finally:
        simulator.clear_faults()
    (problem,) = [p for pr in report.providers for t in pr.tables for p in t.problems]
    assert problem == "SSB 09817 Landbakgrunn 346: label in nb is 'Somaliland', expected 'Somalia'"


def test_offline_is_one_clear_line_per_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BAROMETER_DST_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("BAROMETER_SSB_URL", "http://127.0.0.1:9/api/pxwebapi/v2")
    monkeypatch.setenv("BAROMETER_FHI_URL", "http://127.0.0.1:9/api/open/v1")
    monkeypatch.setenv("BAROMETER_IMDI_URL", "http://127.0.0.1:9/imdi")
    monkeypatch.setenv("BAROMETER_RETRIES", "0")
    assert main(["doctor"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == (
        "DST (Statistics Denmark, http://127.0.0.1:9/v1): unreachable: could not connect "
        "(Connection refused); gave up after 1 attempt(s)"
    )
    assert lines[1].startswith("SSB (Statistics Norway, http://127.0.0.1:9/api/pxwebapi/v2): ")
    assert lines[2].startswith(
        "FHI (Norwegian Institute of Public Health, http://127.0.0.1:9/api/open/v1): unreachable"
    )
    assert lines[3].startswith("IMDI (Directorate of Integration and Diversity, ")
    assert "Traceback" not in captured.out + captured.err
    assert "`barometer refresh --demo`" in captured.out


def test_one_provider_offline_the_other_checked(simulator: Simulator) -> None:
    settings = replace(
        fast_settings(Path("unused"), simulator), ssb_base_url="http://127.0.0.1:9/x", retries=0
    )
    report = run_doctor(settings)
    dst, ssb, fhi, imdi = report.providers
    assert dst.ok and len(dst.tables) == 8 and fhi.ok and imdi.ok
    assert not ssb.reachable and ssb.tables == [] and not report.ok
    text = render(report)
    assert "DST       KY038" in text and "SSB (Statistics Norway, http://127.0.0.1:9/x)" in text


def test_the_real_providers_are_the_default() -> None:
    settings = Settings()
    assert settings.dst_base_url == "https://api.statbank.dk/v1"
    assert settings.ssb_base_url == "https://data.ssb.no/api/pxwebapi/v2"
    assert settings.fhi_base_url == "https://statistikk-data.fhi.no/api/open/v1"
    assert settings.imdi_base_url == "https://app-simapi-prod.azurewebsites.net"
    assert settings.imdi_enabled


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BAROMETER_IMDI", "maybe", "use on or off"),
        ("BAROMETER_RETRIES", "x", "expected a whole number"),
    ],
)
def test_a_bad_setting_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    assert main(["doctor"]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"error: {name}={value!r}: {message}\n" and captured.out == ""

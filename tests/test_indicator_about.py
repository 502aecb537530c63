"""Plain functions of the indicator and about pages, and their reads in queries/about.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

import app  # noqa: F401  (pages can only be imported once the Dash app exists)
from errors import DatabaseMissing
from indicators.compute import ComputeSettings
from indicators.registry import get_indicator, list_indicators
from locales import LANGUAGES
from locales.numbers import format_count, format_time
from locales.words import provider_name
from pages import about as about_page
from pages import indicator as page
from queries import about
from tests.conftest import text_of
from views.params import suggest_indicators


def indicator(indicator_id: str):
    found = get_indicator(indicator_id)
    assert found is not None
    return found


def test_suggestions_for_unknown_ids() -> None:
    everything = list_indicators()
    assert "unemployment_gap" in suggest_indicators("unemploymnt", everything)
    assert suggest_indicators("Employment-Gap", everything)[0] == "employment_gap"
    assert set(suggest_indicators("gap", everything)[:2]) == {"employment_gap", "unemployment_gap"}
    assert suggest_indicators("Beskæftigelsesfrekvens", everything)[0] == "employment_rate"
    assert suggest_indicators("xyz", everything) == []


def test_time_and_number_formats() -> None:
    # Babel's medium date and short time for the locale; aware times in UTC, saying so.
    assert format_time("2025-03-11T07:00:00Z", "en") == "Mar 11, 2025 7:00\u202fAM UTC"
    assert format_time("2026-11-23T19:52:38+01:00", "da") == "23. nov. 2026 18.52 UTC"
    assert format_time("2025-08-11T08:00:00", "nb") == "11. aug. 2025 08:00"
    assert format_time(datetime(2026, 1, 2, 3, 4), "da", utc=True) == "2. jan. 2026 03.04 UTC"
    assert format_time(pd.Timestamp("2026-01-02 03:04:05"), "nb") == "2. jan. 2026 03:04"
    assert format_time(None, "en") == format_time(pd.NaT, "en") == "–"
    assert format_time("last Tuesday", "en") == "last Tuesday"
    assert format_count(1491000, "en") == "1,491,000"
    assert format_count(1491000, "da") == "1.491.000"
    assert format_count(1491000, "nb") == "1\u00a0491\u00a0000"
    assert format_count(None, "en") == "–"
    assert about.display_title("07459: Population, by region", "07459") == "Population, by region"
    assert (
        about.display_title("Population (end of November)", "RAS201")
        == "Population (end of November)"
    )
    assert about.display_title(None, "X") == "—"


def test_code_labels_and_provider_links() -> None:
    assert page.describe_code("25", "Immigrants from non-western countries") == (
        "25 Immigrants from non-western countries"
    )
    assert page.describe_code("H20", "H20 Upper secondary education") == (
        "H20 Upper secondary education"
    )
    assert page.describe_code("TOT", None) == "TOT"
    assert about.source_url("dst", "RAS201") == "https://www.statbank.dk/RAS201"
    assert about.source_url("ssb", "11607") == "https://www.ssb.no/statbank/table/11607"
    assert about.source_url("xyz", "1") == ""
    assert provider_name("dst", "da") == "Danmarks Statistik"
    assert provider_name("ssb", "en") == "Statistics Norway"
    assert provider_name("other", "en") == "other"
    assert about.label_key("DST", "ras201", "Alder", "25-29") == ("dst", "RAS201", "ALDER", "25-29")


def test_every_reference_date_and_age_band_is_translated() -> None:
    for item in list_indicators():
        for definition in item.countries.values():
            for term in (definition.reference_date, definition.age_band):
                if any(ch.isalpha() for ch in term):
                    assert term in page.TERMS, f"{item.id}: add {term!r} to TERMS"
                    assert page.translate_term(term, "da") != term or term == "all ages"


def test_method_follows_the_sign_convention_and_settings() -> None:
    def method(indicator_id: str, lang: str = "en", **settings: int) -> str:
        sections = page.method_paragraphs(
            indicator(indicator_id), lang, ComputeSettings(**settings)
        )
        return " ".join(f"{h} {' '.join(ps)}" for h, ps in sections)

    employment = method("employment_gap")
    assert "comparison group's rate − the target group's rate" in employment
    assert "Newcombe" in employment and "Wilson" in employment
    assert "below 20" in employment and "Below 80" in employment and "last 3 periods" in employment
    assert "a smaller gap is better" in employment
    assert "Denmark 2012, Norway 2015" in employment
    assert "target group's rate − the comparison group's rate" in method("unemployment_gap")
    assert "higher is better" in method("employment_rate")
    share = method("nonwestern_share")
    assert "No traffic light" in share and "Newcombe" not in share
    custom = method("employment_gap", minimum=10, caution=50, pool_periods=4)
    assert "below 10" in custom and "Below 50" in custom and "last 4 periods" in custom
    for item in list_indicators():
        for lang in LANGUAGES:
            assert "{" not in method(item.id, lang)


def test_detail_page_without_a_database_still_shows_the_definition() -> None:
    data = page.SourceData(problem=DatabaseMissing("/nowhere"))
    content = text_of(page.build_detail(indicator("employment_gap"), "en", data))
    assert "There is no data yet" in content and "/nowhere" not in content  # no server path
    assert "RAS201" in content and "11607" in content
    assert "HERKOMST" in content and "25; 35" in content  # codes without labels
    assert "How it is computed" in content


def test_catalogue_and_unknown_page() -> None:
    catalogue = text_of(page.build_catalogue("da"))
    assert "Ikke tilgængelig i offentlig statistik" in catalogue
    assert "Forskel i beskæftigelsesfrekvens" in catalogue
    unknown = text_of(page.build_unknown("employment", "en"))
    assert "employment_gap" in unknown and "See the list of all indicators" in unknown
    unknown = text_of(page.build_unknown("zzzz", "en"))  # nothing close: every indicator
    assert "Indicators:" in unknown and "employment_gap" in unknown


def test_about_without_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import queries.db

    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    queries.db.close()
    content = text_of(about_page.build_content("en"))
    assert "The data could not be read" in content and "barometer refresh" in content
    assert "CC BY 4.0" in content and "MIT" in content


def test_reads_from_the_demo_database(demo_env: Path) -> None:
    assert about.get_build_info()["source"] == "demo"
    tables = about.list_source_tables()
    assert len(tables) == 15
    urls = dict(zip(tables["table_id"], tables["url"], strict=True))
    assert urls["FOLK1E_MEN_15_29"] == "https://www.statbank.dk/FOLK1E"  # FOLK1E loaded again
    assert urls["583"] == "https://statistikk-data.fhi.no/api/open/v1/nokkel/table/583"
    assert urls["intro_status_arbutd_avslutta"] == (
        "https://app-simapi-prod.azurewebsites.net/download_csv/f/intro_status_arbutd_avslutta"
    )
    ras = tables[tables["table_id"] == "RAS201"].iloc[0]
    assert ras["url"] == "https://www.statbank.dk/RAS201"
    assert ras["requests"] >= 1 and ras["cells"] > 0 and ras["provider_updated"]
    labels = about.list_code_labels(
        [("dst", "RAS201", {"HERKOMST": ["25", "999"], "SOCIO": ["0"]})]
    )
    assert labels[about.label_key("dst", "RAS201", "HERKOMST", "999")] == "Persons of Danish origin"
    assert labels[about.label_key("dst", "RAS201", "SOCIO", "0")] == "Employed"
    assert about.list_code_labels([]) == {}
    periods = about.list_indicator_periods("employment_gap").set_index("country")
    assert periods.loc["DK", "first_period"] <= periods.loc["DK", "last_period"]
    assert set(periods.index) == {"DK", "NO"}
    assert about.list_indicator_periods("no_such_indicator").empty
    status = text_of(about_page.build_content("en"))
    assert "Demo data: simulated figures." in status and "FOLK1E" in status
    detail = text_of(page.build_detail(indicator("employment_gap"), "en"))
    assert "Immigrants from non-western countries" in detail
    assert "Africa, Asia" in detail  # the provider's label of country group 2 (eee)


def test_about_status_live_demo_and_unknown() -> None:
    live = text_of(
        about_page.build_status(
            {
                "source": "live",
                "built_at": "2026-01-02T03:04:05+00:00",
                "dst_base_url": "https://api.statbank.dk/v1",
            },
            "en",
        )
    )
    assert "Live data" in live and "https://api.statbank.dk/v1" in live
    assert "Jan 2, 2026 3:04\u202fAM UTC" in live
    demo = text_of(about_page.build_status({"source": "demo"}, "nb"))
    assert "Demodata: simulerte tall." in demo and "ikke offisiell statistikk" in demo
    assert "Ukendt datakilde “x”." in text_of(about_page.build_status({"source": "x"}, "da"))


def test_page_titles() -> None:
    assert page.page_title() == "Indicators – Integration Barometer"
    assert page.page_title("employment_gap") == "Employment gap – Integration Barometer"
    assert page.page_title("nope") == "Unknown indicator – Integration Barometer"


def test_labels_and_titles_in_the_readers_language(demo_env: Path) -> None:
    selection = [
        ("dst", "RAS201", {"HERKOMST": ["25"]}),
        ("ssb", "11607", {"Landbakgrunn": ["eee"]}),
    ]
    english = about.list_code_labels(selection, "en")
    danish = about.list_code_labels(selection, "da")
    norwegian = about.list_code_labels(selection, "nb")
    ras201 = about.label_key("dst", "RAS201", "HERKOMST", "25")
    eee = about.label_key("ssb", "11607", "Landbakgrunn", "eee")
    assert english[ras201] != danish[ras201]  # Statistics Denmark gives both
    assert norwegian[ras201] == english[ras201]  # no Norwegian label: English
    assert norwegian[eee] != english[eee] and danish[eee] == english[eee]
    titles = about.list_source_tables("da").set_index("table_id")["title"]
    assert (
        titles["RAS201"] != about.list_source_tables("en").set_index("table_id")["title"]["RAS201"]
    )

"""The plain functions behind the pages (views/): URL parameters in, a view or a Problem out.

They are tested here without Dash: a subprocess proves no views module imports it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from views.params import one, query_of, suggest, suggest_municipalities, with_query
from views.problems import Problem

ROOT = Path(__file__).resolve().parents[1]


def test_views_never_import_dash() -> None:
    modules = sorted(p.stem for p in (ROOT / "views").glob("*.py") if p.stem != "__init__")
    script = (
        "import sys\n"
        "sys.modules['dash'] = None  # any import of dash now fails\n"
        f"for name in {modules!r}:\n"
        "    __import__('views.' + name)\n"
        "assert sys.modules['dash'] is None\n"
        "assert not any(m.startswith('dash.') for m in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(modules) >= 5


def test_one_value_per_parameter_and_links() -> None:
    assert one(["a", "b"]) == "a" and one(" x ") == "x" and one("") is None and one(None) is None
    assert query_of("?lang=da&a=1&a=2") == {"lang": "da", "a": "1"}
    assert with_query("/map", {"lang": "nb", "period": None}) == "/map?lang=nb"


def test_one_suggest_for_every_page() -> None:
    assert suggest("regin", ["all", "region", "size"]) == ["region"]
    assert suggest("Employment-Gap", {"employment_gap": ["Employment gap"]}) == ["employment_gap"]
    assert suggest("zzz", ["all", "region"]) == []
    assert suggest_municipalities("Balerup")[0] == ("151", "Ballerup")
    assert ("0301", "Oslo") in suggest_municipalities("301")


def test_trend_view_and_its_problems(demo_env: Path) -> None:
    from views.trend import TrendView, read_view, update_href

    view = read_view("employment_gap", "0301,1103", None, "en")
    assert isinstance(view, TrendView) and view.country == "NO" and view.measure == "gap"
    unknown = read_view("employment_gap", "0301,9999", None, "da")
    assert isinstance(unknown, Problem) and unknown.kind == "municipality"
    assert unknown.title == "Ukendt kommune"
    mixed = read_view("employment_gap", "0301,151", None, "en")
    assert isinstance(mixed, Problem) and mixed.kind == "country" and len(mixed.links) == 2
    share = read_view("nonwestern_share", "151", "gap", "nb")
    assert isinstance(share, Problem) and share.kind == "measure" and share.notes
    # The controls: the newest municipality decides the country; the language is kept.
    href = update_href("employment_gap", ["151", "0301"], "gap", "?lang=da")
    assert href == "/trend?indicator=employment_gap&lang=da&measure=gap&municipalities=0301"


def test_map_view_and_its_problems(demo_env: Path) -> None:
    from views.map import MapView, read_view, update_href

    view = read_view("employment_gap", None, "NO", "en")
    assert isinstance(view, MapView) and view.period == view.periods[-1]
    country = read_view("employment_gap", None, "SE", "da")
    assert isinstance(country, Problem) and country.title == "Ukendt land"
    period = read_view("employment_gap", "1999", "DK", "en")
    assert isinstance(period, Problem) and period.kind == "period" and period.links
    href = update_href("unemployment_gap", None, "NO", "?lang=nb")  # not published for Norway
    assert href.startswith("/map?country=NO&indicator=nonwestern_share&lang=nb&period=")
    # Another indicator opens on its own latest period, even where the old period exists too;
    # a period chosen for the same indicator is kept.
    from queries.trend import latest_period_with_values

    latest = latest_period_with_values("higher_education_25_39", "DK")
    assert latest is not None and latest != "2015"
    before = "?country=DK&indicator=employment_gap&lang=en&period=2015"
    href = update_href("higher_education_25_39", "2015", "DK", before)
    assert href.endswith(f"&period={latest}")
    assert update_href("employment_gap", "2016", "DK", before).endswith("&period=2016")


def test_municipality_view_and_its_problems(demo_env: Path) -> None:
    from views.municipality import MunicipalityView, next_href, read_view

    view = read_view("151", None, "region", "en")
    assert isinstance(view, MunicipalityView) and "151" in view.peers.codes
    assert view.href("da", peers=None) == "/kommune/151?lang=da"
    unknown = read_view("1510", None, None, "en")
    assert isinstance(unknown, Problem) and unknown.kind == "municipality"
    wrong = read_view("0301", "unemployment_gap", None, "nb")
    assert isinstance(wrong, Problem) and wrong.kind == "unavailable"
    peers = read_view("151", None, "similr", "en")
    assert isinstance(peers, Problem) and peers.links[0].label.startswith("Most similar")
    assert next_href("0301", "?indicator=cash_benefit_share&lang=da") == "/kommune/0301?lang=da"


# A server's inside: an environment variable of ours, or a path on the machine.
INSIDE = re.compile(r"BAROMETER_[A-Z]|\.duckdb\b|/(?:home|tmp|work|var|usr|root|srv)/")


def user_texts() -> list[tuple[str, str]]:
    """Everything a reader can see that is written down: every catalogue text (English and
    translated) and the indicators', events' and unavailable indicators' texts."""
    from babel.messages.pofile import read_po

    found = []
    for path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as po:
            for message in read_po(po):
                for text in (message.id, message.string):
                    for one_text in text if isinstance(text, tuple) else (text,):
                        found.append((path.parent.parent.name, str(one_text or "")))
    for path in [
        *sorted((ROOT / "indicators" / "definitions").glob("*.yml")),
        ROOT / "indicators" / "events.yml",
        ROOT / "indicators" / "unavailable.yml",
    ]:
        found += [(path.name, line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


def test_no_text_shows_a_reader_an_environment_variable_or_a_server_path() -> None:
    """A reader is told what to do in their words (issue 10); the operator's names stay in the
    command line, the logs and the README."""
    texts = user_texts()
    assert len(texts) > 1000
    leaks = [(where, text) for where, text in texts if INSIDE.search(text)]
    assert leaks == []

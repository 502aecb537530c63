"""One error surface: errors in layouts and callbacks are shown in the page frame, in the reader's
language; a BarometerError says its own message, anything else is logged and said generically."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from errors import BarometerError, DatabaseMissing
from locales import N_


def callback_request(client, value: object, page: str, search: str = "") -> dict:
    """POST the municipality picker's callback as Dash's renderer does, from `page`."""
    body = {
        "output": "municipality-location.href",
        "outputs": {"id": "municipality-location", "property": "href"},
        "inputs": [{"id": "municipality-picker", "property": "value", "value": value}],
        "changedPropIds": ["municipality-picker.value"],
        "state": [{"id": "municipality-location", "property": "search", "value": search}],
    }
    reply = client.post("/_dash-update-component", json=body, headers={"Referer": page})
    assert reply.status_code == 200, reply.data[:300]
    return json.loads(reply.data)


def test_a_callback_that_fails_shows_the_error_box_in_the_readers_language(
    client, page_logic_bug: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        reply = callback_request(client, "0301", "http://localhost/kommune/151?lang=da")
    box = json.dumps(reply["sideUpdate"], ensure_ascii=False)
    assert "error-area" in box and "Beklager" in box and "Noget gik galt" in box
    assert "Traceback" not in box and "AttributeError" not in box
    assert any(record.exc_info for record in caplog.records)  # the bug is logged in full


def test_a_callback_that_works_changes_nothing_else(client) -> None:
    reply = callback_request(client, "0301", "http://localhost/kommune/151?lang=nb", "?lang=nb")
    assert reply["response"]["municipality-location"]["href"] == "/kommune/0301?lang=nb"
    assert "sideUpdate" not in reply


def test_barometer_errors_speak_the_readers_language() -> None:
    error = BarometerError(N_("Sorry"))
    assert error.describe("da") == "Beklager" and str(error) == "Sorry"
    missing = DatabaseMissing("/srv/data/barometer.duckdb")
    assert "/srv/data" in str(missing)  # the operator's log gets the path ...
    assert "/srv/data" not in missing.describe("nb")  # ... the reader does not
    assert missing.describe("nb").startswith("Det finnes ingen data ennå")


def test_a_layout_that_fails_shows_the_error_box(demo_env: Path) -> None:
    from components.shell import safe_layout

    @safe_layout
    def broken(lang: str | None = None) -> None:
        raise DatabaseMissing("/nowhere")

    page = str(broken(lang="da"))
    assert "Der er ingen data endnu" in page and "/nowhere" not in page


def test_a_barometer_error_in_a_callback_says_its_own_message(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    def missing(*_args: object) -> str:
        raise DatabaseMissing("/srv/data/barometer.duckdb")

    monkeypatch.setattr(sys.modules["pages.municipality"], "next_href", missing)
    reply = callback_request(client, "0301", "http://localhost/kommune/151?lang=nb")
    box = json.dumps(reply["sideUpdate"], ensure_ascii=False)
    assert "Det finnes ingen data ennå" in box and "/srv/data" not in box

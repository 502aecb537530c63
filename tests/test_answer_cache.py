"""Kept answers (serving/cache.py) and remembered reads (queries/memo.py): a repeated request
costs one computation, a new database or boundary file is never answered from the old one, and
an answer showing an error is never kept."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import threading
import time
from pathlib import Path

import brotli
import duckdb
import pytest

from queries.memo import per_database
from serving.cache import AnswerCache, answers
from tests.dash_requests import router_body


def picker_body(code: object) -> dict:
    """The municipality picker's callback (pages/municipality.py)."""
    return {
        "output": "municipality-location.href",
        "outputs": {"id": "municipality-location", "property": "href"},
        "inputs": [{"id": "municipality-picker", "property": "value", "value": code}],
        "changedPropIds": ["municipality-picker.value"],
        "state": [{"id": "municipality-location", "property": "search", "value": "?lang=da"}],
    }


def post(client, body: dict, coding: str = "identity", page: str = "/kommune/151?lang=da"):
    reply = client.post(
        "/_dash-update-component",
        json=body,
        headers={"Accept-Encoding": coding, "Referer": f"http://localhost{page}"},
    )
    assert reply.status_code == 200, reply.data[:300]
    return reply


def decoded(reply) -> dict:
    data = reply.get_data()
    coding = reply.headers.get("Content-Encoding")
    if coding == "br":
        data = brotli.decompress(data)
    elif coding == "gzip":
        data = gzip.decompress(data)
    return json.loads(data)


def test_a_repeated_request_is_computed_once_and_sent_in_every_coding(client) -> None:
    body = router_body("/compare", "?lang=da&indicator=employment_rate")
    first = post(client, body, "br")
    assert (answers.stats.misses, answers.stats.hits) == (1, 0)
    again = [post(client, body, coding) for coding in ("br", "gzip", "identity", "br")]
    assert (answers.stats.misses, answers.stats.hits) == (1, 4)
    assert again[0].get_data() == first.get_data()  # the very bytes kept
    assert [r.headers.get("Content-Encoding") for r in again] == ["br", "gzip", None, "br"]
    assert all(decoded(r) == decoded(first) for r in again)
    # The kept answer carries the headers every answer carries.
    assert again[1].headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Barometer-Data" in again[1].headers


def test_different_questions_are_different_answers(client) -> None:
    da = decoded(post(client, router_body("/about", "?lang=da")))
    nb = decoded(post(client, router_body("/about", "?lang=nb")))
    assert answers.stats.misses == 2 and da != nb
    assert decoded(post(client, picker_body("0301")))["response"]["municipality-location"] == {
        "href": "/kommune/0301?lang=da"
    }
    assert decoded(post(client, picker_body("4601")))["response"]["municipality-location"] == {
        "href": "/kommune/4601?lang=da"
    }


def test_a_new_database_is_never_answered_from_the_old_one(own_data) -> None:
    folder, client = own_data
    body = router_body("/about", "?lang=en")
    assert "Demo data" in json.dumps(decoded(post(client, body)))
    assert "Demo data" in json.dumps(decoded(post(client, body)))
    assert answers.stats.hits == 1

    replacement = folder / ".new.tmp"
    shutil.copy(folder / "barometer.duckdb", replacement)
    con = duckdb.connect(str(replacement))
    con.execute("UPDATE build_info SET value = 'live' WHERE key = 'source'")
    con.close()
    os.replace(replacement, folder / "barometer.duckdb")  # as a refresh swaps it in

    assert "Demo data" not in json.dumps(decoded(post(client, body)))
    assert answers.stats.misses == 2


def test_new_boundary_files_are_never_answered_from_the_old_ones(own_data) -> None:
    from loaders.geo import boundary_path

    folder, client = own_data
    body = router_body("/map", "?country=DK")
    post(client, body)
    post(client, body)
    assert (answers.stats.misses, answers.stats.hits) == (1, 1)
    stored = boundary_path(folder, "DK")  # as a refresh stores the first download
    stored.parent.mkdir(exist_ok=True)
    stored.write_text('{"type": "FeatureCollection", "features": []}')
    post(client, body)
    assert (answers.stats.misses, answers.stats.hits) == (2, 1)


def test_an_answer_showing_an_error_is_not_kept(
    client,
    page_logic_bug: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for _ in range(2):
        assert "sideUpdate" in decoded(post(client, picker_body("0301")))
    assert (answers.stats.misses, answers.stats.hits) == (2, 0)
    monkeypatch.undo()
    assert "sideUpdate" not in decoded(post(client, picker_body("0301")))


def test_refused_input_is_not_kept(client) -> None:
    for _ in range(2):
        reply = decoded(post(client, picker_body(["0301"])))
        assert "Genindlæs siden" in json.dumps(reply["sideUpdate"], ensure_ascii=False)
    assert answers.stats.hits == 0


def test_an_answer_depending_on_more_than_its_inputs_is_not_kept(client) -> None:
    from pages.compare import CONTROLS

    state = [
        {"id": item.component_id, "property": item.component_property, "value": None}
        for item in CONTROLS.values()
    ]
    body = {
        "output": "compare-download.data",
        "outputs": {"id": "compare-download", "property": "data"},
        "inputs": [
            {"id": "compare-download-button", "property": "n_clicks", "value": 1},
            {"id": "compare-download-spreadsheet", "property": "n_clicks", "value": None},
        ],
        "state": [
            *state,
            {"id": "compare-lang", "property": "data", "value": "da"},
            {"id": "compare-table", "property": "sort_by", "value": None},
        ],
        "changedPropIds": ["compare-download-button.n_clicks"],
    }
    for _ in range(2):
        reply = decoded(post(client, body, page="/compare?lang=da"))
        assert "compare-download" in reply["response"]
    assert (answers.stats.misses, answers.stats.hits) == (0, 0)


def test_two_threads_asking_at_once_compute_once() -> None:
    cache = AnswerCache()
    identity = ("db", 1, 1)
    first, lead = cache.get(identity, "k")
    assert first is None and lead
    seen: list = []
    waiting = threading.Thread(target=lambda: seen.append(cache.get(identity, "k")))
    waiting.start()
    time.sleep(0.1)
    assert not seen  # it waits for the first one's answer
    cache.put(identity, "k", "application/json", None, b"{}")
    cache.release("k")
    waiting.join(5)
    ((answer, lead),) = seen
    assert answer is not None and answer.bodies == {None: b"{}"} and not lead
    assert (cache.stats.misses, cache.stats.waits, cache.stats.hits) == (1, 1, 1)


def test_the_cache_is_bounded_in_bytes_and_holds_one_data_version() -> None:
    cache = AnswerCache(max_bytes=8000)
    for number in range(10):
        cache.put(None, f"k{number}", "application/json", None, b"x" * 900)
    assert cache.size <= 8000 and cache.get(None, "k9")[0] is not None
    assert cache.get(None, "k0") == (None, True)  # the oldest went first
    cache.put(None, "big", "application/json", None, b"x" * 1001)  # over an eighth: not kept
    assert cache.get(None, "big") == (None, True)
    assert cache.get(("new",), "k9") == (None, True)  # new data: nothing old is answered
    assert cache.size == 0


def test_reads_are_remembered_per_database(
    demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    @per_database()
    def read(country: str) -> list[str]:
        calls.append(country)
        return [country]

    live = tmp_path / "barometer.duckdb"
    shutil.copy(demo_data_dir / "barometer.duckdb", live)
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))
    assert read("DK") == ["DK"] and read("DK") == ["DK"] and read("NO") == ["NO"]
    assert calls == ["DK", "NO"]
    read("DK").append("changed by a caller")
    assert read("DK") == ["DK"]  # each caller gets its own copy
    shutil.copy(live, tmp_path / "new")
    os.replace(tmp_path / "new", live)
    assert read("DK") == ["DK"] and calls == ["DK", "NO", "DK"]

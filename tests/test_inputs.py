"""Callback inputs are checked at the boundary (views/inputs.py): kinds and lengths, every server
callback declares them, and a refused value is a designed message in the page, not a 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from errors import BadInput
from views.inputs import CLICKS, CODES, OPTIONS, SEARCH, TEXT, Text, checked


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (TEXT, None, None),
        (TEXT, "employment_rate", "employment_rate"),
        (Text(3), "abc", "abc"),
        (CODES, None, None),
        (CODES, "0301", ["0301"]),  # a multi-select holding one value
        (CODES, ["0301", "4601"], ["0301", "4601"]),
        (CODES, [], []),
        (OPTIONS, ["hide"], ["hide"]),
        (SEARCH, "?lang=da&peers=all", "?lang=da&peers=all"),
        (CLICKS, None, None),
        (CLICKS, 0, 0),
        (CLICKS, 3, 3),
    ],
)
def test_what_a_page_sends_is_taken(check: Any, value: Any, expected: Any) -> None:
    assert check("x", value) == expected


@pytest.mark.parametrize(
    ("check", "value", "reason"),
    [
        (TEXT, ["151"], "expected text, got list"),
        (TEXT, 151, "expected text, got int"),
        (TEXT, {"a": 1}, "expected text, got dict"),
        (Text(3), "abcd", "4 characters, at most 3"),
        (CODES, 151, "expected a list of text, got int"),
        (CODES, ["151", None], "other items"),
        (CODES, ["151", ["153"]], "other items"),
        (CODES, ["7" * 101], "an item of 101 characters"),
        (CODES, ["151"] * 501, "501 items, at most 500"),
        (SEARCH, "?" + "a" * 2000, "2001 characters"),
        (CLICKS, -1, "expected a count"),
        (CLICKS, True, "expected a count"),
        (CLICKS, 1.5, "expected a count"),
        (CLICKS, "1", "expected a count"),
    ],
)
def test_anything_else_is_refused_with_the_reason(check: Any, value: Any, reason: str) -> None:
    with pytest.raises(BadInput, match="Reload the page") as refused:
        check("codes", value)
    assert refused.value.name == "codes" and reason in refused.value.reason


def test_checked_checks_every_argument_before_the_callback_runs() -> None:
    calls: list[tuple] = []

    @checked(code=TEXT, codes=CODES)
    def positional(code: str | None, codes: list[str] | None) -> str:
        calls.append((code, codes))
        return "ran"

    @checked({"code": TEXT}, n_clicks=CLICKS)
    def by_name(n_clicks: int | None, **values: Any) -> str:
        calls.append((n_clicks, values))
        return "ran"

    assert positional("151", "153") == "ran" and calls == [("151", ["153"])]
    assert by_name(2, code="151") == "ran" and calls[-1] == (2, {"code": "151"})
    with pytest.raises(BadInput):
        positional(["151"], None)
    with pytest.raises(BadInput) as refused:
        by_name(1, code="151", other="x")
    assert refused.value.name == "other"
    assert len(calls) == 2  # refused calls never ran
    assert positional.cacheable and not checked(cacheable=False)(lambda: 1).cacheable


def test_a_callback_without_a_check_for_an_input_fails_when_it_is_declared() -> None:
    with pytest.raises(TypeError, match="no input check for search"):

        @checked(code=TEXT)
        def forgot(code: str, search: str) -> None: ...


def test_every_server_callback_checks_its_inputs(demo_env: Path) -> None:
    """Every callback of every page (Dash Pages' router aside: serving/guards.py checks it)."""
    from app import app
    from serving.guards import ROUTER_LOCATION

    app.server.test_client().get("/")  # Dash's first-request setup adds the router
    servers = {
        output: callback["callback"]
        for output, callback in app.callback_map.items()
        if "callback" in callback
        and not any(item["id"] == ROUTER_LOCATION for item in callback["inputs"])
    }
    assert len(servers) >= 5
    unchecked = [output for output, function in servers.items() if not hasattr(function, "checks")]
    assert not unchecked, f"callbacks without @checked (views/inputs.py): {unchecked}"
    # A callback taking its inputs by name (**values) must have a check for each name.
    for output, callback in app.callback_map.items():
        names = callback.get("inputs_state_indices")
        if output in servers and isinstance(names, dict):
            missing = set(names) - set(servers[output].checks)
            assert not missing, f"{output[:60]}: no input check for {sorted(missing)}"


def test_a_refused_value_is_a_message_in_the_readers_language(demo_env: Path) -> None:
    from app import app

    body = {
        "output": "trend-location.href",
        "outputs": {"id": "trend-location", "property": "href"},
        "inputs": [
            {"id": "trend-indicator", "property": "value", "value": {"x": 1}},
            {"id": "trend-municipalities", "property": "value", "value": ["0301"]},
            {"id": "trend-measure", "property": "value", "value": "headline"},
        ],
        "state": [{"id": "trend-location", "property": "search", "value": "?lang=nb"}],
        "changedPropIds": ["trend-indicator.value"],
    }
    reply = app.server.test_client().post(
        "/_dash-update-component", json=body, headers={"Referer": "http://localhost/trend?lang=nb"}
    )
    assert reply.status_code == 200
    answer = reply.get_json()
    box = json.dumps(answer["sideUpdate"], ensure_ascii=False)
    assert "Last inn siden på nytt" in box and "dict" not in box
    assert "response" not in answer or "trend-location" not in answer["response"]

"""The municipality pickers start with the chosen municipalities as options and carry the whole
list beside them for assets/picker.js (components/picker.py, build_municipality_dropdown).
The browser tests choose municipalities that are not in the short list (by mouse and by
keyboard), which works only once the script has handed the list over."""

from __future__ import annotations

import json
from typing import Any

import pytest


def find_wrapper(node: Any, dropdown_id: str) -> dict | None:
    """The props of the element carrying the list for `dropdown_id`, in a layout's JSON."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get("data-options-for") == dropdown_id:
            return props
        for value in node.values():
            found = find_wrapper(value, dropdown_id)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = find_wrapper(value, dropdown_id)
            if found is not None:
                return found
    return None


@pytest.mark.parametrize(
    ("address", "dropdown_id", "chosen"),
    [
        ("/kommune/151", "municipality-picker", ["151"]),
        ("/kommune/0301", "municipality-picker", ["0301"]),
        ("/trend?municipalities=151,157", "trend-municipalities", ["151", "157"]),
        ("/compare?focus=0301", "compare-focus", ["0301"]),
        ("/compare", "compare-focus", []),
        ("/", "municipality-picker", []),
    ],
)
def test_a_picker_starts_with_the_chosen_and_carries_every_municipality(
    client, address: str, dropdown_id: str, chosen: list[str]
) -> None:
    from loaders.municipalities import list_municipalities

    reply = client.get(
        "/_dash-layout",
        headers={"Accept-Encoding": "identity", "Referer": f"http://localhost{address}"},
    )
    wrapper = find_wrapper(json.loads(reply.get_data()), dropdown_id)
    assert wrapper is not None, address
    dropdown = wrapper["children"]["props"]
    assert dropdown["id"] == dropdown_id
    assert sorted(option["value"] for option in dropdown["options"]) == sorted(chosen)
    everyone = json.loads(wrapper["data-options"])
    municipalities = list_municipalities()
    assert len(everyone) == len(municipalities)
    assert {option["value"] for option in everyone} == {m.code for m in municipalities}
    assert {"label": "Ballerup (151)", "value": "151"} in everyone
    assert {"label": "Oslo (0301)", "value": "0301"} in everyone
    # Each chosen option is the same in both lists: what is shown does not change on filling.
    for option in dropdown["options"]:
        assert option in everyone

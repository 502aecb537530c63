"""Checks at the door: body size, the shape of Dash callback requests, bundle paths.

Each answers a short 4xx message before Dash sees the request, so hostile or broken input never
reaches Dash's dispatcher as something it would turn into a 500 (a missing `output` is a
KeyError there, 50,000 nested brackets a RecursionError, an unknown bundle path a
DependencyException). What a callback does with well-formed values is the callback's own
business (pages/).
"""

from __future__ import annotations

import json
import os
from importlib.util import find_spec
from typing import Any

import dash
from dash.fingerprint import check_fingerprint
from flask import Request, Response

MAX_BODY_BYTES = 1024 * 1024
# Dash's own bodies are a few levels deep (body > inputs > item > value > figure parts); a
# pattern-matching id or a table's rows add one or two.
MAX_JSON_DEPTH = 64


def reject(status: int, message: str) -> Response:
    """A short JSON answer for a request we will not serve."""
    response = Response(json.dumps({"error": message}), status=status, mimetype="application/json")
    if status == 413:
        # Stop reading: the rest of a too-big body is not worth receiving.
        response.headers["Connection"] = "close"
    return response


def check_size(request: Request) -> Response | None:
    """413 for bodies over the limit, answered from the Content-Length before reading any."""
    length = request.content_length
    if length is not None and length > MAX_BODY_BYTES:
        return reject(413, f"request body over {MAX_BODY_BYTES // 1024} KB")
    return None


def nesting_depth_over(value: Any, limit: int) -> bool:
    """True when lists and objects nest deeper than the limit (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _item_problem(item: Any, declared: dict[str, Any], where: str) -> str | None:
    """Why an inputs/state item does not match the declared dependency, or None.

    A pattern-matching dependency (ALL, MATCH) is declared in Dash's callback map with its id
    as a JSON object in a string ('{"type":"x","country":["ALL"]}'); with ALL the request
    sends a list of entries, one per matching component.
    """
    declared_id = declared.get("id")
    pattern = isinstance(declared_id, dict) or (
        isinstance(declared_id, str) and declared_id.startswith("{")
    )
    entries = item if pattern and isinstance(item, list) else [item]
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
            return f"{where} must be an object with 'id' and 'property'"
        if not pattern and (
            entry.get("id") != declared["id"] or entry["property"] != declared["property"]
        ):
            return f"{where} is not {declared['id']}.{declared['property']}"
    return None


# Dash Pages' router (dash/dash.py, `update` in `router_sync`) is Dash's own callback: it
# takes the address's path and query string as the browser gives them and fails on anything
# else (a list is an AttributeError there, a path without the leading prefix an
# UnsupportedRelativePath, null a TypeError). Our own callbacks check their inputs themselves
# (views/inputs.py) and answer in the page.
ROUTER_LOCATION = "_pages_location"


def _router_problem(app: dash.Dash, items: list[Any], declared: list[dict[str, Any]]) -> str | None:
    """Why the router's path or query string is not what a browser sends, or None."""
    prefix = app.config.requests_pathname_prefix
    for item, dependency in zip(items, declared, strict=True):
        if dependency.get("id") != ROUTER_LOCATION:
            continue
        value = item.get("value")
        if dependency["property"] == "pathname" and not (
            isinstance(value, str) and value.startswith(prefix)
        ):
            return f"the page's path must be text starting with {prefix}"
        if dependency["property"] == "search" and not (value is None or isinstance(value, str)):
            return "the page's query string must be text"
    return None


def _outputs_problem(callback: dict[str, Any], outputs: Any) -> str | None:
    """Why `outputs` does not name the callback's outputs, or None.

    Dash checks this itself (dash/_validate.py, validate_output_spec) but before its error
    handler is in place, so a mismatch would be a 500; a list for a single output even passes
    that check and fails later.
    """
    if callback.get("no_output"):
        return None
    declared = callback["output"]
    many = isinstance(declared, list | tuple)
    if many and (not isinstance(outputs, list) or len(outputs) != len(declared)):
        return f"'outputs' must list {len(declared)} outputs"
    pairs = zip(outputs if many else [outputs], declared if many else [declared], strict=True)
    for entry, output in pairs:
        pattern = isinstance(output.component_id, dict)
        for item in entry if pattern and isinstance(entry, list) else [entry]:
            if not isinstance(item, dict) or not isinstance(item.get("property"), str):
                return "each output must be an object with 'id' and 'property'"
            if not pattern and (
                item.get("id") != output.component_id
                or item["property"].split("@")[0] != output.component_property
            ):
                return f"'outputs' do not name {output.component_id}.{output.component_property}"
    return None


def callback_problem(app: dash.Dash, body: Any) -> str | None:
    """What is wrong with a callback request body, or None when Dash can dispatch it."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str):
        return "'output' is missing or not a string"
    callback = app.callback_map.get(output)
    if callback is None or "callback" not in callback:  # clientside ones run in the browser
        return "no server callback has that output"
    for key in ("inputs", "state"):
        declared = callback.get(key, [])
        items = body.get(key, [])
        if not isinstance(items, list):
            return f"'{key}' must be a list"
        if len(items) != len(declared):
            return f"'{key}' has {len(items)} items; this callback takes {len(declared)}"
        for number, (item, dependency) in enumerate(zip(items, declared, strict=True)):
            problem = _item_problem(item, dependency, f"{key}[{number}]")
            if problem:
                return problem
        problem = _router_problem(app, items, declared)
        if problem:
            return problem
    problem = _outputs_problem(callback, body.get("outputs"))
    if problem:
        return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(p, str) for p in changed):
        return "'changedPropIds' must be a list of strings"
    if not all(_is_prop_id(p) for p in changed):
        return "'changedPropIds' entries are 'id.property' (a pattern id as a JSON object)"
    return None


def _is_prop_id(text: str) -> bool:
    """Whether Dash can read `text` as a changed property: "id.property", where an id that
    starts with "{" is a JSON object (dash/_callback_context.py, triggered_prop_ids, parses it
    and fails on anything else)."""
    component, dot, prop = text.rpartition(".")
    if not (component and dot and prop):
        return False
    if component.startswith("{"):
        try:
            return isinstance(json.loads(component), dict)
        except ValueError:
            return False
    return True


def check_callback(app: dash.Dash, request: Request) -> Response | None:
    """400/415 for a callback request Dash could not dispatch."""
    if not request.is_json:
        return reject(415, "callback requests are JSON (Content-Type: application/json)")
    data = request.get_data(cache=True)
    if len(data) >= MAX_BODY_BYTES:  # a chunked body: Werkzeug stops reading at the limit
        return reject(413, f"request body over {MAX_BODY_BYTES // 1024} KB")
    try:
        body = json.loads(data)
    except RecursionError:
        return reject(400, "the JSON body is nested too deeply")
    except (ValueError, UnicodeDecodeError):
        return reject(400, "the body is not valid JSON")
    if nesting_depth_over(body, MAX_JSON_DEPTH):
        return reject(400, "the JSON body is nested too deeply")
    problem = callback_problem(app, body)
    return reject(400, problem) if problem else None


_files: dict[tuple[str, str], bool] = {}


def _package_file_exists(package: str, path: str) -> bool:
    """Whether a registered bundle is really on disk (Dash registers some .map files it lacks)."""
    key = (package, path)
    if key not in _files:
        spec = find_spec(package)
        roots = list(spec.submodule_search_locations or []) if spec else []
        _files[key] = any(os.path.isfile(os.path.join(root, path)) for root in roots)
    return _files[key]


def check_component_suite(app: dash.Dash, request: Request) -> Response | None:
    """404 for bundle paths Dash has not registered or that are missing on disk."""
    prefix = f"{app.config.routes_pathname_prefix}_dash-component-suites/"
    package, _, fingerprinted = request.path[len(prefix) :].partition("/")
    path, _ = check_fingerprint(fingerprinted)
    known = app.registered_paths.get(package, set())
    if path not in known or not _package_file_exists(package, path):
        return reject(404, "no such file")
    return None

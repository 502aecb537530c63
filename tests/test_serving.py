"""Serving: request guards, security and cache headers, compression, the production servers.

Most checks use the app in-process (Flask's test client); the last ones start `barometer serve`
as a child process (gunicorn, and waitress) on a free loopback port and talk to it over HTTP.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
import requests

from benchmarks.harness import free_port, serving
from serving import guards
from serving.compression import choose_encoding
from serving.server import plan_server
from tests.conftest import ROOT
from tests.dash_requests import router_body


def bundle_urls(html: str) -> list[str]:
    return re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run (not JSON data, not comments)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)
    scripts = []
    for attributes, text in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.DOTALL):
        if "src=" in attributes or "application/json" in attributes:
            continue
        scripts.append(text)
    return scripts


# --- headers ---------------------------------------------------------------------------------


def test_page_has_security_headers_and_a_csp_covering_its_inline_scripts(client) -> None:
    reply = client.get("/compare")
    assert reply.status_code == 200
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in reply.headers["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'self'" and policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    scripts = inline_scripts(reply.get_data(as_text=True))
    assert len(scripts) >= 2  # the renderer start and the clientside callbacks
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"], script[:80]


def test_callback_answers_carry_the_headers_too(client) -> None:
    reply = client.post("/_dash-update-component", json={})
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Cache-Control"] == "no-cache"


def test_fingerprinted_bundles_are_cached_for_a_year(client) -> None:
    html = client.get("/").get_data(as_text=True)
    urls = bundle_urls(html)
    assert urls
    for url in urls:
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    asset = re.search(r'href="(/assets/style\.css\?m=[^"]+)"', html)
    assert asset is not None
    assert "immutable" in client.get(asset.group(1)).headers["Cache-Control"]


def test_pages_load_their_components_code_with_their_scripts(client) -> None:
    """plotly.js and the lazily loaded chunks of the components a page draws are among its
    scripts, at fingerprinted addresses (app.py, preload_scripts), not fetched after the page's
    callback; pages that draw nothing lazily loaded list nothing."""
    from app import COMPONENT_CODE, bundle_url

    everything = {bundle_url(*file) for files in COMPONENT_CODE.values() for file in files}
    addresses = ["/", "/kommune/151", "/compare", "/trend", "/map", "/present?municipalities=151"]
    plain = ["/about", "/changes", "/download", "/nope"]
    for address in [*addresses, *plain]:
        path, _, query = address.partition("?")
        html = client.get(address).get_data(as_text=True)
        listed = {url for url in re.findall(r'<script src="([^"]+)"', html) if url in everything}
        body = router_body(path, f"?{query}" if query else "")
        layout = json.dumps(client.post("/_dash-update-component", json=body).get_json())
        drawn = [name for name in COMPONENT_CODE if f'"type": "{name}"' in layout]
        expected = {bundle_url(*file) for name in drawn for file in COMPONENT_CODE[name]}
        assert expected <= listed, address  # (a view may draw less: a problem, no boundaries)
        assert bool(listed) == (address in addresses), address
        for url in listed:
            assert html.index(url) < html.index("dash_renderer"), url
            reply = client.get(url)
            assert reply.status_code == 200, url
            assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable", url


def test_unfingerprinted_files_are_revalidated(client) -> None:
    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    first = client.get(url, headers={"Accept-Encoding": "br"})
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    plain = client.get("/assets/style.css")
    assert plain.headers["Cache-Control"] == "no-cache" and plain.headers.get("ETag")


def test_data_version_header_names_the_database_build(client) -> None:
    from queries.db import read_frame

    built_at = read_frame("SELECT value FROM build_info WHERE key = 'built_at'")["value"][0]
    assert client.get("/").headers["X-Barometer-Data"] == built_at


# --- compression -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("*", "br"),
        ("*;q=0.1, br;q=0", "gzip"),
        ("identity", None),
        ("", None),
        ("deflate", None),
        ("gzip;q=abc, br", "br"),
    ],
)
def test_choose_encoding(accept: str, chosen: str | None) -> None:
    assert choose_encoding(accept) == chosen


def decode(reply) -> bytes:
    coding = reply.headers.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(reply.data)
    if coding == "gzip":
        return gzip.decompress(reply.data)
    assert coding is None
    return reply.data


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_dash_bundles_and_plotly_are_compressed(client, coding: str) -> None:
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    html = client.get("/").get_data(as_text=True)
    renderer = next(u for u in bundle_urls(html) if "dash_renderer" in u)
    for url in (renderer, "/_dash-component-suites/plotly/package_data/plotly.min.js"):
        reply = client.get(url, headers={"Accept-Encoding": coding})
        assert reply.headers["Content-Encoding"] == coding, url
        assert "Accept-Encoding" in reply.headers["Vary"]
        assert len(reply.data) < len(decode(reply)) / 2.5, url
    reply = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        headers={"Accept-Encoding": coding},
    )
    assert decode(reply) == plotly_js.read_bytes()
    assert len(reply.data) < 1_600_000


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_pages_and_callback_answers_are_compressed(client, coding: str) -> None:
    page = client.get("/compare", headers={"Accept-Encoding": coding})
    assert page.headers["Content-Encoding"] == coding
    assert b"_dash-renderer" in decode(page)
    body = router_body("/compare", "?country=NO")
    plain = client.post("/_dash-update-component", json=body)
    packed = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": coding})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers["Content-Encoding"] == coding
    assert json.loads(decode(packed)) == json.loads(plain.data)
    assert len(packed.data) < len(plain.data) / 3


def test_without_accept_encoding_nothing_is_compressed(client) -> None:
    reply = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in reply.headers
    assert b"_dash-renderer" in reply.data


# --- guards ----------------------------------------------------------------------------------


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


GOOD = router_body("/")
MALFORMED = {
    "not JSON": (b"{'output': ", 400),
    "not UTF-8": (b'{"output": "\xff\xfe"}', 400),
    "50,000 levels of nesting": (nested(50_000), 400),
    "200 levels of nesting": (
        json.dumps({**GOOD, "state": []}).encode()[:-1] + b', "x": ' + nested(200) + b"}",
        400,
    ),
    "a list body": (b"[1, 2]", 400),
    "no output": (json.dumps({k: v for k, v in GOOD.items() if k != "output"}).encode(), 400),
    "output not a string": (json.dumps({**GOOD, "output": ["a"]}).encode(), 400),
    "unknown callback": (json.dumps({**GOOD, "output": "nope.children"}).encode(), 400),
    "clientside callback": (
        json.dumps({**GOOD, "output": "_pages_dummy.children"}).encode(),
        400,
    ),
    "one input missing": (json.dumps({**GOOD, "inputs": GOOD["inputs"][:1]}).encode(), 400),
    "an input too many": (
        json.dumps({**GOOD, "inputs": GOOD["inputs"] + GOOD["inputs"][:1]}).encode(),
        400,
    ),
    "inputs not a list": (json.dumps({**GOOD, "inputs": "x"}).encode(), 400),
    "input not an object": (json.dumps({**GOOD, "inputs": [1, 2]}).encode(), 400),
    "input of another component": (
        json.dumps(
            {
                **GOOD,
                "inputs": [{"id": "x", "property": "pathname", "value": "/"}, GOOD["inputs"][1]],
            }
        ).encode(),
        400,
    ),
    "state where none is taken": (json.dumps({**GOOD, "state": [{"id": "a"}]}).encode(), 400),
    "outputs missing": (
        json.dumps({k: v for k, v in GOOD.items() if k != "outputs"}).encode(),
        400,
    ),
    "outputs too few": (json.dumps({**GOOD, "outputs": GOOD["outputs"][:1]}).encode(), 400),
    "changedPropIds not strings": (json.dumps({**GOOD, "changedPropIds": [1]}).encode(), 400),
    # Dash parses an id starting with "{" as JSON (hypothesis found this one)
    "changedPropIds a broken pattern id": (
        json.dumps({**GOOD, "changedPropIds": ["{..compare-url.data"]}).encode(),
        400,
    ),
    "changedPropIds without a property": (
        json.dumps({**GOOD, "changedPropIds": ["compare-url"]}).encode(),
        400,
    ),
    "outputs of another component": (
        json.dumps({**GOOD, "outputs": [GOOD["outputs"][1], GOOD["outputs"][0]]}).encode(),
        400,
    ),
    "an output not an object": (json.dumps({**GOOD, "outputs": [1, 2]}).encode(), 400),
    # Dash Pages' router takes the address as a browser gives it (serving/guards.py).
    "router path a list": (json.dumps(router_body(["/"])).encode(), 400),
    "router path null": (json.dumps(router_body(None)).encode(), 400),
    "router path without a leading slash": (json.dumps(router_body("map")).encode(), 400),
    "router query a list": (json.dumps(router_body("/", ["?a=1"])).encode(), 400),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_callback_requests_get_a_short_4xx(client, case: str) -> None:
    body, status = MALFORMED[case]
    reply = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert reply.status_code == status
    message = reply.get_json()["error"]
    assert 0 < len(message) < 120
    assert "Traceback" not in reply.get_data(as_text=True)


def test_well_formed_callback_request_still_works(client) -> None:
    reply = client.post("/_dash-update-component", json=GOOD)
    assert reply.status_code == 200
    assert "_pages_content" in reply.get_json()["response"]


def test_callback_request_must_be_json(client) -> None:
    reply = client.post("/_dash-update-component", data=json.dumps(GOOD), content_type="text/plain")
    assert reply.status_code == 415


def test_big_bodies_are_refused(client) -> None:
    junk = json.dumps({**GOOD, "junk": ["x" * 100] * 20_000}).encode()
    assert len(junk) > guards.MAX_BODY_BYTES
    started = time.perf_counter()
    reply = client.post("/_dash-update-component", data=junk, content_type="application/json")
    assert reply.status_code == 413
    assert time.perf_counter() - started < 1.0  # refused from the header, not parsed
    assert "KB" in reply.get_json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/dcc/nope.v4_4_1m123.js",
        "/_dash-component-suites/dash/deps/../../../etc/passwd",
        "/_dash-component-suites/nopackage/x.js",
        "/_dash-component-suites/plotly/package_data/plotly.js",
        "/_dash-component-suites/dash/dcc/async-mathjax.js.map",  # registered, not shipped
        "/assets/nope.css",
        "/assets/../app.py",
    ],
)
def test_unknown_static_paths_are_404(client, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 404
    assert "Traceback" not in reply.get_data(as_text=True)


def test_nesting_depth() -> None:
    assert not guards.nesting_depth_over({"a": [1, {"b": [2]}]}, 4)  # 4 containers deep
    assert guards.nesting_depth_over({"a": [1, {"b": [[2]]}]}, 4)
    assert not guards.nesting_depth_over("text", 0)


# --- the server process ----------------------------------------------------------------------


def test_plan_follows_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    import serving.server as server

    monkeypatch.delenv("BAROMETER_WORKERS", raising=False)
    monkeypatch.delenv("BAROMETER_THREADS", raising=False)
    monkeypatch.setattr(server, "available_cores", lambda: 2)
    plan = plan_server("127.0.0.1", 8050)
    assert (plan.kind, plan.workers, plan.threads) == ("gunicorn", 3, 4)
    monkeypatch.setattr(server, "available_cores", lambda: 1)
    assert plan_server("127.0.0.1", 8050).workers == 2
    monkeypatch.setattr(server, "available_cores", lambda: 8)
    assert plan_server("127.0.0.1", 8050).workers == 9
    assert plan_server("127.0.0.1", 8050, workers=5, threads=2).workers == 5
    monkeypatch.setenv("BAROMETER_THREADS", "8")
    assert plan_server("127.0.0.1", 8050).threads == 8
    waitress = plan_server("::1", 8050, server="waitress")
    assert (waitress.kind, waitress.threads, waitress.address) == ("waitress", 72, "[::1]:8050")
    assert plan_server("127.0.0.1", 8050, debug=True).kind == "development"
    monkeypatch.setattr(server.sys, "platform", "win32")
    assert plan_server("127.0.0.1", 8050).kind == "waitress"


@pytest.fixture()
def served(demo_data_dir: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path]]:
    """`barometer serve` in a child process: its URL and the file holding its output."""
    extra = getattr(request, "param", [])
    with serving(demo_data_dir, "--workers", "2", "--threads", "2", *extra) as (url, _, _):
        yield url, demo_data_dir.parent / f"serve-{url.rsplit(':', 1)[1]}.log"


def test_gunicorn_serves_hardened_and_compressed(served) -> None:
    url, _ = served
    page = requests.get(f"{url}/compare", headers={"Accept-Encoding": "br"}, timeout=10)
    assert page.status_code == 200
    assert page.headers["Server"] == "gunicorn"  # no version
    assert page.headers["Content-Encoding"] == "br" and "Content-Security-Policy" in page.headers
    deep = requests.post(
        f"{url}/_dash-update-component",
        data=nested(50_000),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert deep.status_code == 400
    missing = requests.get(f"{url}/_dash-component-suites/dash/nope.js", timeout=10)
    assert missing.status_code == 404


def test_gunicorn_refuses_a_big_body_quickly(served) -> None:
    url, _ = served
    junk = b"[" + b'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",' * 150_000 + b"1]"  # 5 MB
    started = time.perf_counter()
    reply = requests.post(
        f"{url}/_dash-update-component",
        data=junk,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert reply.status_code == 413
    assert time.perf_counter() - started < 3
    assert requests.get(f"{url}/_favicon.ico", timeout=5).status_code == 200  # still serving


def test_gunicorn_refuses_a_big_chunked_body(served) -> None:
    """No Content-Length to refuse it by: the limit applies while the body is read."""
    url, _ = served

    def chunks() -> Iterator[bytes]:
        yield b"["
        for _ in range(40_000):
            yield b'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",'
        yield b"1]"

    reply = requests.post(
        f"{url}/_dash-update-component",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert reply.status_code == 413
    assert "Traceback" not in reply.text


def test_gunicorn_prints_no_development_warning(served) -> None:
    url, log_path = served
    assert requests.get(url, timeout=10).status_code == 200
    output = log_path.read_text()
    assert "serving with gunicorn on http://127.0.0.1:" in output
    assert "(2 worker processes x 2 threads)" in output
    assert "Booting worker" in output
    assert "development server" not in output and "WARNING" not in output


def test_debug_server_names_no_versions(demo_data_dir: Path) -> None:
    """`--debug` runs Dash's development server; its Server header names no versions."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "barometer"), "serve", "--debug"]
    child = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "BAROMETER_DATA_DIR": str(demo_data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the reloader starts a second process: stop both
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = requests.get(f"http://127.0.0.1:{port}/", timeout=60)
                break
            except requests.ConnectionError:
                assert child.poll() is None and time.monotonic() < deadline
                time.sleep(0.3)
        assert reply.status_code == 200
        assert reply.headers["Server"] == "barometer"
        assert "Content-Security-Policy" in reply.headers
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=30)


@pytest.mark.parametrize("served", [["--server", "waitress"]], indirect=True)
def test_waitress_serves_without_a_server_header(served) -> None:
    url, _ = served
    page = requests.get(f"{url}/", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert page.status_code == 200
    assert "Server" not in page.headers
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_revalidation_is_answered_from_memory(client, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second If-None-Match for an unfingerprinted bundle does not read the file again."""
    import pkgutil

    url = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    etag = client.get(url, headers={"Accept-Encoding": "gzip"}).headers["ETag"]

    def no_reading(*args: object) -> bytes:
        raise AssertionError("the bundle was read again")

    monkeypatch.setattr(pkgutil, "get_data", no_reading)
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag


def test_app_is_prepared_with_compressed_files_and_no_open_database(demo_env: Path) -> None:
    """What gunicorn's master does before forking: compress ahead, read the catalogues the
    workers would each read at their first request, hold no connection."""
    from indicators.registry import list_indicators
    from queries import db
    from queries.about import stored_tables
    from queries.trend import load_events
    from serving import compression
    from serving.server import prepared_app

    readers = (list_indicators, stored_tables, load_events)
    for reader in readers:
        reader.cache_clear()
    prepared_app()
    assert all(reader.cache_info().currsize == 1 for reader in readers)
    assert compression._static_bytes > 1_000_000  # plotly.min.js alone is 1.2 MB in brotli
    assert db._state["con"] is None
    files = {key[0] for key in compression._static_cache}
    assert "/_dash-component-suites/plotly/package_data/plotly.min.js" in files
    assert any(name.endswith("dash_renderer.min.js") for name in files)


def test_pattern_matching_callback_requests_pass_the_guard() -> None:
    """An ALL dependency arrives as a list of entries; its declared id is a JSON string."""
    declared = {"id": '{"country":["ALL"],"type":"indicator-download"}', "property": "n_clicks"}
    clicks = [
        {"id": {"country": c, "type": "indicator-download"}, "property": "n_clicks", "value": 1}
        for c in ("DK", "NO")
    ]
    assert guards._item_problem(clicks, declared, "inputs[0]") is None
    assert guards._item_problem([], declared, "inputs[0]") is None
    assert guards._item_problem([1], declared, "inputs[0]") is not None
    plain = {"id": "map-download", "property": "n_clicks"}
    assert guards._item_problem(clicks, plain, "inputs[0]") is not None

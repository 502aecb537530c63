"""Response headers: security headers, cache lifetimes and the data version.

Content-Security-Policy, as strict as Dash 4.4 and Plotly 7.1 (plotly.js 4.1) allow with a clean
browser console:
- script-src 'self' plus the SHA-256 hash of each inline script Dash writes into the page (the
  renderer start and the clientside callbacks), computed by Dash itself (`Dash.csp_hashes`,
  dash/dash.py), and of our one (serving/first_paint.py, DRAW_NOW). No 'unsafe-inline', no
  'unsafe-eval': the Function constructor plotly.js carries is in its WebGL traces (regl's
  shader compiler; plotly.js issues #897, #6140 and PR #5865, which keeps scattergl, splom,
  parcoords and scatterpolargl out of the strict bundle for that reason). Our charts are SVG
  traces (bar, scatter, choropleth), which never reach it; the other two `Function(` uses in
  plotly.min.js, Dash's and dcc's bundles are webpack's globalThis fallback and a
  Function.prototype.bind polyfill, used only by browsers without those. Adding a WebGL trace
  would need 'unsafe-eval'; the browser tests' clean-console check says so.
- style-src 'unsafe-inline': plotly.js and Dash's components insert <style> elements at run
  time. Styles cannot run code.
- img-src data: and blob: for plotly's modebar icons and "download plot as PNG".
- frame-ancestors 'self' (and X-Frame-Options for older browsers): no framing by other sites.
"""

from __future__ import annotations

import threading
from typing import Any

import dash
import duckdb
from dash.fingerprint import check_fingerprint
from flask import Request, Response

from serving.first_paint import DRAW_NOW_HASH

YEAR = 31_536_000  # seconds

FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

_policy: dict[str, str] = {}
_policy_lock = threading.Lock()


def content_security_policy(app: dash.Dash) -> str:
    """The Content-Security-Policy value, built once all callbacks are registered."""
    with _policy_lock:
        if "value" not in _policy:
            hashes = " ".join([*app.csp_hashes("sha256"), DRAW_NOW_HASH])
            directives = [
                "default-src 'self'",
                f"script-src 'self' {hashes}",
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data: blob:",
                "font-src 'self' data:",
                "connect-src 'self'",
                "worker-src 'self' blob:",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'self'",
            ]
            _policy["value"] = "; ".join(directives)
        return _policy["value"]


def is_fingerprinted(app: dash.Dash, request: Request) -> bool:
    """True for URLs whose name changes whenever the content does.

    Dash writes component bundles as name.v<version>m<mtime>.js (dash/fingerprint.py), assets
    as /assets/<file>?m=<mtime> and its favicon as /_favicon.ico?v=<version>.
    """
    prefix = app.config.requests_pathname_prefix
    path = request.path
    if path.startswith(f"{prefix}_dash-component-suites/"):
        return check_fingerprint(path)[1]
    if path.startswith(f"{prefix}{app.config.assets_url_path.strip('/')}/"):
        return "m" in request.args
    return path == f"{prefix}_favicon.ico" and "v" in request.args


def is_static(app: dash.Dash, request: Request) -> bool:
    """Files that are the same bytes for every request (bundles, assets, favicon)."""
    prefix = app.config.requests_pathname_prefix
    return request.path.startswith(
        (
            f"{prefix}_dash-component-suites/",
            f"{prefix}{app.config.assets_url_path.strip('/')}/",
            f"{prefix}_favicon.ico",
        )
    )


def set_headers(app: dash.Dash, request: Request, response: Response) -> None:
    """Add the security and caching headers to a response."""
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = content_security_policy(app)
    if response.status_code in (200, 304) and is_fingerprinted(app, request):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    elif "Cache-Control" not in response.headers:
        # Pages, layouts and callback answers change with the data: always ask the server
        # (ETags make that cheap for static files without a fingerprint).
        response.headers["Cache-Control"] = "no-cache"


_versions: dict[Any, str] = {}
_versions_lock = threading.Lock()


def data_version() -> str | None:
    """The live database's build time (its build_info), or None without a database.

    Sent as X-Barometer-Data so an operator (and the load benchmark) can tell which data a
    replica serves; it is part of the database file, so replicas serving copies of one file
    agree. Looked up once per database file.
    """
    from errors import DatabaseMissing, DatabaseUnreadable
    from queries.db import database_identity, read_frame

    try:
        identity = database_identity()
        with _versions_lock:
            known = _versions.get(identity)
        if known is not None:
            return known
        frame = read_frame("SELECT value FROM build_info WHERE key = ?", ["built_at"])
    except (DatabaseMissing, DatabaseUnreadable, duckdb.Error, OSError):
        return None  # the page itself says what is wrong; a header is no place for it
    version = str(frame["value"].iloc[0]) if len(frame) else "unknown"
    with _versions_lock:
        _versions.clear()  # only the current file matters
        _versions[identity] = version
    return version

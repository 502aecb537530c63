"""Compressed responses: brotli or gzip, whichever the client's Accept-Encoding prefers.

Static files (Dash's component bundles under /_dash-component-suites/, our /assets/, the
favicon) are the same bytes on every request: each is compressed once at a high level and the
result kept (plotly.min.js, 4.8 MB: brotli 9 gives 1.23 MB in about 0.4 s, gzip 9 1.47 MB in
0.18 s; brotli 11 would save 0.1 MB more for 9 s of CPU). `precompress` does that in gunicorn's
master before it forks the workers, so they share the results. Everything else (pages,
callback JSON) is compressed per request at a fast level.

Why not Dash's `compress=True`: it installs flask-compress with gzip only (Dash 4.4's
backends/_flask.py sets COMPRESS_ALGORITHM to ["gzip"]) and compresses plotly.min.js again on
every request; flask-compress's own cache is keyed by request alone, so it cannot be turned on
for static files and off for callback answers.
"""

from __future__ import annotations

import gzip
import re
import threading

import brotli
import dash
from dash.fingerprint import check_fingerprint
from flask import Request, Response

# Types worth compressing: text and JSON (images and fonts we serve are compressed already).
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
}
MIN_SIZE = 500  # below this the headers cost more than compression saves
STATIC_LEVELS = {"br": 9, "gzip": 9}
DYNAMIC_LEVELS = {"br": 4, "gzip": 5}
STATIC_CACHE_LIMIT = 64 * 1024 * 1024  # bytes of compressed static files kept per worker

# Compressed static files, by (file, query, length, coding): the same bytes whatever the
# fingerprint in the URL. And the ETag each (URL, coding) was last sent with, so a browser
# revalidating an unfingerprinted file (plotly.min.js: Dash's renderer asks for it by a fixed
# URL) gets its 304 without the file being read and hashed again.
_static_cache: dict[tuple[str, bytes, int, str], bytes] = {}
_static_etags: dict[tuple[str, bytes, str | None], str] = {}
_static_bytes = 0
_static_lock = threading.Lock()


def choose_encoding(accept_encoding: str) -> str | None:
    """'br' or 'gzip' (brotli first on a tie), or None when the client accepts neither.

    Follows RFC 9110 section 12.5.3: q=0 refuses a coding, '*' stands for any coding not named.
    """
    weights: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip()
        if not name:
            continue
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                weight = 0.0
        weights[name] = weight
    best, best_weight = None, 0.0
    for coding in ("br", "gzip"):
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def accepted_coding(request: Request) -> str | None:
    """The content coding this request's answer is sent in ('br', 'gzip' or None)."""
    return choose_encoding(request.headers.get("Accept-Encoding", ""))


def compress(data: bytes, coding: str, level: int) -> bytes:
    """The data in the content coding ('br' or 'gzip')."""
    if coding == "br":
        return bytes(brotli.compress(data, quality=level))
    return gzip.compress(data, compresslevel=level, mtime=0)


def _file_key(request: Request) -> str:
    """The static file a URL names: Dash's bundle fingerprint (name.v1_2_3m456.js) removed."""
    return check_fingerprint(request.path)[0]


def _static_compressed(key: tuple[str, bytes, int, str], data: bytes, coding: str) -> bytes:
    global _static_bytes
    with _static_lock:
        found = _static_cache.get(key)
    if found is not None:
        return found
    packed = compress(data, coding, STATIC_LEVELS[coding])
    with _static_lock:
        if key not in _static_cache and _static_bytes + len(packed) <= STATIC_CACHE_LIMIT:
            _static_cache[key] = packed
            _static_bytes += len(packed)
    return packed


def not_modified(request: Request) -> Response | None:
    """A 304 for a static file the browser already has in the version we last sent, or None.

    Files do not change under a running server (Dash's bundles come from installed packages;
    the page links assets by modification time), so the ETag we sent still holds.
    """
    if not request.if_none_match:
        return None
    coding = accepted_coding(request)
    etag = _static_etags.get((request.path, request.query_string, coding))
    if etag is None or not request.if_none_match.contains(etag):
        return None
    response = Response(status=304)
    response.set_etag(etag)
    response.vary.add("Accept-Encoding")
    return response


def compress_response(request: Request, response: Response, static: bool) -> Response:
    """Compress the response's body in place when the client accepts it and it is worth it."""
    response.vary.add("Accept-Encoding")
    coding = accepted_coding(request)
    if (
        coding is not None
        and response.status_code == 200
        and not (response.is_streamed and not static)  # static files stream from disk
        and response.mimetype in COMPRESSIBLE
        and "Content-Encoding" not in response.headers
        and request.method != "HEAD"
    ):
        response.direct_passthrough = False  # static files arrive as a file wrapper
        data = response.get_data()
        if len(data) >= MIN_SIZE:
            if static:
                key = (_file_key(request), request.query_string, len(data), coding)
                packed = _static_compressed(key, data, coding)
            else:
                packed = compress(data, coding, DYNAMIC_LEVELS[coding])
            response.set_data(packed)
            response.headers["Content-Encoding"] = coding
            etag, weak = response.get_etag()
            if etag:  # each coding is a different representation (RFC 9110 section 8.8.3)
                response.set_etag(f"{etag}-{coding}", weak=bool(weak))
                # The view compared If-None-Match with the plain ETag; compare with this one.
                response.make_conditional(request)
    etag = response.get_etag()[0]
    if static and etag and response.status_code in (200, 304):
        with _static_lock:  # what this URL is, for a client asking for this coding
            _static_etags[(request.path, request.query_string, coding)] = etag
    return response


def precompress(app: dash.Dash) -> int:
    """Compress every bundle and asset the app can serve, before workers start; returns bytes.

    Called once in gunicorn's master process (the app is preloaded there): the forked workers
    share the results, so no visitor waits for brotli. The page itself is requested first,
    which makes Dash register its bundles (its first-request setup).
    """
    client = app.server.test_client()
    prefix = app.config.requests_pathname_prefix
    html = client.get(prefix).get_data(as_text=True)
    urls = set(re.findall(r'(?:src|href)="([^"]+)"', html))
    for package, paths in app.registered_paths.items():
        urls.update(
            f"{prefix}_dash-component-suites/{package}/{path}"
            for path in paths
            if not path.endswith(".map")
        )
    for url in sorted(u for u in urls if u.startswith(prefix) and "//" not in u):
        for coding in STATIC_LEVELS:
            client.get(url, headers={"Accept-Encoding": coding})
    return _static_bytes

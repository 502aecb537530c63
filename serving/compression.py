"""Compressed responses: brotli or gzip, whichever the client's Accept-Encoding prefers.

Static files (Dash's component bundles under /_dash-component-suites/, our /assets/, the
favicon) are the same bytes on every request: each is compressed once per worker at a high
level and the result kept (plotly.min.js, 4.8 MB: brotli 9 gives 1.23 MB in about 0.4 s, gzip 9
1.47 MB in 0.18 s; brotli 11 would save 0.1 MB more for 9 s of CPU). Everything else (pages,
callback JSON) is compressed per request at a fast level.

Why not Dash's `compress=True`: it installs flask-compress with gzip only (Dash 4.4's
backends/_flask.py sets COMPRESS_ALGORITHM to ["gzip"]) and compresses plotly.min.js again on
every request; flask-compress's own cache is keyed by request alone, so it cannot be turned on
for static files and off for callback answers.
"""

from __future__ import annotations

import gzip
import threading

import brotli
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

_static_cache: dict[tuple[str, str, str], bytes] = {}
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


def compress(data: bytes, coding: str, level: int) -> bytes:
    """The data in the content coding ('br' or 'gzip')."""
    if coding == "br":
        return bytes(brotli.compress(data, quality=level))
    return gzip.compress(data, compresslevel=level, mtime=0)


def _static_compressed(key: tuple[str, str, str], data: bytes, coding: str) -> bytes:
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


def compress_response(request: Request, response: Response, static: bool) -> Response:
    """Compress the response's body in place when the client accepts it and it is worth it."""
    response.vary.add("Accept-Encoding")
    if (
        response.status_code != 200
        or (response.is_streamed and not static)  # static files stream from disk: read them
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or request.method == "HEAD"
    ):
        return response
    coding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if coding is None:
        return response
    response.direct_passthrough = False  # static files arrive as a file wrapper
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    if static:
        key = (request.full_path, coding, response.get_etag()[0] or str(len(data)))
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
    return response

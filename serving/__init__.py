"""Serving the dashboard in production: what the app does per request, and the server process.

`install(app)` adds, at the Flask level (no page is touched):
- guards.py: a 1 MB request body limit (413), 4xx for malformed callback requests, 404 for
  unknown bundle paths;
- headers.py: Content-Security-Policy and the other security headers, cache lifetimes (a year
  for fingerprinted URLs, revalidation for everything else), the data version;
- compression.py: brotli or gzip for pages, callback answers and Dash's own bundles;
- cache.py: callback answers kept per database version and request (one computation for a
  view many readers open), and the first layouts of first_layout.py per page address.
`server.py` runs the app under gunicorn (waitress where gunicorn cannot run).
"""

from __future__ import annotations

import json

import dash
from flask import Response, request
from werkzeug.exceptions import HTTPException

from serving import cache, compression, guards, headers


def install(app: dash.Dash) -> None:
    """Add the guards, headers and compression to the Dash app's Flask server."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = guards.MAX_BODY_BYTES
    prefix = app.config.routes_pathname_prefix
    callback_path = f"{prefix}_dash-update-component"
    suites_path = f"{prefix}_dash-component-suites/"
    layout_path = f"{prefix}_dash-layout"  # with the page in it (first_layout.py)

    # Registered after Dash's own before_request hooks (its first-request setup, which fills
    # the callback map and the registered bundle paths), so those run first.
    @server.before_request
    def check_request() -> Response | None:
        refused = guards.check_size(request)
        if refused is None and request.method == "POST" and request.path == callback_path:
            refused = guards.check_callback(app, request)
            if refused is None:
                return cache.lookup(app, request, compression.accepted_coding(request))
        if refused is None and request.method == "GET" and request.path == layout_path:
            return cache.lookup_layout(app, request, compression.accepted_coding(request))
        if refused is None and request.path.startswith(suites_path):
            refused = guards.check_component_suite(app, request)
        if refused is None and request.method == "GET" and headers.is_static(app, request):
            return compression.not_modified(request)
        return refused

    @server.after_request
    def finish_response(response: Response) -> Response:
        headers.set_headers(app, request, response)
        static = headers.is_static(app, request)
        if not static:
            version = headers.data_version()
            if version:
                response.headers["X-Barometer-Data"] = version
        if request.path == layout_path:
            response.vary.add("Referer")  # the layout is the page's (first_layout.py)
        cache.keep(response)
        response = compression.compress_response(request, response, static=static)
        cache.keep(response)
        return response

    @server.teardown_request
    def end_request(_error: BaseException | None) -> None:
        cache.release()

    @server.errorhandler(HTTPException)
    def short_http_error(error: HTTPException) -> Response:
        # Werkzeug's default is an HTML page; a short JSON line says the same. For a 500 Flask
        # has logged the traceback already; the answer never shows it.
        code = error.code or 500
        message = error.description if code < 500 else "internal server error"
        response = Response(
            json.dumps({"error": message}), status=code, mimetype="application/json"
        )
        allowed = getattr(error, "valid_methods", None)
        if allowed:  # 405 says what is allowed
            response.headers["Allow"] = ", ".join(allowed)
        return response

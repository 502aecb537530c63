"""The download routes.

`/files/<snapshot>/<name>`: the catalogue files of exports/downloads.py, made once per snapshot.
`/export?indicator=&format=&municipalities=&peers=&snapshot=&from=&lang=`: what `barometer
export` writes, made at the request (a chart as PNG or SVG, a deck as PPTX, a data package or
workbook for a selection).

A bad request (unknown snapshot, indicator or municipality, an empty selection, a name we do
not make) is answered with a sentence saying what would work (404 for what does not exist, 400
for a request that cannot be made, 503 when no browser can draw a chart); nothing partial is
ever served: a file is made whole before its first byte is sent.
"""

from __future__ import annotations

import hashlib

import flask

from errors import BarometerError
from exports.downloads import EXPORT_ROUTE, ROUTE, make, parse_name, shelf
from exports.render import RenderError
from exports.run import MEDIA_TYPES, ExportRequest, export_bytes
from indicators.registry import list_indicators
from locales import normalise_language
from views.snapshots import UnknownSnapshot, resolve_snapshot


def _answer(status: int, text: str) -> flask.Response:
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def _refused(exc: BarometerError, lang: str) -> flask.Response:
    """The answer to a request that cannot be served, in the reader's language."""
    status = (
        404 if isinstance(exc, UnknownSnapshot) else 503 if isinstance(exc, RenderError) else 400
    )
    return _answer(status, exc.describe(lang))


def serve_file(snapshot_name: str, name: str) -> flask.Response:
    """The route: the file, or a 404 saying what exists."""
    request = parse_name(name)
    if request is None:
        ids = ", ".join(["all", *(i.id for i in list_indicators())])
        return _answer(
            404,
            f"There is no file “{name}”. Files are <what>.zip (data package), "
            f"<what>-spreadsheet.zip or <what>.xlsx, where <what> is one of: {ids}.",
        )
    try:
        snapshot = resolve_snapshot(snapshot_name)
        info = make(shelf(snapshot), name, request)
    except BarometerError as exc:
        return _refused(exc, "en")
    download = f"barometer-{snapshot.id or 'latest'}-{name}"
    response = flask.send_file(
        info.path,
        mimetype=MEDIA_TYPES[name.rsplit(".", 1)[1]],
        as_attachment=True,
        download_name=download,
        etag=info.sha256,
        conditional=True,
    )
    response.headers["X-Checksum-SHA256"] = info.sha256
    return response


def read_request(args: dict[str, str]) -> ExportRequest:
    """An export request from the route's query string (as `barometer export` takes it)."""
    codes = [c.strip() for c in args.get("municipalities", "").split(",") if c.strip()]
    return ExportRequest(
        indicator=args.get("indicator", "").strip(),
        format=args.get("format", "").strip(),
        municipalities=codes,
        snapshot=args.get("snapshot", "").strip() or None,
        variant=args.get("variant", "plain").strip(),
        peers=args.get("peers", "").strip(),
        lang=normalise_language(args.get("lang")),
        since=args.get("from", "").strip() or None,
    )


def serve_export() -> flask.Response:
    """The route: the export's bytes as an attachment, or a sentence saying what would work."""
    request = read_request(flask.request.args.to_dict())
    try:
        data, name = export_bytes(request)
    except BarometerError as exc:
        return _refused(exc, request.lang)
    response = flask.Response(data, mimetype=MEDIA_TYPES[name.rsplit(".", 1)[1]])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Checksum-SHA256"] = hashlib.sha256(data).hexdigest()
    response.headers["Cache-Control"] = "no-store"  # "latest" is other data tomorrow
    return response


def register(server: flask.Flask) -> None:
    """Add the routes to the app's Flask server."""
    server.add_url_rule(f"{ROUTE}/<path:snapshot_name>/<name>", "barometer_files", serve_file)
    server.add_url_rule(EXPORT_ROUTE, "barometer_export", serve_export)

"""The route `/files/<snapshot>/<name>`: the download files of exports/downloads.py.

A bad request (unknown snapshot or indicator, a name we do not make) is answered 404 with a
sentence saying what exists; nothing partial is ever served.
"""

from __future__ import annotations

import flask

from errors import BarometerError
from exports.downloads import ROUTE, make, parse_name
from exports.run import MEDIA_TYPES
from indicators.registry import list_indicators


def _answer(status: int, text: str) -> flask.Response:
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def serve_file(snapshot_name: str, name: str) -> flask.Response:
    """The route: the file, or a 404 saying what exists."""
    from views.snapshots import UnknownSnapshot, resolve_snapshot

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
        info = make(snapshot, name, request)
    except UnknownSnapshot as exc:
        return _answer(404, str(exc))
    except BarometerError as exc:
        return _answer(400, str(exc))
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


def register(server: flask.Flask) -> None:
    """Add the route to the app's Flask server."""
    server.add_url_rule(f"{ROUTE}/<path:snapshot_name>/<name>", "barometer_files", serve_file)

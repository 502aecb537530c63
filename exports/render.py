"""Charts as PNG or SVG, rendered on the server by Kaleido in the system's Chromium.

Kaleido 1.x drives an installed Chrome or Chromium over the DevTools protocol (through the
choreographer package); it downloads a browser only when asked to (`kaleido.get_chrome`),
which we never do. We name the browser ourselves: BAROMETER_CHROMIUM, else `chromium` or
`chromium-browser` on the PATH (Debian's package installs /usr/bin/chromium); none found is a
clear error. MathJax is switched off (Kaleido would fetch it from a CDN otherwise) and
plotly.js comes from the installed plotly package. (kaleido 1.5.0: `Kaleido(path=...,
mathjax=False)`; `start_sync_server` keeps one browser open for every later call.)

The browser is started at the first image a process renders and kept warm for the next ones;
one render at a time per process (Kaleido's sync server is one queue).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from typing import Any

from errors import BarometerError
from locales import N_

FORMATS = ("png", "svg")
# Kaleido and choreographer log every tab they open at INFO: keep the operator's log readable.
for _name in ("kaleido", "choreographer"):
    logging.getLogger(_name).setLevel(logging.WARNING)
_lock = threading.Lock()
_started = {"browser": ""}


class RenderError(BarometerError):
    """An image could not be rendered (no browser, or the browser failed)."""


def browser_path() -> str:
    """The Chromium to render with; RenderError naming what to install when there is none."""
    wanted = os.environ.get("BAROMETER_CHROMIUM")
    found = wanted or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found or not os.path.exists(found):
        raise RenderError(
            N_(
                "Images are drawn by Chromium on the server, and none was found: whoever "
                "runs the barometer can install the chromium package."
            )
        )
    return found


def render_figure(figure: dict[str, Any], fmt: str, width: int, height: int) -> bytes:
    """A Plotly figure (dict) as PNG or SVG bytes at width x height CSS pixels."""
    import kaleido

    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    path = browser_path()
    opts = {"format": fmt, "width": width, "height": height, "scale": 2 if fmt == "png" else 1}
    with _lock:
        if _started["browser"] != path:
            if _started["browser"]:
                kaleido.stop_sync_server(silence_warnings=True)
            kaleido.start_sync_server(
                path=path, mathjax=False, n=1, timeout=60, silence_warnings=True
            )
            _started["browser"] = path
        try:
            image = kaleido.calc_fig_sync(figure, opts=opts)
        except Exception as exc:  # the browser died or refused: say so, start afresh next time
            kaleido.stop_sync_server(silence_warnings=True)
            _started["browser"] = ""
            raise RenderError(
                N_("The chart could not be drawn: {reason}"), reason=str(exc)
            ) from exc
    return bytes(image)


def stop() -> None:
    """Close the warm browser (tests, shutdown)."""
    import kaleido

    with _lock:
        if _started["browser"]:
            kaleido.stop_sync_server(silence_warnings=True)
            _started["browser"] = ""

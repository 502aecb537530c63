"""The frame every page shares: data-status banner, navigation and the language switch.

Each page wraps its content with `page_frame`, passing its own path and query, so the
language switch and the navigation links keep the rest of the view's state in the URL.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from dash import Input, Output, clientside_callback, dcc, html

from components import ids
from errors import BarometerError
from locales import LANGUAGE_CHOICES, N_, _
from views.params import with_query

log = logging.getLogger(__name__)

NAVIGATION = (
    ("/", N_("Municipality")),
    ("/compare", N_("Compare")),
    ("/trend", N_("Trends")),
    ("/map", N_("Map")),
    ("/indicator", N_("Indicators")),
    ("/about", N_("About the data")),
)


def build_banner(lang: str) -> html.Div:
    """A banner saying the figures are simulated, or that the data cannot be read."""
    from queries.values import get_data_status

    try:
        is_demo = get_data_status().is_demo
    except BarometerError as exc:
        return html.Div(str(exc), className="banner banner-problem", role="alert")
    except Exception:
        log.exception("could not read the data status")
        problem = "The data status could not be read."
        return html.Div(problem, className="banner banner-problem", role="alert")
    if not is_demo:
        return html.Div(className="banner-none")
    return html.Div(
        [
            html.Strong(_("Demo data: simulated figures", lang)),
            " — ",
            _(
                "Not official statistics. Run “barometer refresh” with "
                "internet access to load Statistics Denmark and Statistics "
                "Norway.",
                lang,
            ),
        ],
        className="banner banner-demo",
        role="status",
        id="demo-banner",
    )


def build_header(lang: str, path: str, query: dict[str, str | None]) -> html.Header:
    """Site title, navigation (keeping the language) and the language switch."""
    links = [
        dcc.Link(_(label, lang), href=with_query(href, {"lang": lang}), className="nav-link")
        for href, label in NAVIGATION
    ]
    switch = [
        dcc.Link(
            name,
            href=with_query(path, {**query, "lang": code}),
            className="lang-link" + (" lang-current" if code == lang else ""),
            id=f"lang-{code}",
            title=name,
        )
        for code, name in LANGUAGE_CHOICES
    ]
    return html.Header(
        [
            dcc.Link(
                _("Integration Barometer", lang),
                href=with_query("/", {"lang": lang}),
                className="brand",
            ),
            html.Nav(links, className="nav", **{"aria-label": "main"}),  # type: ignore[arg-type]
            html.Div(
                switch,
                className="lang-switch",
                **{"aria-label": _("Language", lang)},  # type: ignore[arg-type]
            ),
        ],
        className="header",
    )


def tab_title(title: str | None, lang: str) -> str:
    """The browser tab's title: the page's own, then the app's name, in the reader's language."""
    app = _("Integration Barometer", lang)
    return _("{page} – {app}", lang, page=title, app=app) if title else app


def page_frame(
    children: list | html.Div,
    lang: str,
    path: str,
    query: dict[str, str | None] | None = None,
    title: str | None = None,
) -> html.Div:
    """Banner, header and the page's content, in the page's language.

    `title` names the page in the browser tab; the tab and `<html lang>` are set in the browser
    from the PAGE_META store (the clientside callback below), since Dash Pages navigates without
    reloading the document.
    """
    return html.Div(
        [
            dcc.Store(id=ids.PAGE_META, data={"title": tab_title(title, lang), "lang": lang}),
            html.Div(id=ids.PAGE_META_DONE, hidden=True),
            build_banner(lang),
            build_header(lang, path, query or {}),
            html.Main(children, className="page", lang=lang),
        ],
        className="shell",
    )


# The tab title and the document's language follow the page shown. Dash Pages sets
# document.title itself after each navigation (from the registry's English title); this runs
# after it, in the next task of the event loop.
clientside_callback(
    """
    function(meta) {
        if (meta) {
            window.setTimeout(function () {
                document.title = meta.title;
                document.documentElement.lang = meta.lang;
            }, 0);
        }
        return "";
    }
    """,
    Output(ids.PAGE_META_DONE, "children"),
    Input(ids.PAGE_META, "data"),
)


def safe_layout(layout: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a page's layout so an unexpected error shows a short message, not a traceback.

    User-facing errors (BarometerError) show their own message; anything else is logged with
    its traceback and shown as a generic sentence.
    """

    @functools.wraps(layout)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return layout(*args, **kwargs)
        except BarometerError as exc:
            message = str(exc)
        except Exception:
            log.exception("page layout failed")
            message = "Something went wrong while building this page. It has been logged."
        lang = kwargs.get("lang") if kwargs.get("lang") in ("en", "da", "nb") else "en"
        body = html.Div([html.H1("Sorry"), html.P(message)], className="not-found")
        return page_frame(body, str(lang), "/", {})

    return wrapper

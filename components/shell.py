"""The frame every page shares: data-status banner, navigation, language switch, and the one
place errors and problems with the address are shown.

Each page wraps its content with `page_frame`, passing its own path and query, so the
language switch and the navigation links keep the rest of the view's state in the URL.

Errors (one surface for all pages):
* a layout that raises is caught by `safe_layout`, a callback that raises by `on_callback_error`
  (Dash's `on_error` hook, installed in app.py); both show `error_box` in the page frame;
* a BarometerError shows its own message in the reader's language; anything else is logged with
  its traceback and the reader sees one short generic sentence;
* something in the address the page cannot show (an unknown code, a period the indicator lacks)
  is not an error but a `Problem` (views/problems.py), drawn by `build_problem`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import dash
import flask
from dash import Input, Output, clientside_callback, dcc, html, set_props

from components import ids
from components.plain import plain_parts
from errors import BarometerError
from locales import LANGUAGE_CHOICES, _, normalise_language
from serving.cache import do_not_keep
from views.links import Context, nav_links
from views.params import query_of, with_query
from views.problems import Problem

log = logging.getLogger(__name__)


def build_banner(lang: str) -> html.Div:
    """A banner saying the figures are simulated, or that the data cannot be read."""
    from queries.values import get_data_status

    try:
        is_demo = get_data_status().is_demo
    except Exception as exc:  # the banner must never take the page down with it
        return html.Div(error_text(exc, lang), className="banner banner-problem", role="alert")
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


def build_header(
    lang: str, path: str, query: dict[str, str | None], context: Context | None = None
) -> html.Header:
    """Site title, navigation (keeping the reader's context, views/links.py) and the language
    switch (keeping the page's own query)."""
    links = [
        dcc.Link(_(label, lang), href=href, className="nav-link", id=f"{ids.NAV}-{key}")
        for key, label, href in nav_links(context, lang)
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
            html.Nav(
                links,
                className="nav",
                **{"aria-label": _("Main navigation", lang)},  # type: ignore[arg-type]
            ),
            html.Div(
                switch,
                className="lang-switch",
                role="group",
                **{"aria-label": _("Language", lang)},  # type: ignore[arg-type]
            ),
        ],
        className="header",
    )


def tab_title(title: str | None, lang: str) -> str:
    """The browser tab's title: the page's own, then the app's name, in the reader's language."""
    app = _("Integration Barometer", lang)
    return _("{page} – {app}", lang, page=title, app=app) if title else app


def register_page(module: str, title: str, preload: tuple[str, ...] = (), **where: str) -> None:
    """Register a page with Dash Pages under its tab title in English (the page frame writes
    the reader's language's); `where` is its path= or path_template=, `preload` the components
    whose code loads with the page (app.py, preload_scripts). Keep the name: Dash Pages imports
    only the files of pages/ whose text says "register_page" (dash/_pages.py)."""
    dash.register_page(module, title=tab_title(title, "en"), preload=preload, **where)


def page_frame(
    children: list | html.Div,
    lang: str,
    path: str,
    query: dict[str, str | None] | None = None,
    title: str | None = None,
    context: Context | None = None,
    live_links: bool = False,
) -> html.Div:
    """Banner, header and the page's content, in the page's language.

    `context` is what the page shows as far as other pages can use it (views/links.py): the
    navigation links keep it. A skip link leads past the header to the content.

    `title` names the page in the browser tab; the tab and `<html lang>` are set in the browser
    from the PAGE_META store (the clientside callback below), since Dash Pages navigates without
    reloading the document.

    The skip link, banner and header go as Plain components (components/plain.py) unless
    `live_links`: a page whose callbacks rewrite the navigation links (Compare) says so.
    """
    top = [
        html.A(_("Skip to content", lang), href=f"#{ids.MAIN}", className="skip-link"),
        build_banner(lang),
        build_header(lang, path, query or {}, context),
    ]
    return html.Div(
        [
            dcc.Store(id=ids.PAGE_META, data={"title": tab_title(title, lang), "lang": lang}),
            html.Div(id=ids.PAGE_META_DONE, hidden=True),
            *(top if live_links else plain_parts(top)),
            html.Div(id=ids.ERROR, className="error-area", role="alert"),
            html.Main(children, className="page", lang=lang, id=ids.MAIN, tabIndex="-1"),
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


def error_text(exc: Exception, lang: str) -> str:
    """What the reader is told about an error: its own message, or one generic sentence.

    Anything but a BarometerError is a bug: it is logged here with its traceback. An answer
    showing an error is never kept by the answer cache (serving/cache.py).
    """
    do_not_keep()
    if isinstance(exc, BarometerError):
        return exc.describe(lang)
    log.error("unexpected error", exc_info=exc)
    return _("Something went wrong while building this page. It has been logged.", lang)


def error_box(exc: Exception, lang: str) -> html.Div:
    """The one designed box for an error, in the reader's language."""
    return html.Div(
        [html.H2(_("Sorry", lang)), html.P(error_text(exc, lang))],
        className="error-box",
    )


def build_problem(problem: Problem) -> html.Div:
    """The one designed box for something in the address that cannot be shown: what is wrong,
    and links to what would work instead (views/problems.py makes the Problem)."""
    links = html.Ul(
        [html.Li(dcc.Link(link.label, href=link.href)) for link in problem.links],
        id=ids.PROBLEM_LINKS,
        className="problem-links",
    )
    return html.Div(
        [
            html.H1(problem.title),
            html.P(problem.message),
            html.P(problem.links_intro) if problem.links and problem.links_intro else None,
            links if problem.links else None,
            *(html.P(note, className="note") for note in problem.notes),
        ],
        className="not-found problem",
        id=ids.PROBLEM,
        role="alert",
    )


def view_page(
    view: Any,
    build: Callable[[Any], list],
    lang: str,
    path: str,
    query: dict[str, str | None],
    title: str,
    context: Context | None = None,
) -> html.Div:
    """The page for a view the URL asked for (drawn by `build`), or the problem with it."""
    body = build_problem(view) if isinstance(view, Problem) else build(view)
    return page_frame(body, lang, path, query, title, context)


def safe_layout(layout: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a page's layout so an error shows the error box in the page frame, not a traceback."""

    @functools.wraps(layout)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return layout(*args, **kwargs)
        except Exception as exc:
            lang = normalise_language(kwargs.get("lang"))
            return page_frame(error_box(exc, lang), lang, "/", {}, _("Sorry", lang))

    return wrapper


def on_callback_error(exc: Exception) -> None:
    """Dash's `on_error` hook for every callback: the error box in the page's frame.

    The reader's language is in the address of the page that made the request (the Referer of
    Dash's callback request); the callback's outputs stay as they were.
    """
    page = flask.request.referrer if flask.has_request_context() else None
    lang = normalise_language(query_of(urlsplit(page or "").query).get("lang"))
    set_props(ids.ERROR, {"children": error_box(exc, lang)})

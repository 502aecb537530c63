"""Presentation mode: `/present?municipalities=&indicators=&peers=&from=&slide=&lang=`.

Full-screen slides for a network meeting (views/present.py decides what they say). No header,
navigation or controls: the keyboard moves the deck (assets/present.js, loaded as a file, so
the content security policy holds): Right, Space and PageDown go on, Left and PageUp back,
F toggles full screen, Escape leaves; the slide number follows in the address.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from components import ids
from components.present import build_deck
from components.shell import build_problem, error_box, register_page, tab_title
from locales import _, normalise_language
from views.params import one, read_query, with_query
from views.present import PATH, Deck, read_deck
from views.problems import Problem

register_page(
    __name__, "Presentation", ("Chart",), path=PATH
)  # app.py preloads the Chart's code (plotly.js)


def leave_href(deck: Deck, lang: str) -> str:
    """Where Escape leads: the first municipality's page with the same peers."""
    code = deck.municipalities[0].code
    return with_query(f"/kommune/{code}", {"peers": deck.peers or None, "lang": lang})


def frame(children: Any, lang: str, title: str) -> html.Div:
    """The deck's own frame: the tab title and language, and nothing else on screen."""
    return html.Div(
        [
            dcc.Store(id=ids.PAGE_META, data={"title": tab_title(title, lang), "lang": lang}),
            html.Div(id=ids.PAGE_META_DONE, hidden=True),
            html.Div(id=ids.ERROR, className="error-area", role="alert"),
            children,
        ],
        className="present-shell",
    )


# A query parameter as Dash Pages passes it: its text, or a list when it is repeated.
Query = str | list[str] | None


def layout(**params: Query) -> html.Div:
    """The deck the URL asks for: municipalities, indicators, peers, from (a pinned snapshot),
    slide, lang."""
    lang = normalise_language(one(params.get("lang")))
    title = _("Presentation", lang)
    q = read_query(params, "municipalities", "indicators", "peers", "from", "slide")
    try:
        deck = read_deck(
            q["municipalities"], q["indicators"], q["peers"], q["from"], q["slide"], lang
        )
    except Exception as exc:  # the one error surface, in the deck's own frame
        return frame(html.Main(error_box(exc, lang), className="page"), lang, title)
    if isinstance(deck, Problem):
        return frame(html.Main(build_problem(deck), className="page"), lang, title)
    return frame(build_deck(deck, leave_href(deck, lang), lang), lang, title)

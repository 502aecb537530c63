"""The page for any unknown address."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.shell import page_frame, safe_layout
from locales import _, normalise_language
from views.params import with_query

dash.register_page(__name__, title="Page not found")


@safe_layout
def layout(lang: str | None = None, **_ignored: str) -> html.Div:
    lang = normalise_language(lang)
    content = html.Div(
        [
            html.H1(_("Page not found", lang)),
            html.P(_("There is no page at this address.", lang)),
            dcc.Link(
                _("Go to the list of municipalities", lang), href=with_query("/", {"lang": lang})
            ),
        ],
        className="not-found",
    )
    return page_frame(content, lang, "/", {}, _("Page not found", lang))

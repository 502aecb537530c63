"""The page for any unknown address."""

from __future__ import annotations

import dash
from dash import dcc, html

from components.i18n import normalise_language, t, with_query
from components.shell import page_frame, safe_layout

dash.register_page(__name__, title="Page not found")


@safe_layout
def layout(lang: str | None = None, **_query: str) -> html.Div:
    lang = normalise_language(lang)
    content = html.Div(
        [
            html.H1(t("not_found_title", lang)),
            html.P(t("not_found_text", lang)),
            dcc.Link(t("go_home", lang), href=with_query("/", {"lang": lang})),
        ],
        className="not-found",
    )
    return page_frame(content, lang, "/", {})

"""Home: pick a municipality."""

from __future__ import annotations

import dash
from dash import html

from components.i18n import normalise_language, t
from components.picker import build_picker_section
from components.shell import page_frame, safe_layout

dash.register_page(__name__, path="/", title="Integration Barometer")


@safe_layout
def layout(lang: str | None = None, **_query: str) -> html.Div:
    lang = normalise_language(lang)
    content = [
        html.H1(t("app_title", lang)),
        html.P(t("home_intro", lang)),
        build_picker_section(None, lang),
    ]
    return page_frame(content, lang, "/", {})

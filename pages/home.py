"""Home: pick a municipality."""

from __future__ import annotations

import dash
from dash import html

from components.picker import build_picker_section
from components.shell import page_frame, safe_layout
from locales import _, normalise_language

dash.register_page(
    __name__,
    path="/",
    title="Integration Barometer",
    preload=("Dropdown",),  # app.py: its code loads with the page
)


@safe_layout
def layout(lang: str | None = None, **_ignored: str) -> html.Div:
    lang = normalise_language(lang)
    content = [
        html.H1(_("Integration Barometer", lang)),
        html.P(
            _(
                "How residents of non-Western origin fare in each Danish and "
                "Norwegian municipality, beside the national figure. Choose "
                "a municipality:",
                lang,
            )
        ),
        build_picker_section(None, lang),
    ]
    return page_frame(content, lang, "/", {})

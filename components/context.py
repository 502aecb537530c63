"""Context blocks of the municipality page: facts to read the scorecard with, not indicators
(nothing ranked, no traffic light)."""

from __future__ import annotations

from dash import html

from locales import N_, _
from locales.numbers import format_count, format_percent
from queries.context import ResidenceBasis

BASIS_WORDS = {
    "asylum": N_("Asylum"),
    "refugee_family": N_("Family reunification with a refugee"),
    "family": N_("Other family reunification"),
    "work": N_("Work"),
    "study": N_("Study"),
    "eu": N_("Other EU citizens"),
    "nordic": N_("Nordic citizens"),
    "ukraine": N_("Ukraine (special act)"),
    "other": N_("Au pair and other"),
}


def build_residence_basis(basis: ResidenceBasis, name: str, lang: str) -> html.Section:
    """Immigrants by the residence permit they first came on, beside Denmark's mix."""
    head = html.Tr(
        [
            html.Th(_("First residence basis", lang), scope="col"),
            html.Th(name, scope="col"),
            html.Th(_("Denmark", lang), scope="col"),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Th(_(BASIS_WORDS[group.key], lang), scope="row"),
                html.Td(
                    format_percent(group.share, lang),
                    title=_("{n} persons", lang, n=format_count(group.count, lang)),
                ),
                html.Td(format_percent(group.national_share, lang)),
            ]
        )
        for group in basis.groups
    ]
    notes = [
        _(
            "Immigrants living here on 1 January {year} ({n} persons) by the residence basis "
            "of their first permit (Statistics Denmark, INDOPH1). Context to read the "
            "scorecard with, not an indicator: not ranked and not judged.",
            lang,
            year=basis.year,
            n=format_count(basis.total, lang),
        ),
        _(
            "Now holding a permanent residence permit: {here} here, {national} in Denmark "
            "(INDOPH3). Part of the residence bases are imputed by Statistics Denmark, and a "
            "change of basis counts as a new first permit.",
            lang,
            here=format_percent(basis.permanent, lang),
            national=format_percent(basis.permanent_national, lang),
        ),
    ]
    return html.Section(
        [
            html.H2(_("Context: why immigrants came", lang)),
            html.P(notes[0], className="note"),
            html.Div(
                html.Table([html.Thead(head), html.Tbody(rows)], className="context-table"),
                className="indicator-scroll",
            ),
            html.P(notes[1], className="note"),
        ],
        id="municipality-residence-basis",
        className="context-block",
    )

"""Something in the address a page cannot show, said the same way on every page.

A view function returns a `Problem` instead of a view when a parameter is unknown or cannot be
used (an unknown municipality code, a period the indicator lacks, a peer group without a focus):
what is wrong, in the reader's language, and links to the closest views that would work.
components/shell.build_problem draws it: one designed box for every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from locales import _


@dataclass(frozen=True)
class Link:
    """A link to show: its words and its address."""

    label: str
    href: str


@dataclass(frozen=True)
class Problem:
    """What cannot be shown and what would work instead (texts already in the reader's language).

    `kind` names the parameter at fault (indicator, municipality, period, peers, country,
    measure, unavailable, no_data) for tests and logs; `links_intro` introduces the links
    ("Did you mean:"); `notes` are further paragraphs.
    """

    kind: str
    title: str
    message: str
    links: list[Link] = field(default_factory=list)
    links_intro: str | None = None
    notes: list[str] = field(default_factory=list)


def not_published(
    message: str, title: str, where: str, lang: str, links: list[Link], intro: str | None = None
) -> Problem:
    """An indicator (`title`) not shown for a country (`where`, its name): the same heading on
    every page, and the page's own `message` (marked with N_, with {indicator} and {country})."""
    return Problem(
        "unavailable",
        _("Not published for {country}", lang, country=where),
        _(message, lang, indicator=title, country=where),
        links,
        intro,
    )

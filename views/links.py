"""Links that keep the reader's context: one place builds every navigation address.

A page says what it shows as a `Context` (municipalities, indicator, peer group, period,
country); `nav_links` turns it into the header's links, each keeping what its target page can
use, so moving from Ballerup's page to Compare keeps Ballerup, its indicator and its peers,
and the language always. `municipality_links` are the municipality page's "compare with
these peers" and "trends" for the same selection. No Dash here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from indicators.registry import get_indicator
from loaders.municipalities import find_municipality
from locales import N_

# Peer groups that need a focus municipality (chosen around it).
PEERS_AROUND_FOCUS = ("region", "size", "similar")


@dataclass(frozen=True)
class Context:
    """What the reader is looking at, as far as other pages can use it.

    `municipalities` are codes (the first is the focus); `peers` a `peers=` value; `period`
    belongs to `indicator` and is kept only together with it.
    """

    municipalities: tuple[str, ...] = ()
    indicator: str | None = None
    peers: str | None = None
    period: str | None = None
    country: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def focus(self) -> str | None:
        return self.municipalities[0] if self.municipalities else None


def address(path: str, query: dict[str, str | None], safe: str = ":,~") -> str:
    """`path` with the non-empty query values in a fixed (sorted) order, readable separators."""
    kept = [(k, v) for k, v in sorted(query.items()) if v]
    return f"{path}?{urlencode(kept, safe=safe)}" if kept else path


def _country(context: Context) -> str | None:
    """The context's country: the focus municipality's, else the one given."""
    found = find_municipality(context.focus or "")
    return found.country if found else context.country


def _indicator_for(context: Context, country: str | None) -> str | None:
    """The context's indicator where it is published for `country` (None otherwise)."""
    definition = get_indicator(context.indicator or "")
    if definition is None:
        return None
    if country is not None and country not in definition.countries:
        return None
    return definition.id


def _indicator_and_period(context: Context, country: str | None) -> dict[str, str | None]:
    """The query's indicator (where published for `country`) and, only with it, its period."""
    indicator = _indicator_for(context, country)
    return {"indicator": indicator, "period": context.period if indicator else None}


def municipality_href(context: Context, lang: str) -> str:
    """The municipality page of the focus (or home), with its indicator and peers."""
    focus = find_municipality(context.focus or "")
    if focus is None:
        return address("/", {"lang": lang})
    peers = context.peers if context.peers and context.peers != "all" else None
    if peers and peers.startswith("group:"):
        codes = peers.rpartition("~")[2].split(",")
        if any((m := find_municipality(c)) is None or m.country != focus.country for c in codes):
            peers = None
    return address(
        f"/kommune/{quote(focus.code)}",
        {"indicator": _indicator_for(context, focus.country), "peers": peers, "lang": lang},
    )


def compare_href(context: Context, lang: str) -> str:
    """Compare for the same indicator, period, focus and peer group."""
    country = _country(context)
    focus = context.focus if find_municipality(context.focus or "") else None
    peers = context.peers
    if peers and peers.split(":", 1)[0] in PEERS_AROUND_FOCUS and focus is None:
        peers = None
    return address(
        "/compare",
        {
            **_indicator_and_period(context, country),
            "peers": peers,
            "focus": focus,
            "country": None if focus else country,
            "lang": lang,
        },
    )


def trend_href(context: Context, lang: str) -> str:
    """Trends for the same municipalities (one country) and indicator."""
    country = _country(context)
    codes = [
        m.code
        for m in (find_municipality(c) for c in context.municipalities)
        if m is not None and (country is None or m.country == country)
    ]
    return address(
        "/trend",
        {
            "indicator": _indicator_for(context, country),
            "municipalities": ",".join(codes) or None,
            "lang": lang,
        },
    )


def map_href(context: Context, lang: str) -> str:
    """The map of the same indicator, period and country."""
    country = _country(context)
    query = {**_indicator_and_period(context, country), "country": country, "lang": lang}
    return address("/map", query)


def indicator_href(context: Context, lang: str) -> str:
    """The indicator catalogue (one indicator's page is linked from every page that shows it)."""
    return address("/indicator", {"lang": lang})


def about_href(context: Context, lang: str) -> str:
    return address("/about", {"lang": lang})


def download_href(context: Context, lang: str) -> str:
    """The download page for policymakers: the whole catalogue as citable files."""
    return address("/download", {"lang": lang})


# The header's navigation: (key, words, address builder). The key names the link's id.
NAVIGATION = (
    ("municipality", N_("Municipality"), municipality_href),
    ("compare", N_("Compare"), compare_href),
    ("trend", N_("Trends"), trend_href),
    ("map", N_("Map"), map_href),
    ("indicator", N_("Indicators"), indicator_href),
    ("about", N_("About the data"), about_href),
    ("download", N_("Download"), download_href),
)

NAV_KEYS = tuple(key for key, _label, _build in NAVIGATION)


def nav_links(context: Context | None, lang: str) -> list[tuple[str, str, str]]:
    """(key, English words, address) of every navigation link, keeping the context."""
    here = context or Context()
    return [(key, label, build(here, lang)) for key, label, build in NAVIGATION]

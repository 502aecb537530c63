"""A peer group's name, the same on every page and in every CSV (no Dash).

`peer_choice_label` names a kind of group where one is chosen (the municipality page's links,
the Compare page's dropdown); `peer_group_name` names a resolved group in a sentence ("Ranks
are among …", "Compared with: …", the CSV's header).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from locales import N_, _
from locales.numbers import format_number, list_words
from locales.words import STRUCTURE_WORDS, country_name, size_band_label, word
from queries.peers import PeerSet

# The kinds of group, in the order they are offered.
PEER_KINDS = ("all", "region", "size", "similar", "group")
CHOICES = {
    "all": N_("All municipalities"),
    "region": N_("Same region"),
    "size": N_("Same size band"),
    "similar": N_("Most similar"),
    "group": N_("Own group"),
}


def peer_choice_label(kind: str, country: str | None, lang: str) -> str:
    """The name of a kind of peer group ("Same county" for a Norwegian region)."""
    if kind == "region" and country == "NO":
        return _("Same county", lang)
    return _(CHOICES[kind], lang) if kind in CHOICES else kind


def peer_group_name(peers: PeerSet, country: str, focus_name: str | None, lang: str) -> str:
    """Who a view compares with, in words, e.g. "Ballerup and the 10 most similar
    municipalities" or "municipalities in Region Hovedstaden"."""
    if peers.kind == "region":
        return _("municipalities in {region}", lang, region=peers.label)
    if peers.kind == "size":
        band = size_band_label(peers.label, lang)
        return _("municipalities with {band} inhabitants", lang, band=band)
    if peers.kind == "similar" and focus_name:
        return _(
            "{name} and the {k} most similar municipalities",
            lang,
            name=focus_name,
            k=len(peers.codes) - 1,
        )
    if peers.kind == "group":
        return _("the group “{name}”", lang, name=peers.label)
    return _("all municipalities of {country}", lang, country=country_name(country, lang))


def reason_text(peer: Mapping[Any, Any], lang: str) -> str:
    """Why a similar municipality was chosen, in the reader's language: find_similar's row
    names the closest variables as codes (`closest` = "pop,share") with their distances in SD
    (`pop_sd`), e.g. "closest on population (0.05 SD) and non-Western share (0.24 SD)"."""
    names = [name for name in str(peer.get("closest") or "").split(",") if name]
    parts = [
        f"{word(STRUCTURE_WORDS, name, lang)} "
        f"({format_number(float(peer[name + '_sd']), lang, 2)} SD)"
        for name in names
    ]
    return _("closest on {what}", lang, what=list_words(parts, lang)) if parts else ""

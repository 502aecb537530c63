"""Naming a snapshot in an address or a command: `latest`, a pin label or a version id.

An unknown name is never an error page: the view gets a Problem with the closest names as
links (pages), the command an error naming them (`UnknownSnapshot`); both use the one
suggest().
"""

from __future__ import annotations

from collections.abc import Callable

from errors import BarometerError
from locales import N_, _
from queries.snapshots import Snapshot, find_snapshot, list_pinned, snapshot_names
from views.params import suggest
from views.problems import Link, Problem


class UnknownSnapshot(BarometerError):
    """A snapshot name that names none, with the closest names."""

    def __init__(self, name: str, closest: list[str]) -> None:
        super().__init__(
            N_(
                "“{name}” is not a snapshot. Closest: {closest}. "
                "`barometer snapshot list` shows every kept snapshot."
            ),
            name=name,
            closest=", ".join(f"“{c}”" for c in closest) or "latest",
        )
        self.name = name
        self.closest = closest


def closest_snapshots(name: str) -> list[str]:
    """The snapshot names closest to `name` (pin labels and ids; `latest` last)."""
    names = snapshot_names()
    found = suggest(name, names, count=3)
    return found or [n for n in names if n != "latest"][:3] or ["latest"]


def resolve_snapshot(name: str | None) -> Snapshot:
    """The snapshot `name` means (empty: latest); UnknownSnapshot otherwise."""
    wanted = (name or "").strip() or "latest"
    found = find_snapshot(wanted)
    if found is None:
        raise UnknownSnapshot(wanted, closest_snapshots(wanted))
    return found


def unknown_snapshot(name: str, href_for: Callable[[str], str], lang: str) -> Problem:
    """The problem for an address naming no snapshot, the closest ones as links."""
    return Problem(
        "snapshot",
        _("Unknown snapshot", lang),
        _(
            "“{name}” is not a kept snapshot of the data. Snapshots are named by the label "
            "they were pinned under, or “latest” for the newest data.",
            lang,
            name=name,
        ),
        [Link(n, href_for(n)) for n in closest_snapshots(name)],
        _("Did you mean:", lang),
    )


def latest_pinned(other_than: Snapshot | None = None) -> Snapshot | None:
    """The newest pinned snapshot that is not `other_than`'s file (the last meeting's data)."""
    for snapshot in list_pinned():
        if other_than is None or snapshot.id != other_than.id:
            return snapshot
    return None

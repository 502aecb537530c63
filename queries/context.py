"""Context for the scorecard, not indicators: who the immigrants of a Danish municipality are
by the residence permit they came on (Statistics Denmark's INDOPH1 and INDOPH3).

Nothing here is ranked or given a traffic light; it helps read the indicators (a municipality
that settled many refugees recently is not in the place of one whose immigrants came to work).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from queries.db import read_frame

# Groups of first residence basis (INDOPH1's OPHGR1 codes, josca42/varro_dst @d1d366b): key,
# codes. The words for each key are chosen at the edge (components/context.py).
BASIS_GROUPS = (
    ("asylum", ("13",)),
    ("refugee_family", ("14",)),
    ("family", ("15", "16")),
    ("work", ("501", "502")),
    ("study", ("601", "602")),
    ("eu", ("901",)),
    ("nordic", ("999",)),
    ("ukraine", ("52",)),
    ("other", ("701", "801")),
)
TOTAL, PERMANENT, NATIONAL = "0", "9998", "000"


@dataclass(frozen=True)
class BasisShare:
    """One group's immigrants in the municipality and its share there and in Denmark (%)."""

    key: str
    count: float | None
    share: float | None
    national_share: float | None


@dataclass(frozen=True)
class ResidenceBasis:
    """Immigrants on 1 January of `year` by first residence basis, and how many now hold a
    permanent permit (INDOPH3)."""

    year: str
    total: float | None
    groups: list[BasisShare]
    permanent: float | None  # % of the municipality's immigrants
    permanent_national: float | None


def _has(table: str) -> bool:
    found = read_frame(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?", [table]
    )
    return bool(found["n"].iloc[0])


Cells = dict[tuple[str, str], float | None]


def _cells(frame: pd.DataFrame) -> Cells:
    """(area, code) -> value, None where not published."""
    return {
        (str(a), str(c)): None if pd.isna(v) else float(v)
        for a, c, v in zip(frame["area"], frame["code"], frame["value"], strict=True)
    }


def _latest(table: str, variable: str, codes: list[str], area: str) -> tuple[str, pd.DataFrame]:
    """The newest year's cells of `codes` for the area and the whole country."""
    marks = ", ".join("?" for _ in codes)
    frame = read_frame(
        f"""
        SELECT "{variable}" AS code, omraade AS area, tid, value FROM "{table}"
        WHERE tid = (SELECT max(tid) FROM "{table}" WHERE value IS NOT NULL)
          AND omraade IN (?, ?) AND "{variable}" IN ({marks})
        """,  # noqa: S608  (constant table and variable names; values are bound)
        [area, NATIONAL, *codes],
    )
    year = str(frame["tid"].iloc[0]) if not frame.empty else ""
    return year, frame


def get_residence_basis(area: str) -> ResidenceBasis | None:
    """The residence-basis context of a Danish municipality; None without the tables."""
    if not _has("raw_dst_indoph1"):
        return None
    codes = [TOTAL, *[c for _, group in BASIS_GROUPS for c in group]]
    year, first = _latest("raw_dst_indoph1", "ophgr1", codes, area)
    if first.empty:
        return None
    cells = _cells(first)

    def total(where: str) -> float | None:
        value = cells.get((where, TOTAL))
        return None if value is None or value <= 0 else value

    def share(where: str, group: tuple[str, ...]) -> tuple[float | None, float | None]:
        parts = [cells.get((where, c)) for c in group]
        known = [p for p in parts if p is not None]
        if len(known) < len(parts):
            return None, None  # a part not published: no sum, never a smaller one
        count = sum(known)
        whole = total(where)
        return count, (100 * count / whole if whole else None)

    groups = []
    for key, group in BASIS_GROUPS:
        count, mine = share(area, group)
        _count, national = share(NATIONAL, group)
        groups.append(BasisShare(key, count, mine, national))
    permanent = permanent_national = None
    if _has("raw_dst_indoph3"):
        _year, now = _latest("raw_dst_indoph3", "ophgr2", [TOTAL, PERMANENT], area)
        held = _cells(now)

        def permanent_share(where: str) -> float | None:
            whole, part = held.get((where, TOTAL)), held.get((where, PERMANENT))
            if whole is None or part is None or whole <= 0:
                return None
            return 100 * part / whole

        permanent, permanent_national = permanent_share(area), permanent_share(NATIONAL)
    return ResidenceBasis(year, total(area), groups, permanent, permanent_national)

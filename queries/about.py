"""Reads for the indicator and about pages: build information, source tables, code labels.

Every value goes in as a bound parameter; the SQL text never contains user input.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from queries.db import read_frame
from queries.memo import per_database

PROVIDER_URLS = {
    "dst": "https://www.statbank.dk/{table}",
    "ssb": "https://www.ssb.no/statbank/table/{table}",
    # FHI and IMDi have no page per table: FHI's description of the table in its open API,
    # and the file IMDi's "download" button fetches.
    "fhi": "https://statistikk-data.fhi.no/api/open/v1/nokkel/table/{table}",
    "imdi": "https://app-simapi-prod.azurewebsites.net/download_csv/{level}/{table}",
}


@functools.lru_cache(maxsize=256)  # sources.yml is part of the code: read it once per table
def source_url(provider: str, table_id: str) -> str:
    """The provider's own page for a table (StatBank Denmark, Statistics Norway, FHI, IMDi).

    A table loaded twice is stored under a name made of its id and a suffix (sources.yml
    `name`, e.g. FOLK1E_MEN_15_29): its page is the table's."""
    pattern = PROVIDER_URLS.get(provider.lower())
    if not pattern:
        return ""
    table, level = stored_tables().get((provider, table_id), (table_id, None))
    return pattern.format(table=table, level=level or "k")


@functools.cache
def stored_tables() -> dict[tuple[str, str], tuple[str, str | None]]:
    """Each table's provider id and (IMDi) level by the name it is stored under.

    From sources.yml as it ships (the indicator page asks for every table it shows)."""
    from loaders.sources import shipped_sources

    return {(s.provider, s.key): (s.table, s.source.level) for s in shipped_sources()}


def display_title(title: Any, table_id: str) -> str:
    """A table's title without the "<id>: " prefix Statistics Norway puts in front of it."""
    if title is None or (not isinstance(title, str) and pd.isna(title)) or not str(title):
        return "—"
    prefix = f"{table_id}: "
    return str(title)[len(prefix) :] if str(title).startswith(prefix) else str(title)


@per_database()
def get_build_info() -> dict[str, str]:
    """The database's build information: source ("live" or "demo"), built_at, base URLs."""
    info = read_frame("SELECT key, value FROM build_info ORDER BY key")
    return dict(zip(info["key"], info["value"], strict=True))


@per_database()
def has_table(name: str) -> bool:
    """Whether the database has a table (an older database may lack a newer one)."""
    found = read_frame(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?", [name]
    )
    return bool(found["n"].iloc[0])


@per_database()
def list_source_tables(lang: str = "en") -> pd.DataFrame:
    """Every provider table in the database with its update and retrieval times.

    Columns: provider, table_id, title (in `lang` where the provider gives it, else English, else
    the title stored with the table), cells, provider_updated (the provider's own "updated"
    stamp from the table's metadata), requests (how many calls fetched it), first_retrieved and
    last_retrieved (UTC, from `provenance`) and url (the provider's page for the table).
    """
    title, titles = "s.title", ""
    if has_table("source_titles"):
        title = "coalesce(t.title, e.title, s.title)"
        titles = """
        LEFT JOIN source_titles t ON t.provider = s.provider AND t.table_id = s.table_id
             AND t.lang = ?
        LEFT JOIN source_titles e ON e.provider = s.provider AND e.table_id = s.table_id
             AND e.lang = 'en'"""
    frame = read_frame(
        f"""
        SELECT s.provider, s.table_id, {title} AS title, s.cells, s.provider_updated,
               count(p.part) AS requests,
               min(p.retrieved_at) AS first_retrieved, max(p.retrieved_at) AS last_retrieved
        FROM source_tables s {titles}
        LEFT JOIN provenance p ON p.provider = s.provider AND p.table_id = s.table_id
        GROUP BY ALL
        ORDER BY s.provider, s.table_id
        """,  # noqa: S608  (fixed SQL text; the language is a bound parameter)
        [lang] if titles else [],
    )
    frame["url"] = [
        source_url(p, t) for p, t in zip(frame["provider"], frame["table_id"], strict=True)
    ]
    return frame


LabelKey = tuple[str, str, str, str]
"""(provider, table_id, VARIABLE in upper case, code)."""


def label_key(provider: str, table_id: str, variable: str, code: str) -> LabelKey:
    """The key `list_code_labels` uses; variable names compare case-insensitively."""
    return provider.lower(), table_id.upper(), variable.upper(), code


def list_code_labels(
    selections: Iterable[tuple[str, str, Mapping[str, Sequence[str]]]], lang: str = "en"
) -> dict[LabelKey, str]:
    """The provider's labels for selected codes, from `table_labels`, in `lang` where the
    provider gives them (Statistics Denmark: en, da; Statistics Norway: en, nb), else English,
    else Norwegian (FHI and IMDi label in Norwegian only).

    `selections` holds (provider, table_id, {variable: [code, ...]}) triples, for example from
    an indicator's measures. Codes the database has no label for are simply absent.
    """
    wanted: set[LabelKey] = {
        label_key(provider, table, variable, code)
        for provider, table, select in selections
        for variable, codes in select.items()
        for code in codes
    }
    if not wanted:
        return {}
    tables = sorted({(provider, table) for provider, table, _, _ in wanted})
    where = " OR ".join("(lower(provider) = ? AND upper(table_id) = ?)" for _ in tables)
    params = [lang, *(value for pair in tables for value in pair)]
    frame = read_frame(
        "SELECT provider, table_id, variable, code, label, lang FROM table_labels "  # noqa: S608
        f"WHERE lang IN ('en', 'nb', ?) AND ({where}) "
        "ORDER BY CASE WHEN lang = ? THEN 2 WHEN lang = 'en' THEN 1 ELSE 0 END",
        [*params, lang],
    )
    found: dict[LabelKey, str] = {}
    # Norwegian first, English over it, the reader's language over both.
    for row in frame.itertuples(index=False):
        key = label_key(str(row.provider), str(row.table_id), str(row.variable), str(row.code))
        if key in wanted:
            found[key] = str(row.label)
    return found


def list_indicator_periods(indicator_id: str) -> pd.DataFrame:
    """Per country, the first and last period with a published municipal value, and how many.

    Columns: country, first_period, last_period, periods.
    """
    return read_frame(
        """
        SELECT country, min(period) AS first_period, max(period) AS last_period,
               count(DISTINCT period) AS periods
        FROM indicator_values
        WHERE indicator = ? AND area_type IN ('municipality', 'county') AND value IS NOT NULL
        GROUP BY country
        ORDER BY country
        """,
        [indicator_id],
    )


def list_requests() -> pd.DataFrame:
    """Every provider request the database was built from (`provenance`), in order.

    Columns: provider, table_id, part, url, request (the exact body or query sent),
    retrieved_at (UTC), provider_updated, cells.
    """
    return read_frame(
        "SELECT provider, table_id, part, url, request, retrieved_at, provider_updated, cells "
        "FROM provenance ORDER BY provider, table_id, part"
    )

"""Docs checked against code (after datasette's test_docs.py).

Every indicator defined in indicators/definitions/ is a row of README.md's indicator table, with
the source tables its definition reads; every page registered with Dash Pages is a row of
docs/PAGES.md. When something is missing the failure says exactly which row to add.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators.registry import Indicator, iter_measures, list_indicators

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES_DOC = ROOT / "docs" / "PAGES.md"
NOT_AVAILABLE = "—"
COUNTRY_COLUMNS = {"DK": 2, "NO": 3}  # README indicator table: id | measure | Denmark | Norway
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def markdown_table(text: str, heading: str) -> list[list[str]]:
    """The body rows of the first table under `heading` (a line such as "## Indicators").

    Cells are stripped; escaped pipes (\\|) stay inside their cell. The header and the
    separator row are left out.
    """
    lines = text.splitlines()
    try:
        start = lines.index(heading)
    except ValueError:
        return []
    table: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    rows = [[cell.strip() for cell in CELL_SPLIT.split(line.strip())[1:-1]] for line in table]
    return rows[2:]


def first_code(cell: str) -> str:
    """The first `backticked` word of a cell (the id or path a row is about)."""
    found = re.search(r"`([^`]+)`", cell)
    return found.group(1) if found else cell


def tables_by_country(indicator: Indicator) -> dict[str, list[str]]:
    """The provider tables each country's definition reads, in order of first use."""
    tables: dict[str, list[str]] = {country: [] for country in indicator.countries}
    for where, measure in iter_measures(indicator):
        country = where.split()[1]
        if measure.table not in tables[country]:
            tables[country].append(measure.table)
    return tables


def suggested_readme_row(indicator: Indicator) -> str:
    """A README row to start from: id, measure and each country's source tables."""
    tables = tables_by_country(indicator)
    cells = [
        f"`{indicator.id}`",
        indicator.measure,
        *(
            ", ".join(tables[country]) + ": ..." if country in tables else NOT_AVAILABLE
            for country in COUNTRY_COLUMNS
        ),
    ]
    return "| " + " | ".join(cells) + " |"


def readme_indicator_rows() -> dict[str, list[str]]:
    return {first_code(row[0]): row for row in markdown_table(README.read_text(), "## Indicators")}


def test_markdown_table_parsing() -> None:
    text = "## T\n\nintro\n\n| a | b |\n|---|---|\n| `x` | 1 \\| 2 |\n| y | 3 |\n\nafter\n"
    assert markdown_table(text, "## T") == [["`x`", "1 \\| 2"], ["y", "3"]]
    assert markdown_table(text, "## Missing") == []
    assert first_code("`x` and `y`") == "x"


def test_readme_lists_every_indicator() -> None:
    documented = readme_indicator_rows()
    missing = [i for i in list_indicators() if i.id not in documented]
    rows = "\n".join(suggested_readme_row(i) for i in missing)
    assert not missing, (
        f"README.md's indicator table (## Indicators) lacks {len(missing)} indicator(s) "
        f"defined in indicators/definitions/: {', '.join(i.id for i in missing)}. "
        f"Add rows like (then write the groups, ages and periods in words):\n{rows}"
    )


def test_readme_lists_no_unknown_indicator() -> None:
    defined = {i.id for i in list_indicators()}
    stale = sorted(set(readme_indicator_rows()) - defined)
    assert not stale, f"README.md lists indicators with no definition file: {stale}"


@pytest.mark.parametrize("indicator", list_indicators(), ids=lambda i: i.id)
def test_readme_row_matches_definition(indicator: Indicator) -> None:
    row = readme_indicator_rows().get(indicator.id)
    if row is None:
        pytest.skip("missing from README; test_readme_lists_every_indicator says so")
    assert row[1] == indicator.measure, f"README says measure {row[1]!r} for {indicator.id}"
    rows = readme_indicator_rows()
    tables = tables_by_country(indicator)
    for country, column in COUNTRY_COLUMNS.items():
        cell = row[column]
        # "as employment_gap" borrows that row's sources.
        borrowed = [
            rows[other][column] for other in rows if other != indicator.id and other in cell
        ]
        cell = " ".join([cell, *borrowed])
        if country not in tables:
            assert row[column] == NOT_AVAILABLE, (
                f"{indicator.id} has no {country} definition; README should say {NOT_AVAILABLE}"
            )
            continue
        unnamed = [table for table in tables[country] if table not in cell]
        assert not unnamed, f"README's {country} cell for {indicator.id} omits tables {unnamed}"


def documented_paths(page: dict) -> list[str]:
    """What docs/PAGES.md must name for a registered page.

    The path template when there is one (plus an explicit path that differs from the one Dash
    infers from the template); the path otherwise. The 404 page is listed as "404".
    """
    if page["module"].endswith("not_found_404"):
        return ["404"]
    template = page.get("path_template")
    if not template:
        return [page["path"]]
    inferred = re.sub("<.*?>", "none", template)
    return [template] + ([page["path"]] if page["path"] != inferred else [])


def test_pages_doc_lists_every_page() -> None:
    import dash

    import app  # noqa: F401  (pages register themselves once the app exists)

    rows = markdown_table(PAGES_DOC.read_text(), "# Pages")
    assert rows, "docs/PAGES.md has no table under '# Pages'"
    assert all(len(row) == 3 for row in rows), "each row: path | URL parameters | what it shows"
    listed = {first_code(row[0]) for row in rows} | {row[0] for row in rows}
    missing = [
        f"{page['module']}: {path}"
        for page in dash.page_registry.values()
        for path in documented_paths(page)
        if path not in listed and not any(cell.startswith(path) for cell in listed)
    ]
    assert not missing, (
        "docs/PAGES.md lacks rows for registered pages (path | URL parameters | what it "
        f"shows): {missing}"
    )


ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
PATH_LIKE = re.compile(r"^[\w./-]+(/|\.py|\.yml|\.po|\.md)$")


def architecture_paths(text: str) -> list[str]:
    """Every file and folder docs/ARCHITECTURE.md names, as paths from the checkout's root.

    In the table, names are relative to the row's folder (its first cell); elsewhere a name
    with a slash is a path from the root. Code blocks and templates (`<name>`) are skipped.
    """
    found: list[str] = []
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        names = [n for n in re.findall(r"`([^`]+)`", line) if PATH_LIKE.match(n)]
        if line.startswith("| `") and names:
            folder, *inside = names
            found += [folder, *(folder + name for name in inside)]
        else:
            found += [name for name in names if "/" in name]
    return found


def test_architecture_names_only_what_exists() -> None:
    named = architecture_paths(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(named) > 40
    gone = [path for path in named if not (ROOT / path).exists()]
    assert not gone, f"docs/ARCHITECTURE.md names what is not in the checkout: {gone}"


def test_architecture_check_catches_a_missing_module() -> None:
    text = "| `views/` | `params.py`, `gone.py` |\nSee `pages/nowhere.py`.\n"
    named = architecture_paths(text)
    assert named == ["views/", "views/params.py", "views/gone.py", "pages/nowhere.py"]
    assert [p for p in named if not (ROOT / p).exists()] == ["views/gone.py", "pages/nowhere.py"]

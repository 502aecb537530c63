"""Check a source table's metadata against what sources.yml says it must contain.

A code is only as good as its label: each pinned code must exist and carry a label matching
its pattern in every language read. Problems are collected, not raised one at a time, so that
`barometer doctor` can list them all and a refresh can name every one before it stops.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from loaders import norway
from loaders.municipalities import municipality_codes
from loaders.sources import Pin, TableMeta, TableSpec, normalise

COUNTRY_CODE = re.compile(r"\d{3}")
Report = Callable[[str, str, str], None]  # (variable, code, message)


@dataclass(frozen=True)
class Problem:
    """Something in the live metadata that does not match what we rely on."""

    provider: str
    table: str
    variable: str
    code: str
    message: str

    def __str__(self) -> str:
        where = " ".join(part for part in (self.variable, self.code) if part)
        return f"{self.provider.upper()} {self.table} {where}: {self.message}"


@dataclass(frozen=True)
class Findings:
    """Problems stop a refresh; notes are worth knowing but change no number."""

    problems: list[Problem]
    notes: list[str]
    pinned: int  # codes whose labels were checked


def check_table(spec: TableSpec, meta: TableMeta) -> Findings:
    """Every variable, pinned code and label of `spec` against the table's metadata."""
    problems: list[Problem] = []
    notes: list[str] = []
    pinned = 0

    def problem(variable: str, code: str, message: str) -> None:
        problems.append(Problem(spec.provider, spec.table, variable, code, message))

    for name, wanted in spec.variables.items():
        var = meta.variables.get(name)
        if var is None:
            problem(
                name, "", f"variable not in the table's metadata; it has {list(meta.variables)}"
            )
            continue
        offered = [c[0] for c in var.codelists]
        if wanted.codelist and wanted.codelist not in offered:
            problem(name, "", f"codelist {wanted.codelist} is not offered; the table has {offered}")
        for code, pin in wanted.codes.items():
            pinned += 1
            _check_pin(meta, name, code, pin, problem)
        if wanted.municipalities:
            notes += _check_municipalities(spec, meta, name, problem)
        if wanted.country_group is not None:
            found, more = _check_country_group(meta, name, wanted.country_group.group, problem)
            pinned += found
            notes += more
    for name, var in meta.variables.items():
        if not var.elimination and not var.time and name not in spec.variables:
            problem(name, "", "the provider cannot eliminate this variable; add it to sources.yml")
    return Findings(problems, notes, pinned)


def _check_pin(meta: TableMeta, variable: str, code: str, pin: Pin, problem: Report) -> None:
    values = meta.variables[variable].values
    if code not in values and meta.provider == "imdi":
        # IMDi's files carry texts only; our code stands for the text its pattern matches.
        pattern = pin.patterns().get("nb") or ""
        texts = {text: text for text in values.values()}
        problem(
            variable,
            code,
            f"no value matches /{pattern}/ (did IMDi reword it?); closest: "
            + (", ".join(repr(t) for t in _closest_labels(texts, pattern)) or "none"),
        )
        return
    if code not in values:
        problem(variable, code, f"code not in the table; closest: {closest(meta, variable, code)}")
        return
    for lang, pattern in pin.patterns().items():
        labels = meta.labels.get(lang, {}).get(variable, {})
        label = labels.get(code)
        if label is None:
            continue  # that language was not read (a test reading one language only)
        if not pin.matches(lang, label):
            others = {c: lab for c, lab in labels.items() if c != code}
            carriers = [f"{c} ({lab})" for c, lab in others.items() if pin.matches(lang, lab)]
            if carriers:
                hint = f"the expected label is carried by {', '.join(carriers[:3])}"
            else:
                near = _closest_labels(others, pattern)
                hint = "closest labels: " + (
                    ", ".join(f"{c} ({others[c]})" for c in near) or "none"
                )
            problem(variable, code, f"label in {lang} is {label!r}, expected /{pattern}/; {hint}")


def _closest_labels(labels: dict[str, str], pattern: str, count: int = 3) -> list[str]:
    """The codes whose labels read most like a pin's pattern (its words, escapes undone)."""
    wording = re.sub(r"\\(.)", r"\1", pattern)
    by_label = {label: code for code, label in labels.items()}
    best = difflib.get_close_matches(wording, list(by_label), n=count, cutoff=0.0)
    return [by_label[label] for label in best]


def closest(meta: TableMeta, variable: str, code: str, count: int = 5) -> str:
    """The table's codes most like `code`, with their labels, for error messages."""
    values = meta.variables[variable].values
    best = difflib.get_close_matches(code, list(values), n=count, cutoff=0.0)
    return ", ".join(f"{c} ({values[c]})" for c in best) or "none"


def _check_municipalities(
    spec: TableSpec, meta: TableMeta, variable: str, problem: Report
) -> list[str]:
    values = meta.variables[variable].values
    missing = [code for code in municipality_codes("NO") if code not in values]
    if missing:
        problem(
            variable,
            _some(missing, 5),
            f"{len(missing)} of today's municipalities are not in the table",
        )
    if spec.source.borders == "today":
        return []  # the provider publishes every period on today's municipalities
    time = meta.time_variable
    years = sorted({int(p[:4]) for p in meta.variables[time].values}) if time else []
    first = max(years[0], norway.FIRST_YEAR) if years else norway.FIRST_YEAR
    earlier = {c for y in years if y >= first for c in norway.valid_codes(y)}
    absent = sorted(earlier - set(values) - set(municipality_codes("NO")))
    notes = []
    if absent:
        notes.append(
            f"{spec.table} {variable}: {len(absent)} earlier municipality codes are not in the "
            f"table ({_some(absent, 5)}); the years they "
            "cover are missing for their municipalities today"
        )
    unknown = [
        code
        for code in values
        if len(code) == 4 and code.isdigit() and code not in norway.all_codes()
    ]
    if unknown:
        notes.append(
            f"{spec.table} {variable}: codes not in loaders/no_municipality_changes.csv are "
            f"not used: {', '.join(f'{c} ({values[c]})' for c in unknown[:5])}"
        )
    return notes


def _check_country_group(
    meta: TableMeta, variable: str, group: str, problem
) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """Every 3-digit code must be classified; the group's codes must carry SSB's names.

    Norwegian labels are compared with the classification's names (KLASS 91); English labels
    are not pinned, because our English names are not Statistics Norway's.
    """
    values = meta.variables[variable].values
    countries = {c.code: c for c in norway.list_countries()}
    unclassified = [
        c
        for c in values
        if COUNTRY_CODE.fullmatch(c) and c not in countries and c not in norway.NOT_COUNTRIES
    ]
    for code in unclassified:
        label = meta.labels.get("nb", {}).get(variable, {}).get(code) or values[code]
        problem(
            variable,
            code,
            f"country {label!r} is not in loaders/no_country_groups.csv: add it with its "
            "group, or the group sums would leave it out",
        )
    checked = 0
    nb_labels = meta.labels.get("nb", {}).get(variable, {})
    for country in norway.country_group(group):
        found = nb_labels.get(country.code)
        if country.code not in values or found is None:
            continue
        checked += 1
        if normalise(found).casefold() not in {n.casefold() for n in country.names_no}:
            problem(
                variable,
                country.code,
                f"label in nb is {found!r}, expected {' or '.join(country.names_no)!r}",
            )
    absent = [c.code for c in norway.country_group(group) if c.code not in values]
    notes = []
    if absent:
        notes.append(
            f"{meta.table} {variable}: {len(absent)} country codes of group {group} are not in "
            f"the table and add nothing ({_some(absent, 8)})"
        )
    return checked, notes


def _some(codes: list[str], count: int) -> str:
    return ", ".join(codes[:count]) + (" ..." if len(codes) > count else "")


def check_definitions(specs: list[TableSpec]) -> list[str]:
    """Every code an indicator definition selects must be a pinned code of sources.yml."""
    from indicators.registry import iter_measures, list_indicators

    by_table = {(s.provider, s.key): s for s in specs}
    problems = []
    for indicator in list_indicators():
        for where, measure in iter_measures(indicator):
            spec = by_table.get((measure.provider, measure.table))
            if spec is None:
                problems.append(
                    f"{where}: table {measure.provider}/{measure.table} is not in sources.yml"
                )
                continue
            for variable, codes in measure.select.items():
                if variable not in spec.variables:
                    problems.append(
                        f"{where}: {spec.table} variable {variable} is not in sources.yml"
                    )
                    continue
                stored = spec.stored_codes(variable) or list(spec.variables[variable].codes)
                loose = [code for code in codes if code not in stored]
                if loose:
                    problems.append(
                        f"{where}: codes {loose} of {spec.table} {variable} are not pinned in "
                        f"sources.yml (pinned: {stored})"
                    )
    return problems

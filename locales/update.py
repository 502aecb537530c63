"""Keep the catalogues in step with the code: `uv run python -m locales.update [--check]`.

Extracts every text marked in the code (`_`, `N_`, `ngettext`, `pgettext`) with Babel's
extractor, adds the new ones to each catalogue (empty, to be translated) and drops the ones the
code no longer has. `--check` changes nothing and exits 1 when a catalogue is out of step or
has an untranslated entry (tests/test_i18n.py runs the same checks).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from locales import DOMAIN, TRANSLATED, catalogue_path

ROOT = Path(__file__).resolve().parents[1]
# Where user-facing text lives (the CLI, loaders and the simulator speak to operators in English).
SOURCES = (
    "app.py",
    "errors.py",
    "components",
    "pages",
    "views",
    "locales",
    "queries",
    "indicators",
    "exports",
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PROJECT = "Integration Barometer"


def source_files() -> Iterator[Path]:
    """The Python files whose marked texts belong in the catalogues, in a stable order."""
    for name in SOURCES:
        path = ROOT / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def extract_messages() -> Catalog:
    """Every marked text in the code, with where it is used (a template catalogue)."""
    template = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False)
    for path in source_files():
        where = path.relative_to(ROOT).as_posix()
        with path.open("rb") as f:
            for line, message, _comments, context in extract("python", f, keywords=KEYWORDS):
                text = message if isinstance(message, str) else message[0]
                flags = ("python-brace-format",) if "{" in text else ()
                template.add(message, locations=[(where, line)], context=context, flags=flags)
    return template


def merged(lang: str, template: Catalog) -> Catalog:
    """The catalogue of `lang` updated to the template (translations kept, stale ones dropped)."""
    path = catalogue_path(lang)
    if path.exists():
        with path.open("rb") as f:
            po = read_po(f, locale=lang)
    else:
        po = Catalog(locale=lang, project=PROJECT, domain=DOMAIN, fuzzy=False)
    created = po.creation_date
    po.update(template, no_fuzzy_matching=True, update_header_comment=False)
    po.obsolete.clear()
    # Keep the catalogue's own date: a date that changes at every run makes every branch that
    # touches a text conflict with every other one.
    po.creation_date = created
    return po


def render(po: Catalog) -> bytes:
    """A catalogue as .po text (entries in the order the code uses them; no dates that churn)."""
    po.revision_date = po.creation_date
    buffer = io.BytesIO()
    write_po(buffer, po, width=100, omit_header=False, include_lineno=False)
    return buffer.getvalue()


def untranslated(po: Catalog) -> list[str]:
    """The msgids of `po` without a translation."""
    missing = []
    for message in po:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(forms):
            missing.append(str(message.id if isinstance(message.id, str) else message.id[0]))
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m locales.update", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    template = extract_messages()
    stale = False
    for lang in TRANSLATED:
        po = merged(lang, template)
        text = render(po)
        path = catalogue_path(lang)
        todo = untranslated(po)
        if args.check:
            if not path.exists() or path.read_bytes() != text:
                print(f"{path.relative_to(ROOT)} is out of step with the code")
                stale = True
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text)
        if todo:
            stale = True
            print(f"{lang}: {len(todo)} untranslated:")
            for message in todo:
                print(f"  {message!r}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

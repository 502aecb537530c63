"""The errors users see. Each carries a message written for the person who reads it.

A page's reader sees `describe(lang)`: the message in the reader's language, from the catalogue
when the message was marked with N_() where it is raised. The command line prints `str(exc)`,
in English, with any technical detail. Anything that is not a BarometerError is a bug: it is
logged with its traceback and the reader sees one short generic sentence (components/shell.py).
"""

from __future__ import annotations

from pathlib import Path

from locales import N_, _


class BarometerError(Exception):
    """An error with a message meant for the user.

    `message` is English with {placeholders}; `values` fill them in (codes, names, numbers).
    """

    def __init__(self, message: str, /, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values) if values else message)

    def describe(self, lang: str) -> str:
        """The message in the reader's language (English where the catalogue lacks it)."""
        return _(self.message, lang, **self.values)


class LoadError(BarometerError):
    """A provider table could not be fetched, decoded or validated."""

    def __init__(self, provider: str, table: str, url: str, reason: str) -> None:
        self.provider = provider
        self.table = table
        self.url = url
        self.reason = reason
        super().__init__(f"{provider.upper()} table {table}: {reason} (URL: {url})")


class DatabaseMissing(BarometerError):
    """No database has been built yet. The reader is told what to do; the log gets the path."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            N_(
                "There is no data yet. Run “barometer refresh” to load the statistics, or "
                "“barometer refresh --demo” for demo data."
            )
        )
        self.path = str(path)

    def __str__(self) -> str:
        return f"{super().__str__()} (no database at {self.path})"


class DatabaseUnreadable(BarometerError):
    """The database file is there but this version cannot read it: built by another version
    of the Barometer (another schema), or not a Barometer database at all. Rebuilding it is
    the remedy; `barometer serve` does so by itself (cli.ensure_database)."""

    MESSAGE = N_(
        "The data was built by another version of the Barometer and cannot be read. Run "
        "“barometer refresh” to build it again, or “barometer refresh --demo” for demo data."
    )

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(self.MESSAGE)
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{super().__str__()} ({self.path}: {self.reason})"


class PinnedVersionUnreadable(DatabaseUnreadable):
    """A kept version of the database (a pinned snapshot) this version cannot read: no refresh
    rebuilds it, so the message does not offer one."""

    MESSAGE = N_(
        "This kept version of the data was built by another version of the Barometer and "
        "cannot be read by this one."
    )


class BadInput(BarometerError):
    """A callback received a value of a kind its page never sends (views/inputs.py).

    The reader sees one sentence asking to reload; the log gets which input and why.
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            N_(
                "The page sent a choice it cannot use. Reload the page and try again; the "
                "address keeps your view."
            )
        )
        self.name = name
        self.reason = reason

    def __str__(self) -> str:
        return f"{super().__str__()} ({self.name}: {self.reason})"

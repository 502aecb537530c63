"""The errors users see. Each carries a message written for the person running the tool.

Anything else that goes wrong is a bug: it is logged with its traceback and shown as a short
generic message.
"""

from __future__ import annotations


class BarometerError(Exception):
    """An error with a message meant for the user."""


class LoadError(BarometerError):
    """A provider table could not be fetched, decoded or validated."""

    def __init__(self, provider: str, table: str, url: str, reason: str) -> None:
        self.provider = provider
        self.table = table
        self.url = url
        self.reason = reason
        super().__init__(f"{provider.upper()} table {table}: {reason} (URL: {url})")


class DatabaseMissing(BarometerError):
    """No database has been built yet."""

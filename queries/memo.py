"""Reads remembered per database file: the same question to the same file is read once.

`@per_database()` keeps a read's result by the database's identity (queries/db.py: path, inode,
modification time) and the read's arguments, in a small LRU shared by the process's threads.
A refresh swaps in a new file, so a new identity: the next read asks the new file, and the old
file's results age out. For reads every page makes (the data-status banner) and small lists
many views share (an indicator's periods).

Callers get their own shallow copy of a list, dict, set or DataFrame (a copy-on-write view in
pandas 3, so it costs nothing), so changing what a read returned cannot change what the next
caller gets.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from queries.db import database_identity

F = TypeVar("F", bound=Callable[..., Any])


def _own(value: Any) -> Any:
    """A copy the caller may change without changing the kept value."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, list | dict | set):
        return copy.copy(value)
    return value


def per_database(maxsize: int = 64) -> Callable[[F], F]:
    """Remember a read's results per database identity and (hashable) arguments."""

    def decorate(read: F) -> F:
        kept: OrderedDict[tuple, Any] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(read)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            key = (database_identity(), args, tuple(sorted(kwargs.items())))
            with lock:
                if key in kept:
                    kept.move_to_end(key)
                    return _own(kept[key])
            value = read(*args, **kwargs)
            with lock:
                kept[key] = value
                while len(kept) > maxsize:
                    kept.popitem(last=False)
            return _own(value)

        def cache_clear() -> None:
            with lock:
                kept.clear()

        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate

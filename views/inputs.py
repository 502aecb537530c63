"""What a callback may receive: one declarative spec per callback, checked before it runs.

A page's controls send strings, lists of strings, click counts and the address's query; a
broken or hostile client can send any JSON instead (a list where a string belongs, a number, a
million characters). Every server callback says what each of its inputs is, in one line:

    @callback(Output(...), Input(ids.MAP_INDICATOR, "value"), State(ids.MAP_LOCATION, "search"))
    @checked(indicator=TEXT, search=SEARCH)
    def update_location(indicator, search): ...

`checked` checks every argument before the callback runs and raises `BadInput` for the first
that does not fit; Dash's `on_error` (components/shell.py) then shows the one error box in the
reader's language, and the callback's outputs stay as they were. Unknown codes in a value of
the right kind are the views' business: they answer with a Problem or fall back to a default.

`cacheable=False` marks a callback whose answer depends on more than its inputs and the
database (the request's host, the clock): serving/cache.py never keeps its answers.
Nothing here imports Dash.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from errors import BadInput

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Text:
    """One string of at most `limit` characters, or nothing (a dropdown's value, a code)."""

    limit: int = 100

    def __call__(self, name: str, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadInput(name, f"expected text, got {type(value).__name__}")
        if len(value) > self.limit:
            raise BadInput(name, f"{len(value)} characters, at most {self.limit}")
        return value


@dataclass(frozen=True)
class Texts:
    """A list of at most `items` strings of at most `limit` characters each, or nothing.

    One string is taken as a list of one (a multi-select dropdown may hold a single value).
    """

    items: int = 500
    limit: int = 100

    def __call__(self, name: str, value: Any) -> list[str] | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise BadInput(name, f"expected a list of text, got {type(value).__name__}")
        if len(value) > self.items:
            raise BadInput(name, f"{len(value)} items, at most {self.items}")
        if not all(isinstance(item, str) for item in value):
            raise BadInput(name, "expected a list of text, got other items in it")
        longest = max(map(len, value), default=0)
        if longest > self.limit:
            raise BadInput(name, f"an item of {longest} characters, at most {self.limit}")
        return value


@dataclass(frozen=True)
class Count:
    """A whole number from 0 up, or nothing (a button's n_clicks)."""

    def __call__(self, name: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise BadInput(name, f"expected a count, got {value!r:.40}")
        return value


@dataclass(frozen=True)
class Sorting:
    """A table's sort order as Dash's DataTable sends it: a list of at most `items` entries
    {"column_id": text, "direction": "asc" or "desc"}, or nothing."""

    items: int = 10

    def __call__(self, name: str, value: Any) -> list[dict[str, str]] | None:
        if value is None:
            return None
        if not isinstance(value, list) or len(value) > self.items:
            raise BadInput(name, f"expected a list of at most {self.items} sort entries")
        for entry in value:
            if (
                not isinstance(entry, dict)
                or set(entry) != {"column_id", "direction"}
                or not isinstance(entry["column_id"], str)
                or len(entry["column_id"]) > 100
                or entry["direction"] not in ("asc", "desc")
            ):
                raise BadInput(name, f"not a sort entry: {entry!r:.60}")
        return value


@dataclass(frozen=True)
class Counts:
    """A list of at most `items` click counts (the buttons of a pattern-matching id)."""

    items: int = 20

    def __call__(self, name: str, value: Any) -> list[int | None] | None:
        if value is None:
            return None
        if not isinstance(value, list) or len(value) > self.items:
            raise BadInput(name, f"expected a list of at most {self.items} click counts")
        return [Count()(name, item) for item in value]


@dataclass(frozen=True)
class Flag:
    """True or false, or nothing."""

    def __call__(self, name: str, value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        raise BadInput(name, f"expected true or false, got {type(value).__name__}")


@dataclass(frozen=True)
class Record:
    """A small object a page keeps in a store: known keys only, each with its own check."""

    fields: tuple[tuple[str, Check], ...]

    def __call__(self, name: str, value: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise BadInput(name, f"expected an object, got {type(value).__name__}")
        checks = dict(self.fields)
        unknown = [key for key in value if key not in checks]
        if unknown:
            raise BadInput(name, f"unknown key {unknown[0]!r:.40}")
        return {key: checks[key](f"{name}.{key}", item) for key, item in value.items()}


# The kinds the pages use. A dropdown's value or a code; free text a reader types (the longest
# text field allows 80 characters); the selected municipalities (both countries have fewer than
# 500); a checklist's ticked options; the address's query string ("?a=1&b=2"); a click count, or
# several (pattern-matching buttons); a table's sort order.
TEXT = Text(100)
NAME = Text(200)
CODES = Texts(500, 100)
OPTIONS = Texts(20, 100)
SEARCH = Text(2000)
CLICKS = Count()
CLICK_LIST = Counts(20)
SORT = Sorting(10)
# What a page keeps in a store for its callbacks: the address it wrote, the view it shows.
URL_STORE = Record((("url", SEARCH), ("replace", Flag())))
VIEW_STORE = Record((("indicator", TEXT), ("lang", TEXT)))


def checked(
    checks: Mapping[str, Check] | None = None, /, *, cacheable: bool = True, **more: Check
) -> Callable[[F], F]:
    """Check a callback's arguments against its checks (by parameter name) before it runs.

    The checks come as keywords, or as a mapping for a callback taking `**values` (pages share
    one for several callbacks). Every parameter must have a check: a callback that forgets one
    fails when the app starts, not in front of a reader.
    """
    spec = {**(checks or {}), **more}

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        named = [
            p.name
            for p in signature.parameters.values()
            if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        ]
        missing = [name for name in named if name not in spec]
        if missing:
            raise TypeError(f"{func.__qualname__}: no input check for {', '.join(missing)}")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            values = dict(bound.arguments)
            for parameter in signature.parameters.values():
                if parameter.kind is parameter.VAR_KEYWORD:
                    values.update(values.pop(parameter.name, {}))
            for name, value in values.items():
                try:
                    if name not in spec:
                        raise BadInput(name, "an input this callback does not take")
                    values[name] = spec[name](name, value)
                except BadInput as refused:
                    log.warning(
                        "%s refused %s: %s", func.__qualname__, refused.name, refused.reason
                    )
                    raise
            return func(**values)

        wrapper.checks = dict(spec)  # type: ignore[attr-defined]
        wrapper.cacheable = cacheable  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate

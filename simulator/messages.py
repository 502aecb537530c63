"""What the provider modules receive and hand back: a parsed request and a ready answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class Refusal(Exception):
    """A request a provider refuses: what it says, and the cells it counted when it counted
    them (the request log shows them)."""

    def __init__(self, message: str, cells: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cells = cells


@dataclass(frozen=True)
class Request:
    """One HTTP request, decoded: path without the query, query as lists of values."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    base_url: str

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, matching its name case-insensitively."""
        for key, values in self.query.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    def json(self) -> Any:
        """The body decoded as JSON; raises ValueError when it is not."""
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Answer:
    """An HTTP answer; `document` keeps the JSON object behind `body` for fault injection."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    document: Any = None
    cells: int | None = None  # a data request's cells as the provider counts them


def json_answer(status: int, document: Any, content_type: str, **headers: str) -> Answer:
    """Serialise a JSON document compactly in UTF-8, as both providers do."""
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Answer(status, content_type, body, dict(headers), document)


def text_answer(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Answer:
    """A plain answer, for paths no provider serves and for proxy-style error pages."""
    return Answer(status, content_type, text.encode("utf-8"))

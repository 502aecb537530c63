"""The one HTTP client the loaders use: timeouts, retries with backoff, politeness limits.

Transient failures (connection errors, timeouts, HTTP 429/500/502/503/504, a body cut short)
are retried with exponential backoff and full jitter; a Retry-After header wins over the
computed delay. Other HTTP errors fail at once with the provider's own message.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests

if TYPE_CHECKING:
    from settings import Settings

# Where a long operation reports what it is doing, one line at a time (print, a list, a log).
Progress = Callable[[str], None]
USER_AGENT = "integration-barometer/0.1 (+https://github.com/integration-barometer)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpError(Exception):
    """A request failed for good; `reason` is a sentence for the user.

    `code` is the provider's own name for the error when it gave one: Statistics Denmark's
    errorTypeCode ("REQUEST-LIMIT") or the title of a PxWebApi problem ("Too many cells
    selected").
    """

    def __init__(
        self, url: str, reason: str, status: int | None = None, code: str | None = None
    ) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        self.code = code
        super().__init__(reason)

    @property
    def too_large(self) -> bool:
        """The provider refused the request as too many cells: ask again in smaller parts.

        Statistics Denmark: HTTP 400 REQUEST-LIMIT. Statistics Norway: its server answers 400
        "Too many cells selected" (PxWebApi SelectionHandler.cs/ProblemUtility.cs) where its
        spec (PxAPI-2.yml) documents 403; both mean the same here. Never retried unchanged.
        """
        if self.status == 403:
            return True
        if self.status == 400 and self.code and "maxRowCount" in self.code:
            return True  # FHI: more rows than the request's maxRowCount
        return self.status == 400 and self.code in ("REQUEST-LIMIT", "Too many cells selected")


@dataclass
class RateLimiter:
    """At most `calls` calls in any `period` seconds (a sliding window)."""

    calls: int
    period: float = 60.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _stamps: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        """Block until one more call fits in the window, then count it."""
        with self._lock:
            now = self.clock()
            while self._stamps and now - self._stamps[0] >= self.period:
                self._stamps.popleft()
            if len(self._stamps) >= self.calls:
                self.sleep(self.period - (now - self._stamps[0]))
                self._stamps.popleft()
            self._stamps.append(self.clock())


@dataclass
class Response:
    """What a successful call returned."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str]


@dataclass
class HttpClient:
    """A requests session with the project's network policy."""

    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    retries: int = 4
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    limiter: RateLimiter | None = None
    sleep: Callable[[float], None] = time.sleep
    on_retry: Progress | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    @classmethod
    def patient_as(cls, settings: Settings, **changes: Any) -> HttpClient:
        """A client with the settings' timeouts, retries and back-off (or `changes`)."""
        policy = {
            "connect_timeout": settings.connect_timeout,
            "read_timeout": settings.read_timeout,
            "retries": settings.retries,
            "backoff_base": settings.backoff_base,
            "backoff_max": settings.backoff_max,
        }
        return cls(**{**policy, **changes})

    def get(
        self, url: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        """GET with retries."""
        return self.request("GET", url, params=params, headers=headers)

    def post(self, url: str, body: Any, params: dict[str, str] | None = None) -> Response:
        """POST a JSON body with retries."""
        return self.request("POST", url, params=params, body=body)

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request, retrying transient failures; raise HttpError when it gives up."""
        attempt = 0
        while True:
            if self.limiter is not None:
                self.limiter.wait()
            retry_after: float | None = None
            try:
                reply = self.session.request(
                    method,
                    url,
                    params=params,
                    json=body,
                    headers=headers,
                    timeout=(self.connect_timeout, self.read_timeout),
                )
                content = reply.content  # reading the body may fail too (cut short)
            except requests.Timeout:
                problem = f"no answer within {self.read_timeout:g} s"
            except requests.exceptions.ChunkedEncodingError:
                problem = "the answer was cut short (truncated body)"
            except requests.ConnectionError as exc:
                problem = f"could not connect ({_short(exc)})"
            else:
                if reply.status_code < 400:
                    headers = {k.lower(): v for k, v in reply.headers.items()}
                    return Response(reply.url, reply.status_code, content, headers)
                problem = f"HTTP {reply.status_code}: {_provider_message(content)}"
                if reply.status_code not in RETRY_STATUSES:
                    code = _provider_code(content)
                    raise HttpError(reply.url, problem, reply.status_code, code)
                retry_after = _parse_retry_after(reply.headers.get("Retry-After"))
            if attempt >= self.retries:
                tries = attempt + 1
                raise HttpError(url, f"{problem}; gave up after {tries} attempt(s)")
            delay = self._delay(attempt, retry_after)
            if self.on_retry is not None:
                self.on_retry(f"{problem}; retrying in {delay:.1f} s")
            self.sleep(delay)
            attempt += 1

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.backoff_max)
        ceiling = min(self.backoff_max, self.backoff_base * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date; rare here, fall back to our own backoff


def _provider_message(content: bytes) -> str:
    """The provider's own words from an error body, if it sent any."""
    try:
        data = json.loads(content)
    except ValueError:
        text = content[:200].decode("utf-8", "replace").strip()
        return text or "no message"
    if isinstance(data, dict):
        title, detail = data.get("title"), data.get("detail")
        if title and detail and title != detail:  # a PxWebApi problem body
            return f"{title}: {detail}"
        for key in ("message", "detail", "title", "error", "status"):
            if data.get(key):
                code = data.get("errorTypeCode")
                return f"{code}: {data[key]}" if code else str(data[key])
    return str(data)[:200]


def _provider_code(content: bytes) -> str | None:
    """The provider's error name: DST's errorTypeCode or a PxWebApi problem's title."""
    try:
        data = json.loads(content)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("errorTypeCode") or data.get("title")
    if not code and isinstance(data.get("status"), str):
        code = data["status"]  # FHI puts its reason in `status`
    return str(code) if code else None


_CAUSES = (
    re.compile(r"Failed to resolve '([^']+)'"),
    re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)"),
    re.compile(r"(Read timed out|Connection aborted|Connection refused|Connection reset)"),
)


def _short(exc: Exception) -> str:
    """The cause of a connection error in a few words ("Connection refused")."""
    text = str(exc)
    for pattern in _CAUSES:
        found = pattern.search(text)
        if found:
            cause = found.group(1).strip()
            return f"cannot resolve {cause}" if pattern is _CAUSES[0] else cause
    return text if len(text) < 160 else text[:157] + "..."

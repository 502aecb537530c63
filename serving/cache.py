"""Callback answers kept per data version and request: a repeated view costs one computation.

Everyone at a meeting opening the same page sends the same callback requests (Dash Pages' router
with the same path and query string, the same control values). Each worker process keeps the
answers it computed, as the bytes it sent (plain, and compressed per content coding), in one LRU
shared by its threads and bounded in bytes (MAX_BYTES):
- the key is the data's identity (the database file and the stored boundary files: path, inode,
  modification time) and the request's callback, inputs, state and changed properties
  (canonical JSON, hashed). A refresh swaps in new files, so a new identity: every answer is
  computed again from the new data, and the old answers are dropped by the first request that
  sees the new files;
- two threads asking the same question at once compute it once: the second waits for the first
  (at most WAIT_SECONDS) and sends its answer;
- only answers that depend on nothing else are kept: Dash Pages' router (a page's layout is a
  function of its address and the data) and callbacks that declare their inputs with
  `checked()` (views/inputs.py) without `cacheable=False`. A callback without a declaration is
  never cached;
- an answer that shows an error is not kept (`do_not_keep()`, called where an error is put into
  the page): a failed read during a swap must not stick.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dash
import flask
from flask import Request, Response

from errors import DatabaseMissing
from queries.db import database_identity
from queries.geo import boundaries_identity
from queries.snapshots import pins_identity
from serving.guards import ROUTER_LOCATION

log = logging.getLogger(__name__)

MAX_BYTES = 48 * 1024 * 1024  # per worker process, answers and their compressed copies
WAIT_SECONDS = 30.0  # how long a request waits for the same answer being computed


@dataclass
class Answer:
    """One kept answer: its media type and its body per content coding (None: plain)."""

    mimetype: str
    bodies: dict[str | None, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.bodies.values())


@dataclass
class Stats:
    """What the cache did (tests and benchmarks read it)."""

    hits: int = 0
    misses: int = 0
    waits: int = 0
    shared_hits: int = 0  # `remembered`: made by another worker process


class AnswerCache:
    """An LRU of answers bounded in bytes, for one data identity at a time, thread-safe."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.stats = Stats()
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._bytes = 0
        self._identity: Any = None
        self._flights: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def _switch(self, identity: Any) -> None:
        """Drop every answer drawn from other data (the lock is held)."""
        if identity != self._identity:
            self._answers.clear()
            self._bytes = 0
            self._identity = identity

    def get(self, identity: Any, key: str) -> tuple[Answer | None, bool]:
        """(the kept answer or None, whether this request is the one to compute it).

        When another thread is computing the same answer, waits for it first.
        """
        with self._lock:
            self._switch(identity)
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                self.stats.hits += 1
                return answer, False
            flight = self._flights.get(key)
            if flight is None:
                self._flights[key] = threading.Event()
                self.stats.misses += 1
                return None, True
            self.stats.waits += 1
        flight.wait(WAIT_SECONDS)
        with self._lock:
            answer = self._answers.get(key) if identity == self._identity else None
            if answer is not None:
                self.stats.hits += 1
            return answer, False

    def put(self, identity: Any, key: str, mimetype: str, coding: str | None, body: bytes) -> None:
        """Keep one body of an answer (plain or in one coding), evicting the oldest answers."""
        with self._lock:
            if identity != self._identity or len(body) > self.max_bytes // 8:
                return
            answer = self._answers.setdefault(key, Answer(mimetype))
            self._bytes += len(body) - len(answer.bodies.get(coding, b""))
            answer.bodies[coding] = body
            self._answers.move_to_end(key)
            while self._bytes > self.max_bytes and len(self._answers) > 1:
                _, oldest = self._answers.popitem(last=False)
                self._bytes -= oldest.size

    def release(self, key: str) -> None:
        """The computing request is done (its answer kept or not): let the waiting ones go on."""
        with self._lock:
            flight = self._flights.pop(key, None)
        if flight is not None:
            flight.set()

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0
            self._identity = None
            self.stats = Stats()

    @property
    def size(self) -> int:
        return self._bytes


answers = AnswerCache()


def data_identity() -> tuple[Any, ...]:
    """Which data the pages are drawn from: the database file, the boundary files and the
    pinned snapshots (what changed since the last meeting, the decks, the download page)."""
    return database_identity(), boundaries_identity(), pins_identity()


def do_not_keep() -> None:
    """Mark the answer to the current request as not to be kept (it shows an error)."""
    if flask.has_request_context():
        flask.g.barometer_do_not_keep = True


def is_cacheable(app: dash.Dash, output: str) -> bool:
    """Whether answers of this callback depend only on its inputs and the data."""
    callback = app.callback_map.get(output, {})
    # Dash wraps the page's function with functools.wraps, which copies our marks.
    function = callback.get("callback")
    if hasattr(function, "cacheable"):
        return bool(function.cacheable)
    return any(item.get("id") == ROUTER_LOCATION for item in callback.get("inputs", []))


def request_key(identity: Any, body: dict[str, Any]) -> str:
    """The data and the question a request asks: callback, inputs, state, changed properties."""
    question = {k: body.get(k) for k in ("output", "inputs", "state", "changedPropIds")}
    question["changedPropIds"] = sorted(map(str, question["changedPropIds"] or []))
    question["data"] = identity
    text = json.dumps(question, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def lookup(app: dash.Dash, request: Request, coding: str | None) -> Response | None:
    """The kept answer to a well-formed callback request (guards.py), or None to compute it.

    `coding` is the content coding the answer is sent in. What `keep` and `release` need is
    noted on flask.g: the request that computes the answer (`barometer_lead`) and where to
    keep what is sent (`barometer_keep`).
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not is_cacheable(app, str(body.get("output"))):
        return None
    return lookup_question(body, coding)


def lookup_layout(app: dash.Dash, request: Request, coding: str | None) -> Response | None:
    """The kept first layout of the page asking for it (serving/first_layout.py): like the
    router's answer, a function of the page's address and the data."""
    from serving.first_layout import page_address

    address = page_address(app, request)
    if address is None:
        return None
    return lookup_question({"output": "_dash-layout", "inputs": list(address)}, coding)


def lookup_question(body: dict[str, Any], coding: str | None) -> Response | None:
    """The kept answer to a question (`request_key`), or None to compute it (and keep it)."""
    try:
        identity = data_identity()
    except (DatabaseMissing, OSError):
        return None  # the page says so; nothing to keep
    key = request_key(identity, body)
    answer, lead = answers.get(identity, key)
    if lead:
        flask.g.barometer_lead = key
        flask.g.barometer_keep = (identity, key)
        return None
    if answer is None:
        return None  # the computing request failed or took too long: compute it here too
    if coding in answer.bodies:
        response = Response(answer.bodies[coding], mimetype=answer.mimetype)
        if coding:
            response.headers["Content-Encoding"] = coding
        return response
    if None not in answer.bodies:
        return None
    flask.g.barometer_keep = (identity, key)  # the copy in this coding is made on the way out
    return Response(answer.bodies[None], mimetype=answer.mimetype)


def remembered(question: dict[str, Any], make: Callable[[], bytes]) -> bytes:
    """The answer to a question that is not a Dash request (serving/first_paint.py's HTML),
    made by `make` once per data version on this machine: kept in this worker (`answers`)
    and in a folder every worker of this user reads (`shared_folder`), so that a page opened
    by a room full of readers, whichever worker each reaches, is made once. Not kept when the
    page shows an error (`do_not_keep` called while making it)."""
    try:
        identity = data_identity()
    except (DatabaseMissing, OSError):
        return make()
    key = request_key([identity, SERVER_RUN], question)
    answer, lead = answers.get(identity, key)
    if answer is not None and None in answer.bodies:
        return answer.bodies[None]
    try:
        folder = shared_folder()
        body = read_shared(folder, key) if folder else None
        if body is not None:
            answers.stats.shared_hits += 1
        else:
            body = make()
            if flask.g.get("barometer_do_not_keep"):
                return body
            if folder:
                write_shared(folder, key, body)
        if lead:
            answers.put(identity, key, "text/html", None, body)
        return body
    finally:
        if lead:
            answers.release(key)


# This run of the server: made when gunicorn's master imports the app (serving/server.py
# preloads it), so the same in all its workers and new after a restart, when the code that made
# the answers in the shared folder may have changed.
SERVER_RUN = uuid.uuid4().hex
SHARED_ROOT: Path | None = None  # where the shared folder goes; None: the system's temp folder
SHARED_FILES = 2000  # at most, in the shared folder; the oldest half goes when it is full


def shared_folder() -> Path | None:
    """This user's folder of answers shared by the server's worker processes (in the system's
    temporary folder), or None where it cannot be private: another owner, or readable by
    others (a file there is taken as made by this app)."""
    if not hasattr(os, "getuid"):  # Windows: waitress runs one process, nothing to share
        return None
    folder = (SHARED_ROOT or Path(tempfile.gettempdir())) / f"barometer-answers-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def read_shared(folder: Path, key: str) -> bytes | None:
    try:
        return (folder / key).read_bytes()
    except OSError:
        return None


def write_shared(folder: Path, key: str, body: bytes) -> None:
    """Keep an answer in the shared folder, whole or not at all (a write to a file of its own,
    then a rename); a full folder loses its oldest half. A failed write keeps nothing."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".", delete=False) as part:
            part.write(body)
        os.replace(part.name, folder / key)
        entries = list(os.scandir(folder))
        for entry in entries:  # a write a killed worker left
            if entry.name.startswith(".") and entry.stat().st_mtime < time.time() - 3600:
                os.unlink(entry.path)
        kept = [entry for entry in entries if not entry.name.startswith(".")]
        if len(kept) > SHARED_FILES:
            kept.sort(key=lambda entry: entry.stat().st_mtime)
            for entry in kept[: len(kept) // 2]:
                os.unlink(entry.path)
    except OSError:
        log.warning("an answer could not be kept in %s", folder, exc_info=True)


def keep(response: Response) -> None:
    """Keep the body of an answer to be kept, in the coding it is in, unless it shows an error.

    Called before compression (the plain body) and after it (the compressed one).
    """
    noted = flask.g.get("barometer_keep")
    if noted is None or response.status_code != 200 or flask.g.get("barometer_do_not_keep"):
        return
    identity, key = noted
    coding = response.headers.get("Content-Encoding")
    answers.put(identity, key, response.mimetype or "application/json", coding, response.get_data())


def release() -> None:
    """Let requests waiting for this request's answer go on (called at the end of every one)."""
    key = flask.g.get("barometer_lead")
    if key is not None:
        answers.release(key)

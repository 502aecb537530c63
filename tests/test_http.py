"""The loaders' HTTP client against a tiny scripted server on 127.0.0.1: retries, backoff,
Retry-After, the providers' error bodies and "too large" answers. Fast: no real waiting."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from loaders.http import HttpClient, HttpError

Script = list[tuple[int, dict[str, str], bytes]]  # (status, headers, body) per call


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.server.bodies.append(self.rfile.read(length))
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _answer(self) -> None:
        self.server.calls += 1
        status, headers, body = (
            self.server.script.pop(0) if self.server.script else (200, {}, b"{}")
        )
        if status == 0:  # hold the request longer than the client waits, then give up
            time.sleep(0.5)
            self.close_connection = True
            return
        self.send_response(status)
        length = headers.pop("Content-Length", str(len(body)))
        self.send_header("Content-Length", length)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    script: Script
    calls: int
    bodies: list[bytes]


@pytest.fixture()
def server() -> Iterator[_Server]:
    running = _Server(("127.0.0.1", 0), _Handler)
    running.script, running.calls, running.bodies = [], 0, []
    thread = threading.Thread(target=running.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/data"


def client(slept: list[float], **options: Any) -> HttpClient:
    return HttpClient(
        connect_timeout=1.0,
        read_timeout=options.pop("read_timeout", 2.0),
        retries=options.pop("retries", 3),
        backoff_base=1.0,
        backoff_max=8.0,
        sleep=slept.append,
        **options,
    )


def test_transient_errors_are_retried_with_growing_backoff(server: _Server) -> None:
    server.script = [(503, {}, b""), (500, {}, b""), (200, {}, b'{"ok": true}')]
    slept: list[float] = []
    notes: list[str] = []
    reply = client(slept, on_retry=notes.append).post(url(server), {"table": "X"})
    assert json.loads(reply.body) == {"ok": True} and server.calls == 3
    assert 0.5 <= slept[0] <= 1.0 and 1.0 <= slept[1] <= 2.0  # full jitter in [ceiling/2, ceiling]
    assert notes[0].startswith("HTTP 503") and "retrying in" in notes[0]
    assert server.bodies[0] == b'{"table": "X"}'


def test_retry_after_wins_and_is_capped(server: _Server) -> None:
    server.script = [
        (429, {"Retry-After": "3"}, b""),
        (429, {"Retry-After": "120"}, b""),
        (200, {}, b"{}"),
    ]
    slept: list[float] = []
    client(slept).get(url(server))
    assert slept == [3.0, 8.0]


def test_giving_up_says_how_often_it_tried(server: _Server) -> None:
    server.script = [(503, {}, b"")] * 3
    with pytest.raises(HttpError) as caught:
        client([], retries=2).get(url(server))
    assert server.calls == 3 and "gave up after 3 attempt(s)" in caught.value.reason


def test_a_dst_error_is_not_retried_and_keeps_its_code(server: _Server) -> None:
    body = {"errorTypeCode": "REQUEST-LIMIT", "message": "200,025 rows x 5 fields"}
    server.script = [(400, {}, json.dumps(body).encode())]
    with pytest.raises(HttpError) as caught:
        client([]).post(url(server), {})
    error = caught.value
    assert server.calls == 1 and error.status == 400 and error.code == "REQUEST-LIMIT"
    assert error.reason == "HTTP 400: REQUEST-LIMIT: 200,025 rows x 5 fields"
    assert error.too_large


@pytest.mark.parametrize(
    ("status", "body", "too_large"),
    [
        (400, {"type": "Parameter error", "title": "Too many cells selected", "status": 400}, True),
        (403, {"title": "Forbidden", "status": 403}, True),  # what the spec documents
        (400, {"title": "Non-existent value", "status": 400, "detail": "1999"}, False),
        (400, {"errorTypeCode": "EXTRACT-NOTFOUND", "message": "Can't find value"}, False),
        (404, {"title": "Non-existent table", "status": 404}, False),
    ],
)
def test_too_large_answers(server: _Server, status: int, body: dict, too_large: bool) -> None:
    server.script = [(status, {}, json.dumps(body).encode())]
    with pytest.raises(HttpError) as caught:
        client([]).get(url(server))
    assert caught.value.too_large is too_large and server.calls == 1


def test_a_problem_body_gives_title_and_detail(server: _Server) -> None:
    body = {"type": "Parameter error", "title": "Non-existent value", "status": 400, "detail": "x"}
    server.script = [(400, {}, json.dumps(body).encode())]
    with pytest.raises(HttpError) as caught:
        client([]).get(url(server))
    assert caught.value.reason == "HTTP 400: Non-existent value: x"


def test_a_body_cut_short_is_retried(server: _Server) -> None:
    server.script = [(200, {"Content-Length": "100"}, b'{"half'), (200, {}, b"{}")]
    slept: list[float] = []
    assert client(slept).get(url(server)).body == b"{}"
    assert server.calls == 2 and len(slept) == 1


def test_no_answer_in_time_is_retried_then_given_up(server: _Server) -> None:
    server.script = [(0, {}, b""), (0, {}, b"")]
    with pytest.raises(HttpError) as caught:
        client([], read_timeout=0.2, retries=1).get(url(server))
    assert "no answer within 0.2 s" in caught.value.reason and server.calls == 2
    assert caught.value.status is None


def test_nobody_listening_is_a_short_message() -> None:
    with pytest.raises(HttpError) as caught:
        client([], retries=0).get("http://127.0.0.1:9/v1/tableinfo")
    assert caught.value.reason.startswith("could not connect (Connection refused)")

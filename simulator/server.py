"""A local HTTP server speaking the providers' APIs, with faults on demand.

Statistics Denmark answers under /v1/..., Statistics Norway under /api/pxwebapi/v2/..., the
Norwegian Institute of Public Health under /api/open/v1/... and IMDi's downloads under
/imdi/download_csv/..., all from one port on 127.0.0.1. Faults are injected from Python
(`Simulator.inject`) or over HTTP (`POST /_simulator/faults`), so tests in another process can
use them too.

    with start_simulator(seed=2026) as sim:
        requests.post(sim.dst_base + "/data", json={...})
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, fields, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from simulator.dst import DstApi
from simulator.faults import (
    Fault,
    FaultBoard,
    default_endpoint,
    drift_answer,
    error_answer,
    fault_from_json,
    invalid_json_answer,
    relabel_answer,
)
from simulator.fhi import PREFIX as FHI_PREFIX
from simulator.fhi import FhiApi
from simulator.imdi import PREFIX as IMDI_PREFIX
from simulator.imdi import ImdiApi
from simulator.messages import Answer, Request, json_answer, text_answer
from simulator.releases import CURRENT, Release
from simulator.ssb import PREFIX as SSB_PREFIX
from simulator.ssb import SsbApi

if TYPE_CHECKING:
    from settings import Settings

CONTROL_PATH = "/_simulator/faults"
LOG_PATH = "/_simulator/requests"


@dataclass(frozen=True)
class RequestRecord:
    """One request the simulator received and the status it answered (0: no answer)."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any  # decoded JSON, else text, else None
    provider: str | None
    endpoint: str | None
    table: str | None
    status: int
    fault: str | None
    time: float
    cells: int | None = None  # a data request's cells as the provider counts them

    def describe(self) -> dict[str, Any]:
        """The record as JSON, as GET /_simulator/requests lists it (no query or body)."""
        shown = [f.name for f in fields(self) if f.name not in ("query", "body")]
        return {name: getattr(self, name) for name in shown}


@dataclass
class _Reply:
    answer: Answer | None  # None: close the connection without answering
    truncate: bool = False


class Simulator:
    """The simulator on 127.0.0.1 (port 0: a free one); `start_simulator` starts one in the
    background.

    The data are deterministic for a seed and release (simulator/releases.py: the current
    one, or the previous one for a refresh that the current one then changes). Limits: cells
    per DST request (HTTP 400 REQUEST-LIMIT above), cells per SSB request (HTTP 403 above)
    and SSB calls in any 60 s (HTTP 429 with Retry-After above; None for no limit).
    """

    def __init__(
        self,
        port: int = 0,
        seed: int = 2026,
        dst_cell_limit: int = 1_000_000,
        ssb_cell_limit: int = 800_000,
        ssb_calls_per_minute: int | None = 30,
        release: Release = CURRENT,
    ) -> None:
        self.seed = seed
        self.release = release
        self.dst = DstApi(seed, dst_cell_limit, release)
        self.ssb = SsbApi(seed, ssb_cell_limit, ssb_calls_per_minute)
        self.fhi = FhiApi(seed)
        self.imdi = ImdiApi(seed)
        self.faults = FaultBoard()
        self._records: list[RequestRecord] = []
        self._records_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.simulator = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the server listens on (the free one chosen when started with port 0)."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def dst_base(self) -> str:
        """Where Statistics Denmark's https://api.statbank.dk/v1 is served."""
        return self.base_url + "/v1"

    @property
    def ssb_base(self) -> str:
        """Where Statistics Norway's https://data.ssb.no/api/pxwebapi/v2 is served."""
        return self.base_url + SSB_PREFIX

    @property
    def fhi_base(self) -> str:
        """Where FHI's https://statistikk-data.fhi.no/api/open/v1 is served."""
        return self.base_url + FHI_PREFIX

    @property
    def imdi_base(self) -> str:
        """Where IMDi's https://app-simapi-prod.azurewebsites.net is served."""
        return self.base_url + IMDI_PREFIX

    def aim(self, settings: Settings) -> Settings:
        """The settings with every provider's base URL pointed here."""
        return replace(
            settings,
            dst_base_url=self.dst_base,
            ssb_base_url=self.ssb_base,
            fhi_base_url=self.fhi_base,
            imdi_base_url=self.imdi_base,
        )

    @property
    def requests(self) -> list[RequestRecord]:
        """The provider requests received so far (a copy), oldest first."""
        with self._records_lock:
            return list(self._records)

    def clear_requests(self) -> None:
        """Forget the requests received so far."""
        with self._records_lock:
            self._records.clear()

    def start(self) -> Simulator:
        """Serve in a background daemon thread; returns at once."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"simulator-{self.port}", daemon=True
        )
        self._thread.start()
        # IMDi's files take a few seconds to build: start on them at once.
        threading.Thread(target=self.imdi.warm, name="simulator-imdi", daemon=True).start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        try:
            self._server.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and close the socket; requests held by a timeout fault are dropped."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def inject(
        self,
        kind: str,
        provider: str | None = None,
        table: str | None = None,
        times: int | None = 1,
        **options: Any,
    ) -> Fault:
        """Spoil the next `times` matching requests (None: until `clear_faults`).

        kind: http500, http503, http429 (option retry_after, default 1 s), timeout (option
        seconds, default 10), truncated, invalid_json, schema_drift (options dimension,
        code, new_code) or relabel (options dimension, code, label: a code's label changed
        in the metadata). Faults hit data requests unless endpoint="metadata" (or "any");
        relabel hits metadata requests unless told otherwise.
        """
        endpoint = options.pop("endpoint", default_endpoint(kind))
        fault = Fault(kind, provider, table, times, endpoint, options)
        return self.faults.add(fault)

    def clear_faults(self) -> None:
        """Remove every fault still in force."""
        self.faults.clear()

    def respond(self, request: Request) -> _Reply:
        """Route a request to the control endpoint or a provider, applying any fault."""
        if request.path.rstrip("/") == CONTROL_PATH:
            return _Reply(self._control(request))
        if request.path.rstrip("/") == LOG_PATH:
            return _Reply(self._log(request))
        api: DstApi | SsbApi | FhiApi | ImdiApi
        if request.path.startswith("/v1/"):
            provider, api = "dst", self.dst
        elif request.path.startswith(SSB_PREFIX + "/"):
            provider, api = "ssb", self.ssb
        elif request.path.startswith(FHI_PREFIX + "/"):
            provider, api = "fhi", self.fhi
        elif request.path.startswith(IMDI_PREFIX + "/"):
            provider, api = "imdi", self.imdi
        else:
            return _Reply(text_answer(404, f"Not found: {request.path}"))
        endpoint, table = api.identify(request)
        fault = self.faults.take(provider, endpoint, table)
        reply = self._answer(api, request, fault)
        answer = reply.answer
        status = answer.status if answer else 0
        cells = answer.cells if answer else None
        self._record(request, provider, endpoint, table, status, fault, cells)
        return reply

    def _answer(
        self, api: DstApi | SsbApi | FhiApi | ImdiApi, request: Request, fault: Fault | None
    ) -> _Reply:
        if fault is None:
            return _Reply(api.handle(request))
        if fault.kind in ("http500", "http503", "http429"):
            return _Reply(error_answer(fault))
        seconds = float(fault.options.get("seconds", 10))
        if fault.kind == "timeout" and self._stopping.wait(seconds):
            return _Reply(None)  # stopped while holding the request
        answer = api.handle(request)
        if fault.kind == "invalid_json":
            return _Reply(invalid_json_answer(answer))
        if fault.kind == "schema_drift":
            return _Reply(drift_answer(answer, fault))
        if fault.kind == "relabel":
            return _Reply(relabel_answer(answer, fault))
        return _Reply(answer, truncate=fault.kind == "truncated")

    def _control(self, request: Request) -> Answer:
        """GET lists the faults, POST adds one (JSON body), DELETE clears them all."""
        content_type = "application/json; charset=utf-8"
        if request.method == "GET":
            return json_answer(200, {"faults": self.faults.describe()}, content_type)
        if request.method == "DELETE":
            return json_answer(200, {"cleared": self.faults.clear()}, content_type)
        if request.method == "POST":
            try:
                fault = self.faults.add(fault_from_json(request.json()))
            except (ValueError, TypeError) as error:
                return json_answer(400, {"error": str(error)}, content_type)
            return json_answer(201, {"fault": fault.describe()}, content_type)
        return json_answer(405, {"error": f"{request.method} is not allowed"}, content_type)

    def _log(self, request: Request) -> Answer:
        """GET lists the provider requests received (with their cells), DELETE forgets them."""
        content_type = "application/json; charset=utf-8"
        if request.method == "DELETE":
            self.clear_requests()
            return json_answer(200, {"cleared": True}, content_type)
        if request.method != "GET":
            return json_answer(405, {"error": f"{request.method} is not allowed"}, content_type)
        limits = {"dst": self.dst.cell_limit, "ssb": self.ssb.cell_limit}
        # FHI's limit is the maxRowCount each request states; IMDi has none.
        records = [r.describe() for r in self.requests]
        return json_answer(200, {"limits": limits, "requests": records}, content_type)

    def _record(
        self,
        request: Request,
        provider: str,
        endpoint: str | None,
        table: str | None,
        status: int,
        fault: Fault | None,
        cells: int | None = None,
    ) -> None:
        try:
            body: Any = request.json() if request.body else None
        except ValueError:
            body = request.body.decode("utf-8", errors="replace")
        record = RequestRecord(
            request.method,
            request.path,
            request.query,
            body,
            provider,
            endpoint,
            table,
            status,
            fault.kind if fault else None,
            time.time(),
            cells,
        )
        with self._records_lock:
            self._records.append(record)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    simulator: Simulator


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "ProviderSimulator/1.0"

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: tests and the demo read `Simulator.requests` instead."""

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        host = f"http://127.0.0.1:{self.server.server_address[1]}"
        request = Request(
            method=self.command,
            path=unquote(url.path),
            query=parse_qs(url.query, keep_blank_values=True),
            body=self.rfile.read(length) if length else b"",
            base_url=host,
        )
        reply = self.server.simulator.respond(request)
        answer = reply.answer
        if answer is None:
            self.close_connection = True
            return
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        body = answer.body[: len(answer.body) // 2] if reply.truncate else answer.body
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its own timeout); nothing left to do


def start_simulator(**options: Any) -> Simulator:
    """Start a Simulator (with its options) in the background and return it. Stop it with
    `stop()` or use it as a context manager."""
    return Simulator(**options).start()


def run(port: int, seed: int = 2026, release: Release = CURRENT) -> None:
    """Serve in the foreground until Ctrl-C, printing both base URLs (`barometer simulate`)."""
    sim = Simulator(port, seed, release=release)
    print(f"Provider simulator on {sim.base_url} (seed {seed}, {release.name} release)")
    print(f"  Statistics Denmark: {sim.dst_base}")
    print(f"  Statistics Norway:  {sim.ssb_base}")
    print(f"  FHI:                {sim.fhi_base}")
    print(f"  IMDi:               {sim.imdi_base}")
    print(f"  Faults:             {sim.base_url}{CONTROL_PATH}")
    print(f"  Request log:        {sim.base_url}{LOG_PATH}", flush=True)
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        print("Simulator stopped.")

"""Browser fixtures: the app served in-process on a free port, and headless Chromium.

Browser tests skip on a machine without Chromium, except where BAROMETER_REQUIRE_BROWSER or
CI is set: there a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.harness import CHROMIUM_FLAGS  # the benchmarks' browser runs as the tests' does


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    path = chromium_path()
    if path is None:
        message = "Chromium not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("BAROMETER_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(demo_data_dir: Path) -> Iterator[str]:
    """The dashboard on demo data, served by werkzeug in a background thread."""
    from werkzeug.serving import make_server

    os.environ["BAROMETER_DATA_DIR"] = str(demo_data_dir)
    from app import app

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class ConsoleWatch:
    """Collects browser console errors and uncaught page errors."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.console_watch = ConsoleWatch(page)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("BAROMETER_SCREENSHOTS")
    path = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


# axe-core, the accessibility rules engine (Deque Systems, MPL-2.0), from the npm registry at
# test time: `npm pack` fetches the pinned release into tests/.axe/ (gitignored) once.
AXE_VERSION = "4.14.1"
AXE_FOLDER = Path(__file__).resolve().parents[1] / ".axe"


def fetch_axe() -> Path:
    """The path of axe.min.js, packed from the npm registry on first use."""
    import subprocess
    import tarfile

    script = AXE_FOLDER / f"axe-core-{AXE_VERSION}" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is not installed (apt-get install npm)")
    AXE_FOLDER.mkdir(exist_ok=True)
    subprocess.run(
        [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_FOLDER)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with tarfile.open(AXE_FOLDER / f"axe-core-{AXE_VERSION}.tgz") as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        script.parent.mkdir(exist_ok=True)
        script.write_bytes(member.read())
    return script


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, to run in a page with page.evaluate (the CSP forbids inline tags)."""
    try:
        return fetch_axe().read_text(encoding="utf-8")
    except Exception as exc:  # npm missing, no registry, a broken archive
        message = f"axe-core could not be fetched from npm: {exc}"
        if os.environ.get("BAROMETER_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

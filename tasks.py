#!/usr/bin/env python3
"""One command per chore, needing nothing but Python 3.11+: `python3 tasks.py serve|test|...`.

It bootstraps uv (the project's package manager) into the user's site-packages when missing,
then runs everything through `uv run`, so the locked dependencies are always the ones used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def uv() -> list[str]:
    """The uv command, installing uv with pip first if it is not on this machine."""
    found = shutil.which("uv")
    if found:
        return [found]
    probe = subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True)
    if probe.returncode != 0:
        print("uv not found: installing it with pip (one time)", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--user", "--quiet", "uv"], check=True
        )
    return [sys.executable, "-m", "uv"]


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(list(args), cwd=ROOT, check=True)


def setup() -> None:
    run(*uv(), "sync", "--locked")


def lint() -> None:
    setup()
    run(*uv(), "run", "ruff", "format", "--check", ".")
    run(*uv(), "run", "ruff", "check", ".")
    run(*uv(), "run", "mypy")


def test() -> None:
    lint()
    run(*uv(), "run", "pytest", "-q", "-ra")


def serve() -> None:
    setup()
    run(*uv(), "run", "barometer", "serve", *sys.argv[2:])


def bench() -> None:
    setup()
    for name in ("decode", "compute", "callbacks", "load", "browser"):
        run(*uv(), "run", "python", "-m", f"benchmarks.{name}")


TASKS = {"setup": setup, "lint": lint, "test": test, "serve": serve, "bench": bench}

if __name__ == "__main__":
    task = sys.argv[1] if len(sys.argv) > 1 else ""
    if task not in TASKS:
        print(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}}", file=sys.stderr)
        sys.exit(2)
    os.chdir(ROOT)
    try:
        TASKS[task]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)
    except KeyboardInterrupt:
        sys.exit(130)

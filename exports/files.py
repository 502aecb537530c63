"""Writing an export file whole: under a temporary name beside it, renamed at the end.

A failed export (a bad request found late, a full disk, Ctrl+C) leaves no partial file behind
and never replaces a good file of the same name.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def writing(target: Path) -> Iterator[IO[bytes]]:
    """A binary file to write `target` through; it appears only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with temporary.open("wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_file(target: Path, build: Callable[[], bytes]) -> int:
    """Build the bytes first (a failure writes nothing), then write them whole; the size."""
    data = build()
    with writing(target) as f:
        f.write(data)
    return len(data)

"""One refresh at a time per data folder: a lock file holding the owner's process id.

The lock is the operating system's (flock on POSIX, msvcrt.locking on Windows) on
`<data folder>/.refresh.lock`, so it is released the moment its owner ends, however it ends:
a refresh killed with SIGKILL leaves a file with a dead process's id that the next refresh
simply takes over (and says so). The file itself stays; deleting a lock file others may hold
open would let two processes lock two different files.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from errors import BarometerError

LOCK_NAME = ".refresh.lock"


class RefreshRunning(BarometerError):
    """Another refresh holds the data folder's lock."""


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def read_owner(path: Path) -> str:
    """Who the lock file says holds (or last held) it: 'PID 123 since <time>', or ''."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    pid, _, since = text.partition(" ")
    return f"PID {pid} since {since}" if pid.isdigit() else ""


def _write_owner(fd: int) -> None:
    since = datetime.now(UTC).isoformat(timespec="seconds")
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()} {since}\n".encode())


@contextmanager
def refresh_lock(
    data_dir: Path, progress: Callable[[str], None], wait: bool = False, poll: float = 0.5
) -> Iterator[None]:
    """Hold the data folder's refresh lock; without `wait`, fail at once if it is taken."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waiting = False
        while not _try_lock(fd):
            owner = read_owner(path) or "owner unknown"
            if not wait:
                raise RefreshRunning(
                    f"another refresh of {data_dir} is running ({owner}); "
                    "wait for it to finish, or run `barometer refresh --wait`"
                )
            if not waiting:
                progress(f"waiting for the refresh already running ({owner})")
                waiting = True
            time.sleep(poll)
        previous = read_owner(path)
        if previous:
            progress(f"taking over the lock of an interrupted refresh ({previous})")
        _write_owner(fd)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # an empty file: nobody is refreshing
            _unlock(fd)
    finally:
        os.close(fd)

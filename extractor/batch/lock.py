"""One ingest at a time per dataset: an exclusive, non-blocking lock on `DIR/.lock`.

flock is released by the kernel when the holder dies, even by SIGKILL, so a crashed run
never leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatasetLocked(RuntimeError):
    """Another process holds the dataset's lock."""


class DatasetLock:
    def __init__(self, out_dir: str | Path):
        self.path = Path(out_dir) / ".lock"
        self._fd: int | None = None

    def __enter__(self) -> "DatasetLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise DatasetLocked(f"another ingest is running on {self.path.parent} "
                                f"(pid {holder}); try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

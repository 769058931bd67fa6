"""Children die with the parent, and leave no temporary files behind.

- Each worker process leads its own process group, so that killing the group also kills
  what it started (tesseract).
- A worker holds the read end of a *lifeline* pipe whose write end only the parent has; a
  watchdog thread blocks on it, and when the parent dies (even by SIGKILL) the kernel closes
  the write end, the read returns, and the watchdog kills the worker's group.
- The forkserver that forks the workers is told by the kernel to die with the parent
  (`PR_SET_PDEATHSIG`), set when it imports this module's `guard_forkserver`.
- Each worker's temporary files go into a folder of its own under a run folder
  (`$TMPDIR/ita-extract-<pid>-<run>/`), removed when the worker ends or is killed; folders
  of runs whose process is gone are removed by the next run.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path

PARENT_ENV = "ITA_EXTRACT_PARENT_PID"
_PR_SET_PDEATHSIG = 1
TEMP_PREFIX = "ita-extract-"


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` when our parent dies (Linux); False elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def guard_forkserver() -> None:
    """Run in the forkserver (it imports this at start): die with the process that started
    it. Does nothing in any other process."""
    parent = os.environ.get(PARENT_ENV)
    if parent and parent == str(os.getppid()):
        die_with_parent()
        if str(os.getppid()) != parent:  # the parent died before the request took effect
            os._exit(1)


def kill_group(pid: int) -> None:
    """SIGKILL a worker and everything in its process group."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def start_watchdog(lifeline) -> None:
    """In a worker: lead a process group, and kill it when `lifeline` (a connection whose
    other end only the parent holds) reports end of file."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass

    def watch() -> None:
        try:
            while True:
                lifeline.recv_bytes()
        except (EOFError, OSError):
            pass
        kill_group(os.getpid())

    threading.Thread(target=watch, name="ita-extract-lifeline", daemon=True).start()


def use_temp_dir(folder: str) -> None:
    """Send this process's temporary files (and its children's) into `folder`."""
    os.makedirs(folder, exist_ok=True)
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder


def multiprocessing_temp_dir() -> None:
    """multiprocessing keeps the forkserver's socket in a `pymp-*` folder it removes at exit
    — which never comes after a SIGKILL. Put that folder where the next run finds it:
    `ita-extract-<pid>-mp`, removed like a run folder once this process is gone."""
    from multiprocessing import process, util

    config = process.current_process()._config  # noqa: SLF001 - the documented way is env only
    if config.get("tempdir"):
        return
    base = Path(tempfile.gettempdir())
    RunTemp._remove_stale(base)
    folder = base / f"{TEMP_PREFIX}{os.getpid()}-mp"
    folder.mkdir(mode=0o700, exist_ok=True)
    config["tempdir"] = str(folder)
    util.Finalize(None, shutil.rmtree, args=(str(folder), True), exitpriority=-100)


class RunTemp:
    """The run's temporary folder; stale ones of dead runs are removed on creation."""

    def __init__(self):
        base = Path(tempfile.gettempdir())
        self._remove_stale(base)
        self.path = base / f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.mkdir(mode=0o700)

    @staticmethod
    def _remove_stale(base: Path) -> None:
        for p in base.glob(f"{TEMP_PREFIX}*-*"):
            try:
                pid = int(p.name[len(TEMP_PREFIX):].split("-", 1)[0])
            except ValueError:
                continue
            if pid != os.getpid() and not _alive(pid):
                shutil.rmtree(p, ignore_errors=True)

    def worker_dir(self) -> str:
        return str(self.path / uuid.uuid4().hex[:8])

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True

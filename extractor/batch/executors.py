"""Where per-file extraction runs: in this process, in a pool of worker processes with a
per-file time limit and memory cap, or on a Dask distributed cluster.

Each executor takes paths and calls `on_result(report)` as reports come back, in
completion order. A file that exceeds its limits, or kills its worker, becomes a failed
report with the reason — a PDF bomb or a 500-page scan cannot stall or kill the batch.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import select
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable

from extractor.model import Report
from extractor.reading.pipeline import extract_report

OnResult = Callable[[Report], None]
OnPage = Callable[[str, int, int], None]  # (path, page i, of n pages) as a PDF's page starts


@dataclass(frozen=True)
class Limits:
    time_limit: float | None = 300.0  # seconds of wall time per file
    memory_mb: int | None = 2048  # address space per worker process


def failed(path: str, reason: str) -> Report:
    return Report(source_file=os.path.basename(path), source_path=path, status="failed", error=reason)


def _cap_memory(memory_mb: int | None) -> None:
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _safe_extract(path: str, read=None, on_page=None) -> Report:
    """`read`: the reader's OCR options (`ocr_policy.OcrOptions`), None for the default."""
    try:
        return extract_report(path, read, on_page)
    except MemoryError:
        return failed(path, "file needs more memory than the per-file cap (--memory-mb)")


def run_inline(paths: Iterable[str], on_result: OnResult, read=None,
               on_page: OnPage | None = None) -> None:
    """In this process: no isolation, no overhead (library use and small batches)."""
    for p in paths:
        pages = (lambda i, n, p=p: on_page(p, i, n)) if on_page else None
        on_result(_safe_extract(p, read, pages))


def _worker_main(conn: Connection, memory_mb: int | None, read=None, pages: bool = False) -> None:
    _cap_memory(memory_mb)
    while True:
        path = conn.recv()
        if path is None:
            return
        # Page progress goes back on the same pipe, ahead of the report.
        on_page = (lambda i, n, path=path: conn.send(("page", path, i, n))) if pages else None
        conn.send(_safe_extract(path, read, on_page))


class _Worker:
    """A worker process fed through a pipe. Two paths are kept in flight so a worker
    never waits for the parent between files; the time limit runs on the head one."""

    DEPTH = 2

    def __init__(self, ctx, limits: Limits, read=None, pages: bool = False):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, limits.memory_mb, read, pages),
                                daemon=True)
        self.proc.start()
        child.close()
        self.paths: deque[str] = deque()
        self.started = 0.0

    def give(self, path: str) -> None:
        if not self.paths:
            self.started = time.monotonic()
        self.paths.append(path)  # before sending: a failed send still accounts for it
        self.conn.send(path)

    def done(self) -> None:
        self.paths.popleft()
        self.started = time.monotonic()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _context():
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["extractor.reading.pipeline"])
    return ctx


def run_local(paths: Iterable[str], workers: int, limits: Limits, on_result: OnResult,
              read=None, on_page: OnPage | None = None) -> None:
    """A pool of `workers` processes; a worker past its time limit is killed and replaced,
    and the files queued behind the stuck one go back to the queue."""
    ctx = _context()
    todo = deque(paths)
    new = lambda: _Worker(ctx, limits, read, on_page is not None)  # noqa: E731
    pool = [new() for _ in range(max(1, min(workers, len(todo))))]
    try:
        while todo or any(w.paths for w in pool):
            for w in pool:
                while todo and len(w.paths) < w.DEPTH and w.proc.is_alive():
                    try:
                        w.give(todo.popleft())
                    except OSError:  # the worker died under us: handled below
                        break
            busy = [w for w in pool if w.paths]
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.25)
            now = time.monotonic()
            for i, w in enumerate(pool):
                if not w.paths:
                    continue
                if w.conn in ready:
                    try:
                        report = w.conn.recv()
                    except (EOFError, OSError):
                        report = None
                    if isinstance(report, tuple):  # ("page", path, i, n)
                        on_page(*report[1:])
                        continue
                    if report is not None:
                        w.done()
                        on_result(report)
                        continue
                reason = None
                if not w.proc.is_alive():
                    reason = f"worker died while reading the file (exit code {w.proc.exitcode})"
                elif limits.time_limit and now - w.started > limits.time_limit:
                    reason = f"time limit of {limits.time_limit:g}s per file exceeded"
                if reason:
                    stuck, *queued = w.paths
                    w.kill()
                    todo.extendleft(reversed(queued))
                    pool[i] = new()
                    on_result(failed(stuck, reason))
    finally:
        for w in pool:
            if w.proc.is_alive():
                try:
                    w.conn.send(None)
                except OSError:
                    pass
                w.proc.join(2)
                if w.proc.is_alive():
                    w.kill()


def extract_isolated(path: str, time_limit: float | None = None, memory_mb: int | None = None,
                     read=None) -> Report:
    """Extract one file in a forked child under the limits (the unit of work on Dask).

    A plain fork, not multiprocessing: Dask worker processes are daemonic, and
    multiprocessing refuses to start children from those.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: extract, send the pickled report, leave without cleanup
        os.close(read_end)
        try:
            _cap_memory(memory_mb)
            data = pickle.dumps(_safe_extract(path, read))
        except BaseException as exc:  # noqa: BLE001 - anything must reach the parent
            data = pickle.dumps(failed(path, f"internal error: {type(exc).__name__}: {exc}"))
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)
        os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + time_limit if time_limit else None
    reason = None
    with os.fdopen(read_end, "rb", buffering=0) as fh:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                reason = f"time limit of {time_limit:g}s per file exceeded"
                break
            ready, _, _ = select.select([fh], [], [], left)
            if not ready:
                continue
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if reason:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if reason is None and chunks:
        return pickle.loads(b"".join(chunks))
    return failed(path, reason or f"worker died while reading the file (status {status})")


def run_dask(paths: Iterable[str], scheduler: str, limits: Limits, on_result: OnResult,
             read=None) -> None:
    """Each file a task on a dask.distributed cluster at `scheduler` (host:port)."""
    from dask.distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = client.map(extract_isolated, list(paths), time_limit=limits.time_limit,
                             memory_mb=limits.memory_mb, read=read, pure=False)
        for future in as_completed(futures):
            on_result(future.result())

"""Where per-file extraction runs: in this process, in a pool of worker processes with a
per-file time limit and memory cap, or on a Dask distributed cluster.

Each executor takes paths and calls `on_result(result)` as results come back, in
completion order: the report, and its rows as validated Arrow tables built where the file
was read (so the committing process only concatenates and writes). A file that exceeds its limits, or kills its worker, becomes a failed
report with the reason — a PDF bomb or a 500-page scan cannot stall or kill the batch.
Workers die with the parent and their temporary files go with them (`lifeline.py`).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import select
import shutil
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable

from extractor.dataset.arrow import Tables, stored_tables
from extractor.errors import PERMANENT, TRANSIENT
from extractor.model import Report

from .lifeline import (PARENT_ENV, RunTemp, kill_group, multiprocessing_temp_dir, start_watchdog,
                       use_temp_dir)



@dataclass
class Result:
    report: Report
    tables: Tables | None = None  # its rows; None: to be built by the committing process


OnResult = Callable[[Result], None]
OnPage = Callable[[str, int, int], None]  # (path, page i, of n pages) as a PDF page starts


@dataclass(frozen=True)
class Limits:
    time_limit: float | None = 300.0  # seconds of wall time per file
    memory_mb: int | None = 2048  # address space per worker process


def failed(path: str, reason: str, failure: str = TRANSIENT) -> Report:
    """A failed report for a file that was not (fully) read; limits are transient causes."""
    return Report(source_file=os.path.basename(path), source_path=path, status="failed",
                  error=reason, failure=failure)


def refused(path: str, reason: str, failure: str = PERMANENT) -> Report:
    return failed(path, reason, failure)


def _cap_memory(memory_mb: int | None) -> None:
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def extract_report(path: str, read=None, on_page=None) -> Report:
    """`reading.pipeline.extract_report`, imported on first use: the committing process of
    a pool run never reads a report itself, and a run with nothing new reads none."""
    from extractor.reading.pipeline import extract_report as extract

    return extract(path, read, on_page)


def _safe_extract(path: str, version: str, read=None, on_page=None) -> Result:
    """`read`: the reader's OCR options (`ocr_policy.OcrOptions`), None for the default;
    `on_page(i, n)`: page i of n of a PDF started."""
    try:
        report = extract_report(path, read, on_page)
    except MemoryError:
        return Result(failed(path, "file needs more memory than the per-file cap (--memory-mb)"))
    try:
        return Result(*stored_tables(report, version, check=False))
    except MemoryError:
        return Result(failed(path, "file needs more memory than the per-file cap (--memory-mb)"))


def run_inline(paths: Iterable[str], on_result: OnResult, version: str, read=None,
               on_page: OnPage | None = None) -> None:
    """In this process: no isolation, no overhead (library use and small batches). Files
    are still opened safely (a FIFO cannot block), and temporary files go to a run folder
    removed at the end."""
    import tempfile

    temp = RunTemp()
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    use_temp_dir(str(temp.path))
    try:
        for p in paths:
            pages = (lambda i, n, p=p: on_page(p, i, n)) if on_page else None
            on_result(_safe_extract(p, version, read, pages))
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        temp.close()


def _worker_main(conn: Connection, lifeline: Connection, memory_mb: int | None,
                 temp_dir: str, version: str, read=None, pages: bool = False) -> None:
    start_watchdog(lifeline)
    use_temp_dir(temp_dir)
    _cap_memory(memory_mb)
    while True:
        path = conn.recv()
        if path is None:
            return
        # page progress goes back on the same pipe, ahead of the file's result
        on_page = (lambda i, n, path=path: conn.send(("page", path, i, n))) if pages else None
        conn.send(_safe_extract(path, version, read, on_page))


class _Worker:
    """A worker process fed through a pipe. Two paths are kept in flight so a worker
    never waits for the parent between files; the time limit runs on the head one."""

    DEPTH = 2

    def __init__(self, ctx, limits: Limits, temp: RunTemp, version: str, read=None,
                 pages: bool = False):
        self.conn, child = ctx.Pipe()
        life_r, self.lifeline = ctx.Pipe(duplex=False)  # the parent only ever holds the write end
        self.temp_dir = temp.worker_dir()
        self.proc = ctx.Process(target=_worker_main, daemon=True,
                                args=(child, life_r, limits.memory_mb, self.temp_dir, version,
                                      read, pages))
        self.proc.start()
        child.close()
        life_r.close()
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
        kill_group(self.proc.pid)  # and the tesseract it may have started
        self.proc.join(5)
        self.close()

    def close(self) -> None:
        self.conn.close()
        self.lifeline.close()
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def _context():
    os.environ[PARENT_ENV] = str(os.getpid())  # read by the forkserver when it starts
    multiprocessing_temp_dir()
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["extractor.batch._forkserver_init"])
    return ctx


_WARM_UP = ("รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
            "เทศบาลตำบลบ้านกลาง อำเภอสันป่าตอง จังหวัดเชียงใหม่\n\n"
            "มาตรการ\tวิธีดำเนินการ\tผู้รับผิดชอบ\tระยะเวลา\tสถานะ\n"
            "๑. ประชุมชี้แจง\tแจ้งเวียน\tสำนักปลัด\tต.ค. ๖๖ - มี.ค. ๖๗\t☑ ดำเนินการแล้ว\n")


def warm_up() -> None:
    """Read a small report once, so lazily built tables are built before workers fork. Only
    the reading code: Arrow starts threads when it computes, and a process must not fork
    with threads running (pyarrow converts one list here, which starts none)."""
    try:
        from extractor.dataset.arrow import skip_pandas_probe

        skip_pandas_probe()  # or every worker imports pandas on its first file
        from extractor.reading.pipeline import extract_document
        from extractor.reading.readers.text import parse_text

        extract_document(parse_text(_WARM_UP, "warm-up.txt"))
    except Exception:  # noqa: BLE001 - a warm-up must never stop a run
        pass


def prestart() -> None:
    """Start the forkserver now (it imports and warms up while this process scans and plans);
    the pool connects to it later."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def run_local(paths: Iterable[str], workers: int, limits: Limits, on_result: OnResult,
              version: str, read=None, on_page: OnPage | None = None) -> None:
    """A pool of `workers` processes; a worker past its time limit is killed and replaced,
    and the files queued behind the stuck one go back to the queue."""
    ctx = _context()
    todo = deque(paths)
    temp = RunTemp()

    def new() -> _Worker:
        return _Worker(ctx, limits, temp, version, read, on_page is not None)
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
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    if isinstance(result, tuple):  # ("page", path, i, n): progress
                        on_page(*result[1:])
                        continue
                    if result is not None:
                        w.done()
                        on_result(result)
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
                    on_result(Result(failed(stuck, reason)))
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
            w.close()
        temp.close()


def extract_isolated(path: str, time_limit: float | None = None, memory_mb: int | None = None,
                     version: str = "", read=None) -> Result:
    """Extract one file in a forked child under the limits (the unit of work on Dask).

    A plain fork, not multiprocessing: Dask worker processes are daemonic, and
    multiprocessing refuses to start children from those.
    """
    read_end, write_end = os.pipe()
    life_r, life_w = os.pipe()  # the child watches it: end of file = the parent died
    temp = RunTemp()
    pid = os.fork()
    if pid == 0:  # child: extract, send the pickled report, leave without cleanup
        os.close(read_end)
        os.close(life_w)
        try:
            from multiprocessing.connection import Connection as _Conn

            start_watchdog(_Conn(life_r, writable=False))
            use_temp_dir(temp.worker_dir())
            _cap_memory(memory_mb)
            data = pickle.dumps(_safe_extract(path, version, read))
        except BaseException as exc:  # noqa: BLE001 - anything must reach the parent
            data = pickle.dumps(Result(failed(path, f"internal error: {type(exc).__name__}: {exc}",
                                              PERMANENT)))
        with os.fdopen(write_end, "wb") as fh:
            fh.write(data)
        os._exit(0)
    os.close(write_end)
    os.close(life_r)
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
        kill_group(pid)
    _, status = os.waitpid(pid, 0)
    os.close(life_w)
    temp.close()
    if reason is None and chunks:
        return pickle.loads(b"".join(chunks))
    return Result(failed(path, reason or f"worker died while reading the file (status {status})"))


def run_dask(paths: Iterable[str], scheduler: str, limits: Limits, on_result: OnResult,
             version: str, read=None) -> None:
    """Each file a task on a dask.distributed cluster at `scheduler` (host:port)."""
    from dask.distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = client.map(extract_isolated, list(paths), time_limit=limits.time_limit,
                             memory_mb=limits.memory_mb, version=version, read=read, pure=False)
        for future in as_completed(futures):
            on_result(future.result())

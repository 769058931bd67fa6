"""Batch ingestion: find report files, skip what is unchanged, extract the rest (in
worker processes or on a Dask cluster), commit rows in checkpoints, summarise the run.

Safe to run unattended: one run per dataset (lock), every commit an atomic, append-only
version, re-runs incremental and idempotent, each bad file a failed report row with its
reason, and every run — crashed, refused or locked ones too — leaves a record in runs/.
"""
from __future__ import annotations

import os
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from extractor import parser_version
from extractor.dataset.rows import display_path
from extractor.dataset.snapshots import DEFAULT_RETENTION_S
from extractor.dataset.store import DatasetDamaged, Store
from extractor.errors import PERMANENT
from extractor.model import Report
from extractor.notes import needs_review

from .commit import Committer
from .executors import Limits, Result, prestart, refused, run_dask, run_inline, run_local
from .lock import DatasetLock, DatasetLocked
from .plan import gone, plan_run
from .runs import RunSummary, write_run_record
from .scan import Input, find_inputs

DEFAULT_MAX_MB = 200


@dataclass
class IngestOptions:
    workers: int = 0  # 0: in this process; N: a pool of N worker processes
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address
    limits: Limits = field(default_factory=Limits)
    max_mb: float = DEFAULT_MAX_MB  # larger files are quarantined unread
    force: bool = False  # re-extract unchanged files too
    retry_failed: bool = False  # re-extract every failed file, not only transient failures
    prune: bool = False  # remove the rows of files no longer present
    follow_symlinks: bool = False  # read links that stay inside the input folders
    checkpoint_every: int = 500  # commit every N extracted files
    retention_s: float = DEFAULT_RETENTION_S  # keep replaced versions this long for readers
    ocr: str = "auto"  # PDF pages: auto | never | force (reading/readers/ocr_policy.py)


def ingest(paths: Iterable[str | Path], out_dir: str | Path, options: IngestOptions | None = None,
           progress: Callable[[int, int, Report], None] | None = None,
           notice: Callable[[str], None] | None = None,
           on_page: Callable[[str, int, int], None] | None = None) -> RunSummary:
    """Extract what is new or changed under `paths` into the dataset at `out_dir`.
    `on_page(path, i, n)`: page i of n of a PDF started (progress; not on Dask).

    Raises `DatasetLocked` when another run holds the dataset, `DatasetDamaged` when the
    dataset cannot be read or restored; any other exception is a bug. In every case the
    summary is written to `out_dir/runs/` first.
    """
    opts = options or IngestOptions()
    out_dir = Path(out_dir)
    summary = RunSummary(output=str(out_dir))

    def say(line: str) -> None:
        summary.notices.append(line)
        if notice:
            notice(line)

    try:
        with DatasetLock(out_dir):
            try:
                summary.parser_version = parser_version()
                store = Store(out_dir, opts.retention_s, notice=say).open(summary.parser_version)
                summary.dataset_version = store.record.seq if store.record else None
                _run(list(paths), store, opts, summary, progress, on_page)
                summary.outcome = "ok"
            except BaseException as exc:
                summary.outcome = ("refused" if isinstance(exc, DatasetDamaged) else
                                   "interrupted" if isinstance(exc, KeyboardInterrupt) else "crashed")
                summary.error = (str(exc) if isinstance(exc, DatasetDamaged)
                                 else "".join(traceback.format_exception(exc, limit=8)))
                write_run_record(out_dir, summary)
                raise
            write_run_record(out_dir, summary)
    except DatasetLocked as exc:
        summary.outcome, summary.error = "locked", str(exc)
        write_run_record(out_dir, summary, latest=False)
        raise
    return summary


def _run(paths: list, store: Store, opts: IngestOptions, summary: RunSummary,
         progress: Callable[[int, int, Report], None] | None, on_page=None) -> None:
    clock = time.perf_counter()
    version = summary.parser_version
    if opts.workers > 0 and opts.executor == "local":
        prestart()  # the worker pool's forkserver warms up while this process scans
    inputs = find_inputs(paths, opts.follow_symlinks)
    manifest = store.manifest
    summary.seconds["scan"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    max_bytes = int(opts.max_mb * 1024 * 1024)
    plan = plan_run(inputs, manifest, version, opts.force, opts.retry_failed, max_bytes)
    summary.files_seen, summary.skipped = len(inputs), len(plan.unchanged) + len(plan.touched)
    summary.new, summary.changed = len(plan.new) + len(plan.refused), len(plan.changed)
    summary.reparsed, summary.retried = len(plan.reparse), len(plan.retry)
    committer = Committer(store, version, summary, opts.checkpoint_every)
    for inp in plan.touched:
        committer.touched(inp)
    for inp, entry in plan.known:
        committer.known(inp, entry)
    for path in manifest.paths_not_in((i.path for i in inputs), failed_only=not opts.prune):
        # A folder that could not be listed before and can be now: its row (a failure) has
        # done its job. With --prune, any path that no longer exists.
        if (os.path.isdir(path) and not os.path.islink(path)) or (opts.prune and gone(path)):
            committer.forget(path)
            summary.pruned += opts.prune and gone(path)
    summary.seconds["plan"] = round(time.perf_counter() - clock, 3)
    _extract(plan.refused, plan.todo, committer, opts, summary, progress, max_bytes, on_page)
    committer.flush()


def _extract(refusals: list[Input], todo: list[Input], committer: Committer, opts: IngestOptions,
             summary: RunSummary, progress, max_bytes: int, on_page=None) -> None:
    kinds: Counter[str] = Counter()
    done = 0
    total = len(refusals) + len(todo)
    by_read_path: dict[str, list[Input]] = defaultdict(list)  # a followed link and its target: read once
    for inp in todo:
        by_read_path[inp.read_path].append(inp)
    write_before = 0.0
    t0 = time.perf_counter()

    def on_result(result: Result, inputs: list[Input] | None = None) -> None:
        nonlocal done
        report = result.report
        inputs = inputs or by_read_path.pop(report.source_path or "", None)
        if not inputs:  # cannot happen: every result answers a path given
            raise RuntimeError(f"a result for a path that was not asked for: {report.source_path!r}")
        done += len(inputs)
        setattr(summary, report.status, getattr(summary, report.status) + 1)
        shown = display_path(inputs[0].path)
        if report.status in ("failed", "empty"):
            reason = report.error if report.status == "failed" else "no measure table found"
            summary.quarantined.append({"path": shown, "status": report.status, "reason": reason or "",
                                        "failure": report.failure or ""})
        for n in report.notes + [n for m in report.measures for n in m.notes]:
            kinds[n.kind] += 1
        summary.needs_review += needs_review(report.notes)
        if progress:
            report.source_path = shown
            progress(done, total, report)
            report.source_path = inputs[0].read_path
        committer.add(result, inputs)

    for inp in refusals:
        on_result(Result(refused(inp.path, inp.refusal or "", inp.failure)), [inp])
    runnable = []
    for read_path, inputs in list(by_read_path.items()):
        if inputs[0].size > max_bytes:
            by_read_path.pop(read_path)
            on_result(Result(refused(read_path, f"file is larger than the {opts.max_mb:g} MB limit (--max-mb)",
                                     PERMANENT)), inputs)
        else:
            runnable.append(read_path)
    write_before = _write_seconds(committer)
    from extractor.reading.readers.ocr_policy import OcrOptions, available_cores
    # The cores are shared out: each of N workers OCRs at most cores/N pages at once.
    share = max(1, available_cores() // opts.workers) if opts.workers > 0 else None
    read = OcrOptions(opts.ocr, share)
    if not runnable:
        pass  # nothing to read: no worker pool to start
    elif opts.executor == "dask":
        if not opts.scheduler:
            raise ValueError("the dask executor needs a scheduler address")
        run_dask(runnable, opts.scheduler, opts.limits, on_result, summary.parser_version,
                 OcrOptions(opts.ocr, 1))
    elif opts.workers > 0:
        run_local(runnable, opts.workers, opts.limits, on_result, summary.parser_version, read, on_page)
    else:
        run_inline(runnable, on_result, summary.parser_version, read, on_page)
    write = _write_seconds(committer) - write_before
    summary.seconds["extract"] = round(time.perf_counter() - t0 - write, 3)
    t = time.perf_counter()
    committer.flush()
    summary.seconds["write"] = round(write + time.perf_counter() - t, 3)
    summary.notes_by_kind = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def _write_seconds(committer: Committer) -> float:
    return committer.seconds

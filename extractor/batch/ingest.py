"""Batch ingestion: find report files, skip what is unchanged, extract the rest (in
worker processes or on a Dask cluster), commit rows in checkpoints, summarise the run.

Safe to run unattended: one run per dataset (lock), every commit an atomic snapshot,
re-runs incremental and idempotent, each bad file a failed report row with its reason.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from extractor import __version__
from .executors import Limits, failed, run_dask, run_inline, run_local
from extractor.dataset.rows import measure_rows, report_row
from .lock import DatasetLock
from extractor.dataset.manifest import Entry, plan_run
from extractor.model import Report
from extractor.notes import needs_review
from extractor.reading.pipeline import SUPPORTED_SUFFIXES
from extractor.dataset.store import Store

DEFAULT_MAX_MB = 200


@dataclass
class IngestOptions:
    workers: int = 0  # 0: in this process; N: a pool of N worker processes
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address
    limits: Limits = field(default_factory=Limits)
    max_mb: float = DEFAULT_MAX_MB  # larger files are quarantined unread
    force: bool = False  # re-extract unchanged files too
    checkpoint_every: int = 500  # commit a snapshot every N extracted files
    ocr: str = "auto"  # PDF pages: auto | never | force (readers/ocr_policy.py)


@dataclass
class RunSummary:
    run_id: str = ""
    started_at: str = ""
    output: str = ""
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    reparsed: int = 0
    skipped: int = 0
    ok: int = 0
    empty: int = 0
    failed: int = 0
    reports_written: int = 0
    measures_written: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    notes_by_kind: dict[str, int] = field(default_factory=dict)  # kind → count, most first
    needs_review: int = 0  # reports written with a review note
    quarantined: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    @property
    def measures(self) -> int:
        return self.measures_written

    def to_json(self) -> dict:
        return asdict(self)


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: each file given, and supported files under each folder given
    (hidden folders skipped), each once, in a stable order."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in sorted(files)
                             if not f.startswith(".") and Path(f).suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            found.append(p)
    seen: set[str] = set()
    unique = []
    for f in found:
        key = os.path.abspath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def ingest(paths: Iterable[str | Path], out_dir: str | Path, options: IngestOptions | None = None,
           progress: Callable[[int, int, Report], None] | None = None,
           on_page: Callable[[str, int, int], None] | None = None) -> RunSummary:
    """Extract what is new or changed under `paths` into the dataset at `out_dir`.
    `on_page(path, i, n)`: page i of n of a PDF started (not on Dask).

    Raises `DatasetLocked` when another run holds the dataset.
    """
    opts = options or IngestOptions()
    out_dir = Path(out_dir)
    summary = RunSummary(run_id=uuid.uuid4().hex[:12], output=str(out_dir),
                         started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    clock = time.perf_counter()
    with DatasetLock(out_dir):
        store = Store(out_dir)
        files = [os.path.abspath(f) for f in find_inputs(paths)]
        manifest = store.manifest()
        summary.seconds["scan"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
        plan = plan_run(files, manifest, __version__, opts.force)
        summary.files_seen, summary.skipped = len(files), len(plan.unchanged)
        summary.new, summary.changed, summary.reparsed = len(plan.new), len(plan.changed), len(plan.reparse)
        for p, st in plan.touched.items():
            manifest[p].mtime_ns = st.st_mtime_ns
        summary.seconds["plan"] = round(time.perf_counter() - clock, 3)
        _extract_and_commit(plan.todo, store, manifest, opts, summary, progress, on_page)
        if plan.touched and not plan.todo:
            store.commit_manifest(manifest)
        _write_run_report(out_dir, summary)
    return summary


def _extract_and_commit(todo: list[str], store: Store, manifest: dict[str, Entry],
                        opts: IngestOptions, summary: RunSummary,
                        progress: Callable[[int, int, Report], None] | None,
                        on_page: Callable[[str, int, int], None] | None = None) -> None:
    stats: dict[str, os.stat_result] = {}
    runnable = []
    too_big = []
    for p in todo:
        try:
            stats[p] = os.stat(p)
        except OSError:
            pass
        if p in stats and stats[p].st_size > opts.max_mb * 1024 * 1024:
            too_big.append(p)
        else:
            runnable.append(p)
    batch: list[Report] = []
    done = 0
    kinds: Counter[str] = Counter(summary.notes_by_kind)
    extract_s = write_s = 0.0
    t_extract = time.perf_counter()

    def commit() -> None:
        nonlocal write_s, batch
        if not batch:
            return
        t = time.perf_counter()
        now = datetime.now(timezone.utc).replace(microsecond=0)
        reports = [report_row(r, r.source_path, __version__, now) for r in batch]
        measures = [row for r in batch for row in measure_rows(r)]
        for r, row in zip(batch, reports):
            st = stats.get(r.source_path)
            manifest[r.source_path] = Entry(
                path=r.source_path, size=st.st_size if st else -1,
                mtime_ns=st.st_mtime_ns if st else -1, sha256=r.sha256,
                parser_version=__version__, outcome=r.status, error=r.error,
                report_id=row["report_id"], ingested_at=now.isoformat())
        store.commit(reports, measures, manifest)
        summary.reports_written += len(reports)
        summary.measures_written += len(measures)
        batch = []
        write_s += time.perf_counter() - t

    def on_result(report: Report) -> None:
        nonlocal done
        done += 1
        report.source_path = report.source_path or ""
        batch.append(report)
        status = report.status
        setattr(summary, status, getattr(summary, status) + 1)
        if status in ("failed", "empty"):
            reason = report.error if status == "failed" else "no measure table found"
            summary.quarantined.append({"path": report.source_path, "status": status,
                                        "reason": reason or ""})
        for n in report.notes + [n for m in report.measures for n in m.notes]:
            kinds[n.kind] += 1
        summary.needs_review += needs_review(report.notes)
        if progress:
            progress(done, len(todo), report)
        if len(batch) >= opts.checkpoint_every:
            commit()

    for p in too_big:
        on_result(failed(p, f"file is larger than the {opts.max_mb:g} MB limit (--max-mb)"))
    from extractor.reading.readers.ocr_policy import OcrOptions, available_cores
    # The cores are shared out: each of N workers OCRs at most cores/N pages at once.
    share = max(1, available_cores() // opts.workers) if opts.workers > 0 else None
    read = OcrOptions(opts.ocr, share)
    if opts.executor == "dask":
        if not opts.scheduler:
            raise ValueError("the dask executor needs a scheduler address")
        run_dask(runnable, opts.scheduler, opts.limits, on_result, OcrOptions(opts.ocr, 1))
    elif opts.workers > 0:
        run_local(runnable, opts.workers, opts.limits, on_result, read, on_page)
    else:
        run_inline(runnable, on_result, read, on_page)
    extract_s = time.perf_counter() - t_extract - write_s
    commit()
    summary.seconds["extract"] = round(extract_s, 3)
    summary.seconds["write"] = round(write_s, 3)
    summary.notes_by_kind = dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def _write_run_report(out_dir: Path, summary: RunSummary) -> None:
    """The run's JSON summary, next to the dataset: runs/<time>-<id>.json and last_run.json."""
    runs = out_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2)
    stamp = summary.started_at.replace(":", "").replace("-", "")[:15]
    for target in (runs / f"{stamp}-{summary.run_id}.json", out_dir / "last_run.json"):
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, target)

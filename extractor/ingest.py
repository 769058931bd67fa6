"""Batch ingestion: find report files, extract each, write the dataset, summarise."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .dataset import write_dataset
from .export import measure_rows, report_row
from .model import Report
from .pipeline import SUPPORTED_SUFFIXES, extract_report


@dataclass
class RunSummary:
    files: int = 0
    ok: int = 0
    empty: int = 0
    failed: int = 0
    measures: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    warnings: Counter = field(default_factory=Counter)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: each file given, and supported files under each folder given."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*")
                                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            found.append(p)
    seen: set[Path] = set()
    unique = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _warning_kind(w: str) -> str:
    return w.split(":")[0].split("(")[0].strip()[:60]


def ingest(paths: Iterable[str | Path], out_dir: str | Path,
           progress: Callable[[int, int, Path, Report], None] | None = None) -> RunSummary:
    """Extract every report under `paths` and merge the rows into the dataset at `out_dir`."""
    start = time.perf_counter()
    files = find_inputs(paths)
    summary = RunSummary(files=len(files))
    reports, measures = [], []
    for i, path in enumerate(files, 1):
        report = extract_report(path)
        reports.append(report_row(report, str(path.resolve()), __version__))
        measures.extend(measure_rows(report))
        if report.status == "failed":
            summary.failed += 1
            summary.failures.append((str(path), report.error or "unknown error"))
        elif report.status == "empty":
            summary.empty += 1
        else:
            summary.ok += 1
        summary.measures += len(report.measures)
        for w in report.warnings + [w for m in report.measures for w in m.warnings]:
            summary.warnings[_warning_kind(w)] += 1
        if progress:
            progress(i, len(files), path, report)
    write_dataset(out_dir, reports, measures)
    summary.seconds = time.perf_counter() - start
    return summary

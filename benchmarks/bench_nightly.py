"""Nightly-job benchmarks: a re-run over many unchanged files, and throughput of the
worker pool with --workers 2 against --workers 1.

usage: python benchmarks/bench_nightly.py [--files 10000] [--reports 1000]

Makes its inputs in a temporary folder: N tiny one-measure reports for the re-run, and
M copies of the bundled samples (each made distinct) for throughput.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch.ingest import IngestOptions, ingest  # noqa: E402

TINY = ("รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๗\n"
        "เทศบาลตำบลเชิงทะเล อำเภอถลาง จังหวัดภูเก็ต\n\n"
        "มาตรการ/แนวทาง\tวิธีดำเนินการ\tผู้รับผิดชอบ\tระยะเวลา\n"
        "๑. มาตรการที่ {i}\tประชุมชี้แจง\tสำนักปลัด\tต.ค.๖๖ - มี.ค.๖๗\n")


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def rerun_unchanged(work: Path, n: int) -> None:
    src = work / "tiny"
    src.mkdir()
    for i in range(n):
        (src / f"r{i:05d}.txt").write_text(TINY.format(i=i), "utf-8")
    out = work / "ds_tiny"
    first, s = timed(lambda: ingest([src], out, IngestOptions(workers=2, checkpoint_every=n)))
    print(f"first ingest of {n} files: {first:.1f}s ({s.ok} ok)")
    times = []
    for _ in range(3):
        t, s = timed(lambda: ingest([src], out))
        times.append(t)
    assert s.skipped == n and s.reports_written == 0
    times.sort()
    print(f"re-run over {n} unchanged files: median {times[1]:.2f}s "
          f"(min {times[0]:.2f}s, max {times[2]:.2f}s; scan {s.seconds['scan']:.2f}s, "
          f"plan {s.seconds['plan']:.2f}s)")


def throughput(work: Path, m: int) -> None:
    src = work / "reports"
    src.mkdir()
    # Text reports only: this measures the pool, not OCR (bench_pdf.py and bench_ocr.py do that).
    samples = sorted(p for p in (ROOT / "data" / "raw").iterdir()
                     if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        samples += sorted(seeds.glob("*.txt"))
    for i in range(m):
        s = samples[i % len(samples)]
        data = s.read_bytes()
        (src / f"{i:04d}_{s.name}").write_bytes(data + f"\n\n- {i} -\n".encode(
            "cp874" if "tis620" in s.name else "utf-8"))
    results = {}
    for workers in (1, 2):
        runs = []
        for k in range(3):
            out = work / f"ds_w{workers}_{k}"
            t, s = timed(lambda: ingest([src], out, IngestOptions(workers=workers, checkpoint_every=m)))
            runs.append((t, s.seconds["extract"]))
            shutil.rmtree(out)
        runs.sort()
        results[workers] = runs[1]
        print(f"--workers {workers}: {m} reports in {runs[1][0]:.2f}s median "
              f"({m / runs[1][0]:.0f} reports/s; extract stage {runs[1][1]:.2f}s)")
    ratio = results[1][0] / results[2][0]
    print(f"throughput ratio --workers 2 / --workers 1: {ratio:.2f}x "
          f"(extract stage alone: {results[1][1] / results[2][1]:.2f}x); {os.cpu_count()} cores")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--reports", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rerun_unchanged(work, args.files)
        throughput(work, args.reports)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

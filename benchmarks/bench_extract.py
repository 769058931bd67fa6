"""Median time to extract one report (read, tables, normalise; no dataset write).

usage: python benchmarks/bench_extract.py [FILES_OR_DIRS...] [--repeat N]

Defaults to the seed reports in ../shared/seeds when present, else data/raw. Each file
is extracted once to warm caches, then N times; the median and min are reported.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch.ingest import find_inputs  # noqa: E402
from extractor.reading.pipeline import extract_report  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    seeds = ROOT.parent / "shared" / "seeds"
    paths = args.paths or [seeds if seeds.is_dir() else ROOT / "data" / "raw"]
    files = [Path(i.read_path) for i in find_inputs(paths) if not i.refusal]
    print(f"{'file':40s} {'KB':>6s} {'measures':>8s} {'median ms':>10s} {'min ms':>8s}")
    medians = []
    for f in files:
        report = extract_report(f)  # warm-up: imports, caches
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            extract_report(f)
            times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        medians.append(med)
        print(f"{f.name[:40]:40s} {f.stat().st_size / 1024:6.1f} {len(report.measures):8d} "
              f"{med:10.2f} {min(times):8.2f}")
    if medians:
        print(f"\nmedian over files of the per-file medians: {statistics.median(medians):.2f} ms "
              f"({len(files)} files, {args.repeat} runs each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

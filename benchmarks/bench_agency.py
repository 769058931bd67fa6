"""Agency resolution: what the DLA register costs, and how many reports it gives a code.

usage: python benchmarks/bench_agency.py [FILES_OR_DIRS...] [--repeat N]

Defaults to the seed reports in ../shared/seeds (when present) and data/raw. Prints, in
one run:
- import: `import extractor.reading.pipeline` in a fresh process, and whether the register
  was parsed by it (it must not be);
- first use, in fresh processes: the register's index against the geothai gazetteer's (its
  peer: the other reference data every report needs), as a ratio;
- per report: the median time of `find_agency` (mentions, vote, register, gazetteer) after
  warm-up, against the whole `extract_report` of the same file;
- coverage: how many reports' agencies got a DLA code.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch.scan import find_inputs  # noqa: E402
from extractor.reading import document_fields  # noqa: E402
from extractor.reading.pipeline import extract_report, read_document  # noqa: E402

FRESH = """
import sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
import extractor.reading.pipeline
t1 = time.perf_counter()
import normalizers.lao_register as r, normalizers.gazetteer as g
loaded = r.is_loaded()
t2 = time.perf_counter(); g._gazetteer(); t3 = time.perf_counter()
r.entries("ท่าแพ"); t4 = time.perf_counter()
print(t1 - t0, int(loaded), t3 - t2, t4 - t3)
"""


def fresh_process_times(runs: int) -> tuple[float, bool, float, float]:
    got = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", FRESH.format(root=str(ROOT))],
                             capture_output=True, text=True, check=True).stdout.split()
        got.append([float(x) for x in out])
    med = [statistics.median(col) for col in zip(*got)]
    return med[0], bool(max(g[1] for g in got)), med[2], med[3]


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--fresh-runs", type=int, default=5)
    args = ap.parse_args()
    seeds = ROOT.parent / "shared" / "seeds"
    paths = args.paths or ([seeds] if seeds.is_dir() else []) + [ROOT / "data" / "raw"]
    files = [Path(i.path) for i in find_inputs(paths)]

    imp, loaded, gaz, reg = fresh_process_times(args.fresh_runs)
    print(f"import extractor.reading.pipeline: {imp * 1000:.0f} ms; register parsed at import: {loaded}")
    print(f"first use: register index {reg * 1000:.1f} ms, gazetteer {gaz * 1000:.1f} ms "
          f"(register ÷ gazetteer {reg / gaz:.2f}×; medians of {args.fresh_runs} fresh processes)")

    print(f"\n{'file':40s} {'find_agency ms':>14s} {'extract ms':>10s} {'share':>6s}  dla_code")
    agency_ms, coded = [], 0
    for f in files:
        report = extract_report(f)  # warm-up
        doc = read_document(f)
        a = median_ms(lambda: document_fields.find_agency(doc), args.repeat)
        e = median_ms(lambda: extract_report(f), max(5, args.repeat // 3))
        agency_ms.append(a)
        coded += report.dla_code is not None
        print(f"{f.name[:40]:40s} {a:14.2f} {e:10.2f} {a / e:6.1%}  {report.dla_code or '-'}")
    if files:
        print(f"\nmedian find_agency: {statistics.median(agency_ms):.2f} ms over {len(files)} files; "
              f"DLA code for {coded} of {len(files)} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

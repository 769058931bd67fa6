"""Accuracy on the degraded-scan corpus (`tests/fixtures/make_scans.py`), ruled and unruled
tables scored apart, with and without an ocrmypdf text layer.

usage: python benchmarks/score_scans.py [CORPUS] [--sets scan,layer] [--workers N] [--ocr auto]
       (default CORPUS: build/scan-corpus; make it first)

For each set (scan/: images only; layer/: the same with an ocrmypdf text layer) it ingests
the files into a fresh dataset, scores them with ../shared/tools/score.py against
CORPUS/gold, and counts the pages read by OCR and by text layer (page_sources).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "tools" / "score.py"


def score(gold: Path, dataset: Path, only: str | None = None, detail: bool = False) -> str:
    cmd = [sys.executable, str(SCORER), str(gold), str(dataset)]
    if only:
        cmd += ["--only", only]
    if detail:
        cmd.append("--detail")
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return out if detail else out.strip().splitlines()[-1]


def page_methods(dataset: Path) -> Counter:
    import duckdb
    rows = duckdb.sql(f"select unnest(page_sources) as p from read_parquet("
                      f"'{dataset}/reports/**/*.parquet', hive_partitioning=true)").fetchall()
    return Counter(r[0]["method"] for r in rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "build" / "scan-corpus"))
    ap.add_argument("--sets", default="scan,layer")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--ocr", default="auto")
    ap.add_argument("--detail", action="store_true")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    for name in args.sets.split(","):
        folder = corpus / name
        if not folder.is_dir() or not any(folder.glob("*.pdf")):
            print(f"{name}: no files")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            ds = Path(tmp) / "ds"
            t = time.perf_counter()
            cmd = [str(ROOT / ".venv" / "bin" / "ita-extract"), "ingest", str(folder), "-o",
                   str(ds), "-q", "--workers", str(args.workers)]
            if args.ocr != "auto":
                cmd += ["--ocr", args.ocr]
            subprocess.run(cmd, check=False)
            took = time.perf_counter() - t
            methods = page_methods(ds)
            print(f"== {name}: {took:.0f} s, pages {dict(methods)}")
            for subset in ("_ruled", "_unruled"):
                print(f"  {subset[1:]:8s} {score(corpus / 'gold', ds, subset)}")
            if args.detail:
                print(score(corpus / "gold", ds, None, detail=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())

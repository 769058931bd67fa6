"""Command line: a thin layer over `extractor.ingest` and `extractor.pipeline`.

Exit codes: 0 all files read; 1 some file failed (its reports row says why);
2 usage error (bad arguments, no input files).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .export import to_gold
from .ingest import RunSummary, find_inputs, ingest
from .pipeline import extract_report

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ita-extract",
        description="Turn Thai ITA integrity-measure reports (O42/O43) into a Parquet dataset.",
        epilog="Exit codes: 0 all files read, 1 some file failed, 2 usage error.")
    p.add_argument("--version", action="version", version=f"ita-extract {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest", help="extract reports into a Parquet dataset",
        description="Extract every report file given (folders are searched for .txt .md "
                    ".html files) and merge the rows into DIR/measures and DIR/reports, "
                    "hive-partitioned by fiscal_year_be. Re-ingesting a file replaces its rows.",
        epilog="example: ita-extract ingest data/raw -o data/parsed")
    ing.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    ing.add_argument("-o", "--output", required=True, metavar="DIR", help="dataset folder")
    ing.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    ext = sub.add_parser(
        "extract", help="print one report as JSON (gold format)",
        description="Extract one report and print it as JSON in the gold answer format.",
        epilog="example: ita-extract extract data/raw/sample_tsv_plan_status.txt --provenance")
    ext.add_argument("file", metavar="FILE")
    ext.add_argument("--provenance", action="store_true",
                     help="add page/line/table/row, confidence and warnings per measure")
    return p


def _print_summary(s: RunSummary, out: str) -> None:
    err = sys.stderr
    print(f"\nIngested {s.files} file(s) in {s.seconds:.2f}s into {out}", file=err)
    print(f"  ok       {s.ok:6d}", file=err)
    print(f"  empty    {s.empty:6d}   (no measure table found)", file=err)
    print(f"  failed   {s.failed:6d}", file=err)
    print(f"  measures {s.measures:6d}", file=err)
    if s.warnings:
        print("  warnings by kind:", file=err)
        for kind, n in s.warnings.most_common(8):
            print(f"    {n:5d}  {kind}", file=err)
    for path, reason in s.failures:
        print(f"  FAILED {path}: {reason}", file=err)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract":
        path = Path(args.file)
        if not path.is_file():
            print(f"ita-extract: no such file: {path}", file=sys.stderr)
            return EXIT_USAGE
        report = extract_report(path)
        json.dump(to_gold(report, with_provenance=args.provenance), sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
        if report.status == "failed":
            print(f"ita-extract: {path}: {report.error}", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"ita-extract: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if not find_inputs(args.paths):
        print("ita-extract: no report files (.txt .md .html .pdf) found", file=sys.stderr)
        return EXIT_USAGE

    def progress(i, n, path, report):
        if not args.quiet:
            print(f"[{i}/{n}] {report.status:6s} {len(report.measures):3d} measures  {path}",
                  file=sys.stderr)

    summary = ingest(args.paths, args.output, progress)
    _print_summary(summary, args.output)
    return summary.exit_code

"""Command line: a thin layer over `extractor.batch.ingest` and `extractor.reading.pipeline`.

Exit codes: 0 all files read; 1 some file failed (its reports row says why, and the run
report lists it as quarantined); 2 usage error; 3 another ingest holds the dataset.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from extractor import __version__, notes
from extractor.batch.executors import Limits
from extractor.dataset.rows import to_gold
from extractor.exploring.html_report import add_report_parser
from extractor.batch.ingest import IngestOptions, RunSummary, find_inputs, ingest
from extractor.batch.lock import DatasetLocked
from extractor.reading.pipeline import extract_report
from extractor.batch.progress import Progress
from extractor.exploring.query import add_query_parser

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_CODES = ("Exit codes: 0 every file read; 1 some file failed (see the run report); "
              "2 usage error; 3 another ingest is running on the same dataset.")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ita-extract",
        description="Turn Thai ITA integrity-measure reports (O42/O43) into a Parquet dataset.",
        epilog=EXIT_CODES)
    p.add_argument("--version", action="version", version=f"ita-extract {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest", help="extract reports into a Parquet dataset",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Extract every report given (folders are searched for .txt .md .html .pdf "
                    "files) into DIR/measures, DIR/reports and DIR/agencies.\n"
                    "Incremental: unchanged files (same size and mtime, or same sha256) are "
                    "skipped; changed files and files read by an older version are redone and "
                    "their rows replaced. A JSON run report is written to DIR/last_run.json.",
        epilog="examples:\n  ita-extract ingest data/raw -o data/parsed\n"
               "  ita-extract ingest /srv/reports -o /srv/ita --workers 4 --log-json\n"
               "  ita-extract ingest /srv/reports -o /srv/ita --executor dask --scheduler tcp://10.0.0.5:8786\n\n"
               + EXIT_CODES)
    ing.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    ing.add_argument("-o", "--output", required=True, metavar="DIR", help="dataset folder")
    ing.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), metavar="N",
                     help="worker processes (default: %(default)s; 0 = in this process, no limits)")
    ing.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="run files on this machine or on a Dask cluster")
    ing.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    ing.add_argument("--time-limit", type=float, default=300.0, metavar="S",
                     help="seconds per file before it is abandoned (default: %(default)g)")
    ing.add_argument("--memory-mb", type=int, default=2048, metavar="MB",
                     help="memory cap per worker process (default: %(default)s)")
    ing.add_argument("--max-mb", type=float, default=200.0, metavar="MB",
                     help="larger files are quarantined unread (default: %(default)g)")
    ing.add_argument("--force", action="store_true", help="redo unchanged files too")
    ing.add_argument("--checkpoint-every", type=int, default=500, metavar="N",
                     help="commit a snapshot every N extracted files (default: %(default)s)")
    ing.add_argument("--ocr", choices=("auto", "never", "force"), default="auto",
                     help="PDF pages: auto = OCR pages without a usable text layer (a scan's "
                          "OCR layer is reused), force = OCR every page, never = no OCR")
    ing.add_argument("--log-json", action="store_true",
                     help="log JSON lines to stderr (one per file, then the summary)")
    ing.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    ext = sub.add_parser(
        "extract", help="print one report as JSON (gold format)",
        description="Extract one report and print it as JSON in the gold answer format.",
        epilog="example: ita-extract extract data/raw/sample_tsv_plan_status.txt --provenance")
    ext.add_argument("file", metavar="FILE")
    ext.add_argument("--provenance", action="store_true",
                     help="add page/line/bbox/table/row, confidence and notes per measure")
    ext.add_argument("--ocr", choices=("auto", "never", "force"), default="auto",
                     help="PDF pages: auto (default), force or never OCR")
    add_query_parser(sub)
    add_report_parser(sub)
    exp = sub.add_parser(
        "explain", help="show what the PDF reader saw: page images and a text account",
        description="Write, per page of a PDF, DIR/page-NNN.png (the table cells found, header "
                    "cells with the field they map to, each measure's cells outlined) and "
                    "DIR/explain.txt (how each page was read, lines, tables, measures).",
        epilog="example: ita-extract explain report.pdf --page 2 -o /tmp/explain")
    exp.add_argument("file", metavar="FILE")
    exp.add_argument("--page", type=int, metavar="N", help="only page N (1-based)")
    exp.add_argument("-o", "--output", required=True, metavar="DIR")
    exp.set_defaults(handler=_explain)
    return p


def _explain(args) -> int:
    from extractor.exploring.explain import explain
    from extractor.reading.readers.encoding import UnreadableText

    try:
        for written in explain(args.file, args.output, page=args.page):
            print(written)
    except (OSError, ValueError, UnreadableText) as exc:
        print(f"ita-extract: {args.file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def print_summary(s: RunSummary, stream=None) -> None:
    stream = stream or sys.stderr
    rows = [("files seen", s.files_seen), ("new", s.new), ("changed", s.changed),
            ("reparsed (older version)", s.reparsed), ("skipped (unchanged)", s.skipped),
            ("ok", s.ok), ("empty (no measure table)", s.empty), ("failed", s.failed),
            ("report rows written", s.reports_written), ("measure rows written", s.measures_written)]
    print(f"\nRun {s.run_id} into {s.output}", file=stream)
    for label, n in rows:
        print(f"  {label:<26s}{n:>8d}", file=stream)
    print("  time (s)                  " + "  ".join(f"{k} {v:.2f}" for k, v in s.seconds.items()),
          file=stream)
    if s.notes_by_kind:
        catalogue = notes.catalogue()
        print(f"  needs review              {s.needs_review:>8d}", file=stream)
        print("  notes by kind (docs/notes.md):", file=stream)
        for kind, n in list(s.notes_by_kind.items())[:10]:
            severity = catalogue[kind].severity if kind in catalogue else "warning"
            print(f"    {n:6d}  {kind:<24s} {severity}", file=stream)
    for q in s.quarantined:
        print(f"  QUARANTINED ({q['status']}) {q['path']}: {q['reason']}", file=stream)
    print(f"  run report: {Path(s.output) / 'last_run.json'}", file=stream)


def _ingest(args) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"ita-extract: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    if args.executor == "dask" and not args.scheduler:
        print("ita-extract: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return EXIT_USAGE
    if not find_inputs(args.paths):
        print("ita-extract: no report files (.txt .md .html .pdf) found", file=sys.stderr)
        return EXIT_USAGE
    options = IngestOptions(
        workers=max(0, args.workers), executor=args.executor, scheduler=args.scheduler,
        limits=Limits(args.time_limit or None, args.memory_mb or None), max_mb=args.max_mb,
        force=args.force, checkpoint_every=max(1, args.checkpoint_every), ocr=args.ocr)
    progress = Progress(sys.stderr, json_lines=args.log_json, quiet=args.quiet)
    try:
        summary = ingest(args.paths, args.output, options, progress.update, progress.page)
    except DatasetLocked as exc:
        if args.log_json:
            print(json.dumps({"event": "locked", "message": str(exc)}, ensure_ascii=False), file=sys.stderr)
        else:
            print(f"ita-extract: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    progress.close()
    if args.log_json:
        print(json.dumps({"event": "summary", **summary.to_json()}, ensure_ascii=False), file=sys.stderr)
    else:
        print_summary(summary)
    return summary.exit_code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if hasattr(args, "handler"):  # query, report
        return args.handler(args)
    if args.command == "extract":
        path = Path(args.file)
        if not path.is_file():
            print(f"ita-extract: no such file: {path}", file=sys.stderr)
            return EXIT_USAGE
        report = extract_report(path, args.ocr)
        json.dump(to_gold(report, with_provenance=args.provenance), sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
        if report.status == "failed":
            print(f"ita-extract: {path}: {report.error}", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    return _ingest(args)

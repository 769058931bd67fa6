"""Command line: a thin layer over `extractor.batch`, `extractor.reading` and
`extractor.exploring`.

Nothing heavy is imported before a command needs it: `--help` and `extract` load neither
pyarrow, pandas, DuckDB nor the PDF stack (a PDF loads the latter), `ingest` of text files
loads pyarrow but not pandas or DuckDB.

Exit codes (every command): 0 success (ingest: every file read); 1 some file failed (its
reports row says why; the run itself succeeded) or the SQL failed; 2 usage error; 3 another
run holds the dataset; 4 the dataset is damaged and cannot be restored (refused, nothing
written); 5 internal error (a bug). Each non-zero exit prints one line on stderr (a JSON
event with --log-json).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from extractor import __version__
from extractor.batch.runs import (EXIT_CRASHED, EXIT_DAMAGED, EXIT_FAILED, EXIT_LOCKED, EXIT_OK,
                                  EXIT_USAGE, printable)

EXIT_CODES = ("Exit codes: 0 success (every file read); 1 some file failed (see the run report); "
              "2 usage error; 3 another run holds the dataset; 4 dataset damaged and cannot be "
              "restored (refused); 5 internal error.")




class _Parser(argparse.ArgumentParser):
    """Usage errors in one line on stderr (a JSON event with --log-json), exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        _say("usage", f"{message} (see {self.prog} --help)", "--log-json" in sys.argv)
        raise SystemExit(EXIT_USAGE)


def _say(event: str, message: str, log_json: bool, **extra) -> None:
    if log_json:
        print(json.dumps({"event": event, "message": message, **extra}, ensure_ascii=False),
              file=sys.stderr)
    else:
        print(f"ita-extract: {printable(message)}", file=sys.stderr)


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. When `argv` names a command, only that command's parser
    is built: the others cannot be reached, and their modules (`query` and `report` load the
    exploring code) cost an `extract` several ms. Every command's parser otherwise (`--help`,
    a mistyped command)."""
    p = _Parser(prog="ita-extract",
                description="Turn Thai ITA integrity-measure reports (O42/O43) into a Parquet dataset.",
                epilog=EXIT_CODES)
    p.add_argument("--version", action="version", version=f"ita-extract {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = [c for c in _COMMANDS if argv and argv[0] in c[0]] or _COMMANDS
    for _, add in wanted:
        add(sub)
    return p


def _add_ingest(sub) -> None:
    ing = sub.add_parser(
        "ingest", help="extract reports into a Parquet dataset",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Extract every report given (folders are searched for .txt .md .html .pdf "
                    "files) into DIR/measures, DIR/reports and DIR/agencies.\n"
                    "Incremental: unchanged files (same size and mtime, or same sha256) are "
                    "skipped; changed files, files read by an older version and files that "
                    "failed for a passing reason are redone, their rows replaced. A report is "
                    "its bytes: the same file under a new path adds no rows. A JSON run report "
                    "is written to DIR/last_run.json and DIR/runs/.",
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
    ing.add_argument("--retry-failed", action="store_true",
                     help="redo every failed file (transient failures are retried anyway)")
    ing.add_argument("--prune", action="store_true",
                     help="remove the rows of files that no longer exist")
    ing.add_argument("--follow-symlinks", action="store_true",
                     help="read symbolic links that stay inside the input folders (others get a failed row)")
    ing.add_argument("--checkpoint-every", type=int, default=500, metavar="N",
                     help="commit every N extracted files (default: %(default)s)")
    ing.add_argument("--keep-replaced", type=float, default=60.0, metavar="MIN",
                     help="keep a replaced version readable this many minutes (default: %(default)g)")
    ing.add_argument("--ocr", choices=("auto", "never", "force"), default="auto",
                     help="PDF pages: auto = OCR pages without a usable text layer (a scan's "
                          "OCR layer is reused), force = OCR every page, never = no OCR")
    ing.add_argument("--log-json", action="store_true",
                     help="log JSON lines to stderr (one per file, then the summary)")
    ing.add_argument("-q", "--quiet", action="store_true", help="no progress output")


def _add_extract(sub) -> None:
    ext = sub.add_parser(
        "extract", help="print one report as JSON (gold format)",
        description="Extract one report and print it as JSON in the gold answer format.",
        epilog="example: ita-extract extract data/raw/sample_tsv_plan_status.txt --provenance")
    ext.add_argument("file", metavar="FILE")
    ext.add_argument("--provenance", action="store_true",
                     help="add page/line/bbox/table/row, confidence and notes per measure")
    ext.add_argument("--ocr", choices=("auto", "never", "force"), default="auto",
                     help="PDF pages: auto (default), force or never OCR")


def _add_exploring(sub) -> None:
    from extractor.exploring.html_report import add_report_parser
    from extractor.exploring.query import add_query_parser

    add_query_parser(sub)
    add_report_parser(sub)


def _add_explain(sub) -> None:
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


def _add_maintenance(sub) -> None:
    for name, text in (("verify", "check a dataset end to end and say what was found"),
                       ("compact", "merge small files of a dataset (safe while others read it)")):
        cmd = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".",
                             epilog=EXIT_CODES)
        cmd.add_argument("dataset", metavar="DIR")
        cmd.add_argument("--log-json", action="store_true", help="JSON lines on stderr")


# (commands, what adds their parsers), in the order --help lists them
_COMMANDS = ((("ingest",), _add_ingest), (("extract",), _add_extract),
             (("query", "report"), _add_exploring), (("explain",), _add_explain),
             (("verify", "compact"), _add_maintenance))


def _explain(args) -> int:
    from extractor.exploring.explain import explain
    from extractor.reading.readers.encoding import UnreadableText

    try:
        for written in explain(args.file, args.output, page=args.page):
            print(written)
    except (OSError, ValueError, UnreadableText) as exc:
        _say("usage", f"{args.file}: {exc}", False)
        return EXIT_USAGE
    return EXIT_OK


def print_summary(s, stream=None) -> None:
    from extractor import notes

    stream = stream or sys.stderr
    rows = [("files seen", s.files_seen), ("new", s.new), ("changed", s.changed),
            ("reparsed (older version)", s.reparsed), ("retried (failed before)", s.retried),
            ("skipped (unchanged)", s.skipped), ("moved (same bytes, new path)", s.moved),
            ("pruned (no longer present)", s.pruned),
            ("ok", s.ok), ("empty (no measure table)", s.empty), ("failed", s.failed),
            ("report rows written", s.reports_written), ("measure rows written", s.measures_written)]
    print(f"\nRun {s.run_id} into {printable(s.output)} (version {s.dataset_version})", file=stream)
    for label, n in rows:
        print(f"  {label:<30s}{n:>8d}", file=stream)
    print("  time (s)                      " + "  ".join(f"{k} {v:.2f}" for k, v in s.seconds.items()),
          file=stream)
    if s.notes_by_kind:
        catalogue = notes.catalogue()
        print(f"  needs review                  {s.needs_review:>8d}", file=stream)
        print("  notes by kind (docs/notes.md):", file=stream)
        for kind, n in list(s.notes_by_kind.items())[:10]:
            severity = catalogue[kind].severity if kind in catalogue else "warning"
            print(f"    {n:6d}  {kind:<24s} {severity}", file=stream)
    for q in s.quarantined:
        print(f"  QUARANTINED ({q['status']}) {printable(q['path'])}: {printable(q['reason'])}", file=stream)
    print(f"  run report: {printable(str(Path(s.output) / 'last_run.json'))}", file=stream)


def _lean_pyarrow() -> None:
    """Arrow set up for a process that commits small batches: one compute and one I/O thread
    and the system allocator (each Arrow thread keeps an arena of its own: tens of MB for
    nothing here); and no pandas (`arrow.skip_pandas_probe`)."""
    if "pyarrow" not in sys.modules:
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    import pyarrow as pa

    from extractor.dataset.arrow import skip_pandas_probe

    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    skip_pandas_probe()


def _ingest(args) -> int:
    from extractor.batch.executors import Limits
    from extractor.batch.ingest import IngestOptions, ingest
    from extractor.batch.lock import DatasetLocked
    from extractor.batch.progress import Progress
    from extractor.batch.scan import has_inputs
    from extractor.dataset.store import DatasetDamaged

    log_json = args.log_json
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        _say("usage", f"no such file or folder: {', '.join(missing)}", log_json)
        return EXIT_USAGE
    if args.executor == "dask" and not args.scheduler:
        _say("usage", "--executor dask needs --scheduler ADDRESS", log_json)
        return EXIT_USAGE
    if not has_inputs(args.paths, args.follow_symlinks):
        _say("usage", "no report files (.txt .md .html .pdf) found", log_json)
        return EXIT_USAGE
    options = IngestOptions(
        workers=max(0, args.workers), executor=args.executor, scheduler=args.scheduler,
        limits=Limits(args.time_limit or None, args.memory_mb or None), max_mb=args.max_mb,
        force=args.force, retry_failed=args.retry_failed, prune=args.prune,
        follow_symlinks=args.follow_symlinks, checkpoint_every=max(1, args.checkpoint_every),
        retention_s=max(0.0, args.keep_replaced) * 60, ocr=args.ocr)
    _lean_pyarrow()
    progress = Progress(sys.stderr, json_lines=log_json, quiet=args.quiet)
    try:
        summary = ingest(args.paths, args.output, options, progress.update,
                         notice=lambda line: _say("notice", line, log_json), on_page=progress.page)
    except DatasetLocked as exc:
        _say("locked", str(exc), log_json, exit_code=EXIT_LOCKED)
        return EXIT_LOCKED
    except DatasetDamaged as exc:
        _say("refused", f"dataset damaged, nothing written: {exc}", log_json, exit_code=EXIT_DAMAGED)
        return EXIT_DAMAGED
    progress.close()
    if log_json:
        print(json.dumps({"event": "summary", **summary.to_json()}, ensure_ascii=False), file=sys.stderr)
    else:
        print_summary(summary)
    return summary.exit_code


def _extract(args) -> int:
    from extractor.dataset.rows import to_gold
    from extractor.reading.pipeline import extract_report

    path = Path(args.file)
    if not path.is_file():
        _say("usage", f"no such file: {path}", False)
        return EXIT_USAGE
    report = extract_report(path, args.ocr)
    json.dump(to_gold(report, with_provenance=args.provenance), sys.stdout, ensure_ascii=False, indent=2)
    print()
    if report.status == "failed":
        _say("failed", f"{path}: {report.error}", False)
        return EXIT_FAILED
    return EXIT_OK


def _verify(args) -> int:
    from extractor.dataset.verify import verify

    v = verify(args.dataset)
    for kind, lines in (("ok", v.ok), ("problem", v.problems)):
        for line in lines:
            if args.log_json:
                print(json.dumps({"event": kind, "message": line}, ensure_ascii=False), file=sys.stderr)
            else:
                print(f"{kind}: {printable(line)}")
    if not v.intact:
        _say("damaged", f"{args.dataset}: {len(v.problems)} problem(s) found", args.log_json,
             exit_code=EXIT_DAMAGED)
        return EXIT_DAMAGED
    return EXIT_OK


def _compact(args) -> int:
    from extractor.batch.lock import DatasetLock, DatasetLocked
    from extractor.dataset.store import DatasetDamaged, Store

    if not Path(args.dataset).is_dir():
        _say("usage", f"no dataset folder {args.dataset}", args.log_json)
        return EXIT_USAGE
    try:
        with DatasetLock(args.dataset):
            store = Store(args.dataset, notice=lambda line: _say("notice", line, args.log_json)).open()
            before = store.record
            after = store.compact()
    except DatasetLocked as exc:
        _say("locked", str(exc), args.log_json, exit_code=EXIT_LOCKED)
        return EXIT_LOCKED
    except DatasetDamaged as exc:
        _say("refused", f"dataset damaged, nothing written: {exc}", args.log_json, exit_code=EXIT_DAMAGED)
        return EXIT_DAMAGED
    if after is None or after is before:
        _say("compacted", f"{args.dataset}: nothing to compact", args.log_json)
    else:
        _say("compacted", f"{args.dataset}: {len(before.segments)} segment(s) → {len(after.segments)}, "
             f"{len(before.manifest)} manifest file(s) → {len(after.manifest)} (commit {after.seq})",
             args.log_json)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = _parser(argv).parse_args(argv)
        if hasattr(args, "handler"):  # query, report
            return args.handler(args)
        return {"extract": _extract, "verify": _verify, "compact": _compact}.get(args.command, _ingest)(args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted", "interrupted", "--log-json" in argv, exit_code=EXIT_CRASHED)
        return EXIT_CRASHED
    except Exception as exc:  # a bug: one line, the traceback in the run record (ingest) or here
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        _say("crashed", f"internal error: {type(exc).__name__}: {exc} "
             f"(at {Path(where.filename).name}:{where.lineno}; please report it)",
             "--log-json" in argv, exit_code=EXIT_CRASHED)
        return EXIT_CRASHED

"""File → `Report`: read, find tables and rows, build measures, read document fields.

`extract_report` never raises for a bad input file: a file that can't be read becomes a
`Report` with status 'failed' and the reason, so one bad file never stops a batch.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .document_fields import (find_agency, find_fiscal_year_noted, find_prior_score,
                              find_report_date_noted, find_report_period, infer_fiscal_year)
from normalizers.agency import AgencyResolution
from normalizers.ita import level_consistent
from normalizers.plausible import implausible_date, plausible_fiscal_year

from extractor.errors import PERMANENT, TRANSIENT, MissingTool, ReadFailure, TransientFailure
from extractor.model import Document, Measure, Report
from extractor.notes import Note
from .files import PDF_SUFFIXES, read_regular_file, same_file_version
from .readers.encoding import UnreadableText, decode_text
from .readers.text import parse_text
from .records import build_measure, merge_plan_and_status
from .tables import read_rows



def read_document(path: Path, data: bytes | None = None, ocr=None, on_page=None) -> Document:
    """Route by suffix, and by content: a PDF saved under another name is still a PDF.

    `data` are the file's bytes when the caller has read them already (text reports are
    parsed from exactly those bytes, so their hash and their rows agree). `ocr`,
    `on_page`: see `readers.pdf.read_pdf` (PDFs only)."""
    if data is None:
        data, _ = read_regular_file(path)
    sniffed_pdf = data[:1024].lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-")
    if path.suffix.lower() in PDF_SUFFIXES or sniffed_pdf:
        from .readers.pdf import read_pdf  # pdfium/pdfplumber load only when needed
        return read_pdf(path, True if ocr is None else ocr, on_page)  # sets doc.ocr_used
    text, encoding = decode_text(data)
    suffix = path.suffix.lower().lstrip(".")
    doc = parse_text(text, path.name, {"htm": "html", "markdown": "md"}.get(suffix, suffix or "txt"))
    doc.encoding = encoding
    return doc


def extract_document(doc: Document) -> Report:
    """Measures and document fields from an already-read document."""
    report = Report(source_file=doc.source_file, format=doc.format, pages=doc.pages,
                    encoding=doc.encoding, ocr_used=doc.ocr_used,
                    page_sources=list(doc.page_sources))
    report.notes.extend(doc.notes)
    rows, notes = read_rows(doc)
    report.notes.extend(notes)
    fiscal_year, year_notes = find_fiscal_year_noted(doc)
    report.notes.extend(Note(kind, message) for kind, message in year_notes)
    measures = [build_measure(r, fiscal_year) for r in rows]
    if fiscal_year is not None and any(kind == "ocr_year_repaired" for kind, _ in year_notes):
        # A year repaired from garbled OCR yields to the year the periods agree on (read
        # without it: periods far from a wrong year are left null).
        unanchored = [build_measure(r, None) for r in rows]
        from_periods = infer_fiscal_year(unanchored)
        if from_periods is not None and from_periods != fiscal_year:
            report.notes.append(Note("value_implausible", f"fiscal year {fiscal_year}, repaired from "
                                     f"garbled OCR, disagrees with the periods: not used"))
            fiscal_year, measures = None, unanchored
    if fiscal_year is None:
        fiscal_year = infer_fiscal_year(measures)
        if fiscal_year is not None:
            report.notes.append(Note("fiscal_year_inferred",
                                     f"fiscal year not printed; {fiscal_year} inferred from periods"))
            measures = [build_measure(r, fiscal_year) for r in rows]
        else:
            report.notes.append(Note("fiscal_year_missing", "fiscal year not found"))
    report.measures, merge_notes = merge_plan_and_status(measures)
    report.notes.extend(merge_notes)
    report.fiscal_year_be = fiscal_year
    report.report_period = find_report_period(doc)
    report.report_date, date_notes = find_report_date_noted(doc, fiscal_year)
    report.notes.extend(Note(kind, message) for kind, message in date_notes)
    why = report.report_date and implausible_date(report.report_date, fiscal_year)
    if why:
        report.notes.append(Note("value_implausible", f"report date {report.report_date} "
                                 f"left null: {why}"))
        report.report_date = None
    report.prior_score = find_prior_score(doc)
    ps = report.prior_score
    if ps and ps.year_be is not None and not plausible_fiscal_year(ps.year_be):
        report.notes.append(Note("value_implausible", f"year {ps.year_be} of the quoted score "
                                 f"{ps.score} is not a plausible year; left null"))
        ps.year_be = None
    _set_agency(report, find_agency(doc))
    report.notes.extend(review_flags(report, measures))
    kinds = sorted({m.table_kind for m in report.measures if m.table_kind})
    report.layout = "+".join(kinds) or None
    if not report.measures:
        report.status = "empty"
        report.notes.append(Note("no_measures", "no measure table found"))
    return report


def _set_agency(report: Report, res: AgencyResolution) -> None:
    report.agency_name, report.agency_type = res.name, res.type
    report.district, report.province = res.district, res.province
    report.printed_district = res.printed_district
    report.agency_id = res.agency_id
    report.subdistrict_code, report.district_code = res.subdistrict_code, res.district_code
    report.province_code, report.dla_code = res.province_code, res.dla_code
    report.agency_aliases = list(res.aliases)
    report.notes.extend(Note(kind, message) for kind, message in res.notes)


def review_flags(report: Report, measures: list[Measure]) -> list[Note]:
    """Things worth a human's look that the extraction itself cannot settle."""
    flags = []
    ps = report.prior_score
    if ps and level_consistent(ps.score, ps.level, ps.year_be) is False:
        flags.append(Note("score_level_mismatch", f"quoted score {ps.score} does not fit level "
                          f"{ps.level} in {ps.year_be}'s bands"))
    from_periods = infer_fiscal_year(measures)
    if report.fiscal_year_be and from_periods and from_periods != report.fiscal_year_be:
        flags.append(Note("fiscal_year_disagrees", f"fiscal year {report.fiscal_year_be} disagrees "
                          f"with the periods (most end in fiscal year {from_periods})"))
    return flags


def review_reasons(report: Report) -> list[str]:
    """Why a human should look at this report: its `review` notes (empty when none)."""
    return [str(n) for n in report.notes if n.severity == "review"]


def extract_report(path: str | Path, ocr=None, on_page=None) -> Report:
    """Extract one report file. Never raises for bad input: see `Report.status`.

    The file is read once — only if it is a regular file, never through a link or from a
    FIFO — and hashed and parsed from those bytes; a PDF, which the PDF reader opens by
    path, must still be the same file after it was read, or the file is retried next run.
    `ocr`: the OCR policy for PDFs — `readers.ocr_policy.OcrOptions`, or a mode
    (auto|never|force); default auto on every core. `on_page(i, n)`: called as page i of
    n of a PDF is started (progress).
    """
    path = Path(path)
    report = Report(source_file=path.name, source_path=str(path))
    try:
        data, st = read_regular_file(path)
    except ReadFailure as exc:
        return _failed(report, str(exc), exc.failure)
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        report.sha256 = sha
        return _failed(report, "empty file", PERMANENT)
    try:
        doc = read_document(path, data, ocr, on_page)
        if doc.format == "pdf":
            _same_bytes_as_hashed(path, st)
            _ocr_engine_present(doc, ocr)
        report = extract_document(doc)
    except ReadFailure as exc:
        _failed(report, str(exc), exc.failure)
    except UnreadableText as exc:
        _failed(report, str(exc), PERMANENT)
    except MemoryError:
        _failed(report, "file needs more memory than the per-file cap (--memory-mb)", TRANSIENT)
    except Exception as exc:  # a parser bug must not take the batch down
        _failed(report, f"internal error: {type(exc).__name__}: {exc}", PERMANENT)
        import traceback  # only here: the error path

        report.notes[-1] = Note("internal_error", traceback.format_exc(limit=3))
    report.source_file = path.name
    report.source_path = str(path)
    report.sha256 = sha
    report.format = report.format or path.suffix.lower().lstrip(".") or None
    return report


def _failed(report: Report, reason: str, failure: str) -> Report:
    report.status, report.error, report.failure = "failed", reason, failure
    report.measures = []
    report.notes.append(Note("file_failed", reason))
    return report


def _same_bytes_as_hashed(path: Path, before: os.stat_result) -> None:
    try:
        now = os.stat(path)
    except OSError:
        now = None
    if now is None or not same_file_version(before, now):
        raise TransientFailure("file changed while it was being read")


def _ocr_engine_present(doc: Document, ocr=None) -> None:
    """A page that needed OCR was left unread and no OCR engine is installed: the report
    would be silently incomplete, so the file fails, to be retried once the tool is there.
    (With `--ocr never` such pages are left unread on purpose, and say so in a note.)"""
    from .readers.ocr_policy import OcrOptions

    if OcrOptions.of(ocr).mode == "never" or not any(p.method == "none" for p in doc.page_sources):
        return
    from .readers.ocr import tesseract_langs

    if "tha" not in tesseract_langs():
        raise MissingTool("tesseract with Thai not installed")


def parser_version() -> str:
    from extractor import parser_version as version

    return version()

"""File → `Report`: read, find tables and rows, build measures, read document fields.

`extract_report` never raises for a bad input file: a file that can't be read becomes a
`Report` with status 'failed' and the reason, so one bad file never stops a batch.
"""
from __future__ import annotations

import hashlib
import traceback
from pathlib import Path

from extractor import __version__
from .document_fields import (find_agency, find_fiscal_year_noted, find_prior_score,
                              find_report_date, find_report_period, infer_fiscal_year)
from normalizers.agency import AgencyResolution
from normalizers.ita import level_consistent
from normalizers.plausible import implausible_date, plausible_fiscal_year

from extractor.model import Document, Measure, Report
from extractor.notes import Note
from .readers.encoding import UnreadableText
from .readers.text import read_text
from .records import build_measure, merge_plan_and_status
from .tables import read_rows

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".tsv", ".text"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def read_document(path: Path, ocr=None, on_page=None) -> Document:
    """Route by suffix, and by content: a PDF saved under another name is still a PDF.
    `ocr`, `on_page`: see `readers.pdf.read_pdf` (PDFs only)."""
    try:
        with path.open("rb") as f:
            sniffed_pdf = f.read(1024).lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-")
    except OSError:
        sniffed_pdf = False  # read_text reports the I/O error
    if path.suffix.lower() in PDF_SUFFIXES or sniffed_pdf:
        from .readers.pdf import read_pdf  # pdfium/pdfplumber load only when needed
        return read_pdf(path, True if ocr is None else ocr, on_page)  # sets doc.ocr_used
    return read_text(path)


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
    report.report_date = find_report_date(doc)
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

    `ocr`: the OCR policy for PDFs — `readers.ocr_policy.OcrOptions`, or a mode
    (auto|never|force); default auto on every core. `on_page(i, n)`: called as page i of
    n of a PDF is started (progress)."""
    path = Path(path)
    report = Report(source_file=path.name, source_path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.status, report.error = "failed", f"cannot read file: {exc.strerror or exc}"
        report.notes.append(Note("file_failed", report.error))
        return report
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        report.status, report.error, report.sha256 = "failed", "empty file", sha
        report.notes.append(Note("file_failed", report.error))
        return report
    try:
        doc = read_document(path, ocr, on_page)
        report = extract_document(doc)
    except UnreadableText as exc:
        report.status, report.error = "failed", str(exc)
        report.notes.append(Note("file_failed", report.error))
    except MemoryError:
        report.status = "failed"
        report.error = "file needs more memory than the per-file cap (--memory-mb)"
        report.notes.append(Note("file_failed", report.error))
    except Exception as exc:  # a parser bug must not take the batch down
        report.status = "failed"
        report.error = f"internal error: {type(exc).__name__}: {exc}"
        report.notes.append(Note("internal_error", traceback.format_exc(limit=3)))
    report.source_file = path.name
    report.source_path = str(path)
    report.sha256 = sha
    report.format = report.format or path.suffix.lower().lstrip(".") or None
    return report


def parser_version() -> str:
    return __version__

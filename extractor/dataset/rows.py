"""Report → plain dicts: the gold JSON format, and flat rows for the Parquet tables."""
from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, fields
from datetime import date, datetime, timezone

from extractor.model import Measure, Report

GOLD_MEASURE_FIELDS = (
    "section", "indicator_no", "indicator_name", "oit_items", "seq", "measure", "method",
    "responsible", "period_text", "period_start", "period_end", "monitoring", "status",
    "result", "outcome", "recommendation", "score",
)


def _iso(v):
    return v.isoformat() if isinstance(v, date) else v


def report_id(report: Report) -> str:
    """A report is its bytes: the same file moved, renamed or copied keeps one id (and one
    set of rows). A file whose bytes could not be read is keyed by its path instead."""
    if report.sha256:
        return report.sha256[:16]
    return path_report_id(report.source_path or report.source_file)


def path_report_id(path: str) -> str:
    """The id of an unreadable file's row: a hash of its path (kept apart from content ids
    by a prefix inside the hash)."""
    return hashlib.sha256(b"path\0" + os.fsencode(path)).hexdigest()[:16]


def display_path(path: str) -> str:
    """A path as valid Unicode text for the dataset: a name that is not valid UTF-8 (its
    bytes came through as lone surrogates) is decoded as TIS-620 when that gives Thai, else
    its bad bytes become U+FFFD.

    >>> display_path("ok/รายงาน.txt")
    'ok/รายงาน.txt'
    >>> display_path(os.fsdecode("รายงาน.txt".encode("cp874")))
    'รายงาน.txt'
    >>> display_path(os.fsdecode(b"r\\xff.txt"))
    'r\\ufffd.txt'
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    raw = path.encode("utf-8", "surrogateescape")
    try:
        thai = raw.decode("cp874")
        if any("\u0e00" <= c <= "\u0e7f" for c in thai):
            return thai
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "replace")


def scrub(value):
    """A row value with every string made valid Unicode (lone surrogates, e.g. from a PDF's
    ToUnicode map, become U+FFFD), recursively through lists, tuples and dicts."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v) for v in value)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def to_gold(report: Report, with_provenance: bool = False) -> dict:
    """The report in the gold answer format of shared/gold/README.md.

    With `with_provenance`, each measure also carries page, line, table and row,
    confidence and warnings, and the report its status and warnings.
    """
    ps = report.prior_score
    out = {
        "source": report.source_file,
        "agency": {"name": report.agency_name, "type": report.agency_type,
                   "district": report.district, "province": report.province,
                   "printed_district": report.printed_district},
        "fiscal_year_be": report.fiscal_year_be,
        "report_period": report.report_period,
        "report_date": _iso(report.report_date),
        "prior_score": ({"year_be": ps.year_be, "score": ps.score, "level": ps.level}
                        if ps else None),
        "measures": [_measure_gold(m, with_provenance) for m in report.measures],
    }
    if with_provenance:
        out.update(status=report.status, error=report.error,
                   notes=[n.as_row() for n in report.notes],
                   page_sources=[asdict(p) for p in report.page_sources])
    return out


def _measure_gold(m: Measure, with_provenance: bool) -> dict:
    d = {k: _iso(getattr(m, k)) for k in GOLD_MEASURE_FIELDS}
    if with_provenance:
        d.update(measure_group=m.measure_group, issue=m.issue, budget_baht=m.budget_baht,
                 extra=m.extra, page=m.page, line=m.line, bbox=m.bbox,
                 table_index=m.table_index, row_index=m.row_index,
                 confidence=m.confidence, notes=[n.as_row() for n in m.notes])
    return d


def report_row(report: Report, source_path: str, version: str, now: datetime | None = None) -> dict:
    from extractor.reading.pipeline import review_reasons

    ps = report.prior_score
    reasons = review_reasons(report)
    return {
        "report_id": report_id(report), "source_file": display_path(report.source_file),
        "source_path": display_path(source_path), "sha256": report.sha256, "format": report.format,
        "encoding": report.encoding, "pages": report.pages, "ocr_used": report.ocr_used,
        "layout": report.layout, "parser_version": version, "status": report.status,
        "error": report.error, "failure": report.failure if report.status == "failed" else None,
        "agency_name": report.agency_name,
        "agency_type": report.agency_type, "district": report.district,
        "province": report.province, "printed_district": report.printed_district,
        "agency_id": report.agency_id, "subdistrict_code": report.subdistrict_code,
        "district_code": report.district_code, "province_code": report.province_code,
        "dla_code": report.dla_code,
        "agency_aliases": list(report.agency_aliases),
        "fiscal_year_be": report.fiscal_year_be, "report_period": report.report_period,
        "report_date": report.report_date,
        "prior_score": ps.score if ps else None,
        "prior_score_year_be": ps.year_be if ps else None,
        "prior_level": ps.level if ps else None,
        "page_sources": [asdict(p) for p in report.page_sources],
        "n_measures": len(report.measures), "needs_review": bool(reasons),
        "review_reasons": reasons, "notes": [n.as_row() for n in report.notes],
        "ingested_at": now or datetime.now(timezone.utc).replace(microsecond=0),
    }


_MEASURE_FIELDS = tuple(f.name for f in fields(Measure))
# Fields that need a conversion on their way to Arrow; the rest go as they are.
MEASURE_CONVERT = {
    "notes": lambda notes: [n.as_row() for n in notes],
    "extra": lambda extra: list(extra.items()),
    "bbox": lambda box: list(box) if box else None,
    "cell_boxes": lambda boxes: [{"field": b.field, "page": b.page, "bbox": list(b.bbox)}
                                 for b in boxes],
}


def measure_rows(report: Report) -> list[dict]:
    # A shallow copy per row: dataclasses.asdict deep-copies and was most of a commit's time.
    rid = report_id(report)
    common = dict(report_id=rid, source_file=display_path(report.source_file), agency_id=report.agency_id,
                  agency_name=report.agency_name, agency_type=report.agency_type,
                  province=report.province, district=report.district,
                  fiscal_year_be=report.fiscal_year_be)
    plain = tuple(k for k in _MEASURE_FIELDS if k not in MEASURE_CONVERT)
    return [{**{k: getattr(m, k) for k in plain},
             **{k: conv(getattr(m, k)) for k, conv in MEASURE_CONVERT.items()}, **common}
            for m in report.measures]

"""Report → plain dicts: the gold JSON format, and flat rows for the Parquet tables."""
from __future__ import annotations

import hashlib
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
    """Stable per file and content: the same file ingested again keeps its id; two
    copies of one report at two paths stay two reports."""
    key = f"{report.source_path or report.source_file}\0{report.sha256 or ''}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


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
        "report_id": report_id(report), "source_file": report.source_file,
        "source_path": source_path, "sha256": report.sha256, "format": report.format,
        "encoding": report.encoding, "pages": report.pages, "ocr_used": report.ocr_used,
        "layout": report.layout, "parser_version": version, "status": report.status,
        "error": report.error, "agency_name": report.agency_name,
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
_MEASURE_CONVERT = {
    "notes": lambda notes: [n.as_row() for n in notes],
    "extra": lambda extra: list(extra.items()),
    "bbox": lambda box: list(box) if box else None,
    "cell_boxes": lambda boxes: [{"field": b.field, "page": b.page, "bbox": list(b.bbox)}
                                 for b in boxes],
}


def measure_rows(report: Report) -> list[dict]:
    # A shallow copy per row: dataclasses.asdict deep-copies and was most of a commit's time.
    rid = report_id(report)
    common = dict(report_id=rid, source_file=report.source_file, agency_id=report.agency_id,
                  agency_name=report.agency_name, agency_type=report.agency_type,
                  province=report.province, district=report.district,
                  fiscal_year_be=report.fiscal_year_be)
    plain = tuple(k for k in _MEASURE_FIELDS if k not in _MEASURE_CONVERT)
    return [{**{k: getattr(m, k) for k in plain},
             **{k: conv(getattr(m, k)) for k, conv in _MEASURE_CONVERT.items()}, **common}
            for m in report.measures]

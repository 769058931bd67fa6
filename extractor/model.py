"""The data model: what readers produce and what the pipeline hands to the writer.

Readers turn bytes into a `Document` (ordered blocks: paragraph lines and tables of
cells, each with its source line and page). Table logic turns tables into `Measure`s;
document logic fills a `Report`. Every value keeps where it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Cell:
    """One table cell as read: raw text (markup kept) and where it starts."""

    raw: str
    line: int
    page: int = 1
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # a <th>, or a markdown header row
    spanned: bool = False  # a copy placed by rowspan/colspan, not the cell itself
    bbox: tuple[float, float, float, float] | None = None  # PDF points (x0, top, x1, bottom)


@dataclass
class Line:
    """A paragraph line outside any table."""

    text: str
    line: int
    page: int = 1
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class Table:
    rows: list[list[Cell]]
    line: int
    page: int = 1
    syntax: str = "tsv"  # tsv | markdown | html | pdf

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Line | Table


@dataclass
class Document:
    source_file: str
    format: str  # txt | md | html | pdf
    blocks: list[Block]
    pages: int = 1
    encoding: str | None = None
    ocr_used: bool = False
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Measure:
    """One measure row, field names as in the gold contract (shared/gold/README.md)."""

    measure: str
    section: str | None = None
    indicator_no: int | None = None
    indicator_name: str | None = None
    indicator_canonical: str | None = None  # the official name for the report's year
    indicator_inferred: int | None = None  # implied by OIT codes or topic, never printed
    indicator_basis: str | None = None  # 'oit_items' or 'topic': what the inference rests on
    oit_items: list[str] = field(default_factory=list)
    oit_item_names: list[str | None] = field(default_factory=list)
    seq: str | None = None
    method: str | None = None
    responsible: str | None = None
    period_text: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    monitoring: str | None = None
    status: str | None = None
    status_text: str | None = None  # the raw status cell(s), for tracing a status
    result: str | None = None
    outcome: str | None = None
    recommendation: str | None = None
    score: float | None = None
    # provenance
    page: int | None = None
    line: int | None = None
    table_index: int | None = None
    row_index: int | None = None
    table_kind: str | None = None
    confidence: float = 1.0
    warnings: list[str] = field(default_factory=list)


@dataclass
class PriorScore:
    score: float
    year_be: int | None
    level: str | None


@dataclass
class Report:
    source_file: str
    source_path: str | None = None  # the path as ingested
    status: str = "ok"  # ok | empty | failed
    error: str | None = None
    format: str | None = None
    sha256: str | None = None
    pages: int | None = None
    encoding: str | None = None
    ocr_used: bool = False
    layout: str | None = None
    agency_name: str | None = None
    agency_type: str | None = None
    district: str | None = None
    province: str | None = None
    printed_district: str | None = None
    agency_id: str | None = None
    subdistrict_code: str | None = None
    district_code: str | None = None
    province_code: str | None = None
    agency_aliases: list[str] = field(default_factory=list)
    fiscal_year_be: int | None = None
    report_period: str | None = None
    report_date: date | None = None
    prior_score: PriorScore | None = None
    measures: list[Measure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

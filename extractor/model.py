"""The data model: what readers produce and what the pipeline hands to the writer.

Readers turn bytes into a `Document` (ordered blocks: paragraph lines and tables of
cells, each with its source line and page). Table logic turns tables into `Measure`s;
document logic fills a `Report`. Every value keeps where it came from, and everything
the extractor noticed along the way is a `Note` of a catalogued kind.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from normalizers.text import clean_text

from .notes import Note

BBox = tuple[float, float, float, float]  # PDF points on its page: (x0, top, x1, bottom)

# `clean_text` is pure; a page's texts repeat (the PDF reader's header tests build fresh
# cells of the same line runs, repairs set a cell's raw anew, running headers): each
# distinct text cleaned once
_clean_text = functools.lru_cache(maxsize=8192)(clean_text)


class _Text:
    """Text kept twice: `raw` as the reader found it (markup kept) and `text`, cleaned
    once (`normalizers.text.clean_text`) for every consumer. Readers may still rewrite
    `raw` while they assemble a page; `text` follows it."""

    __slots__ = ()

    @property
    def text(self) -> str:
        raw = self.raw
        if self._clean_of is not raw:
            self._clean, self._clean_of = _clean_text(raw), raw
        return self._clean


@dataclass
class Cell(_Text):
    """One table cell as read: raw text (markup kept), clean `text`, and where it starts."""

    raw: str
    line: int
    page: int = 1
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # a <th>, or a markdown header row
    spanned: bool = False  # a copy placed by rowspan/colspan, not the cell itself
    bbox: BBox | None = None
    _clean: str = field(default="", init=False, repr=False, compare=False)
    _clean_of: str | None = field(default=None, init=False, repr=False, compare=False)


@dataclass
class Line(_Text):
    """A paragraph line outside any table: raw text as read, clean `text`."""

    raw: str
    line: int
    page: int = 1
    bbox: BBox | None = None
    _clean: str = field(default="", init=False, repr=False, compare=False)
    _clean_of: str | None = field(default=None, init=False, repr=False, compare=False)


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
class PageSource:
    """How one PDF page's text was obtained, and why: `text` (its own text layer), `ocr`
    (tesseract on the rendered image) or `none` (not read), with the skew corrected."""

    page: int
    method: str  # text | ocr | none
    reason: str
    skew_deg: float | None = None


@dataclass
class Document:
    source_file: str
    format: str  # txt | md | html | pdf
    blocks: list[Block]
    pages: int = 1
    encoding: str | None = None
    ocr_used: bool = False
    page_sources: list[PageSource] = field(default_factory=list)  # PDFs: how each page was read
    notes: list[Note] = field(default_factory=list)

    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Measure:
    """One measure row, field names as in the gold contract (shared/gold/README.md)."""

    measure: str
    measure_group: str | None = None  # the group row activities ("๑.๑", "๑.๒") sit under
    issue: str | None = None  # the ITA-analysis issue the measure answers (ประเด็นที่ต้องพัฒนา)
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
    budget_baht: float | None = None
    extra: dict[str, str] = field(default_factory=dict)  # columns with no field: header as printed → text
    # provenance
    page: int | None = None
    line: int | None = None
    bbox: BBox | None = None  # the row's box on `page` (PDFs)
    cell_boxes: list[CellBox] = field(default_factory=list)
    table_index: int | None = None
    row_index: int | None = None
    table_kind: str | None = None
    confidence: float = 1.0
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class CellBox:
    """Where one field's text of a measure sits: page and box in PDF points."""

    field: str
    page: int
    bbox: BBox


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
    failure: str | None = None  # failed files: transient (retried next run) | permanent
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
    dla_code: str | None = None  # the Department of Local Administration's 7-digit code
    agency_aliases: list[str] = field(default_factory=list)
    fiscal_year_be: int | None = None
    report_period: str | None = None
    report_date: date | None = None
    prior_score: PriorScore | None = None
    page_sources: list[PageSource] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

"""The data contract: one pyarrow schema per table, each column with a description.

These objects drive the dataset writer, and the field names follow the gold contract
(shared/gold/README.md) so that Parquet rows, `ita-extract extract` JSON and the gold
answers line up.
"""
from __future__ import annotations

import pyarrow as pa

from .version import SCHEMA_VERSION  # noqa: F401  (re-exported: the contract's version)


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True, *,
       enum: tuple[str, ...] | None = None, min: float | None = None,
       max: float | None = None) -> pa.Field:
    """A column: its type, a description, and the constraints every batch is checked
    against before it is written (`dataset.validate`)."""
    meta = {"description": doc}
    if enum:
        meta["enum"] = ",".join(enum)
    if min is not None:
        meta["min"] = str(min)
    if max is not None:
        meta["max"] = str(max)
    return pa.field(name, type_, nullable=nullable, metadata=meta)


AGENCY_TYPES = ("เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล", "องค์การบริหารส่วนตำบล",
                "องค์การบริหารส่วนจังหวัด", "other")
FISCAL_YEAR = {"min": 2400, "max": 2700}


_TEXT = pa.string()
_TEXTS = pa.list_(pa.string())
SEVERITIES = ("info", "warning", "review")
# One note: a kind from the catalogue (docs/notes.md), its severity, where, and the message.
NOTE = pa.struct([pa.field("kind", pa.string()), pa.field("severity", pa.string()),
                  pa.field("page", pa.int32()), pa.field("line", pa.int32()),
                  pa.field("message", pa.string())])
_NOTES = pa.list_(NOTE)
# PDF points on the page: x0, top, x1, bottom. A plain list of four, not a fixed-size list:
# pyarrow before 26 cannot read a Parquet fixed-size list column that holds nulls.
BBOX = pa.list_(pa.float32())
CELL_BOX = pa.struct([pa.field("field", pa.string()), pa.field("page", pa.int32()),
                      pa.field("bbox", BBOX)])
PAGE_SOURCE = pa.struct([pa.field("page", pa.int32()), pa.field("method", pa.string()),
                         pa.field("reason", pa.string()), pa.field("skew_deg", pa.float32())])

MEASURES = pa.schema([
    _f("report_id", _TEXT, "id of the report row this measure comes from", False),
    _f("source_file", _TEXT, "file name of the report", False),
    _f("agency_id", _TEXT, "stable key of the agency (see agencies.agency_id)"),
    _f("agency_name", _TEXT, "reporting agency (as resolved for the report)"),
    _f("agency_type", _TEXT, "เทศบาลนคร / เทศบาลเมือง / เทศบาลตำบล / องค์การบริหารส่วนตำบล / องค์การบริหารส่วนจังหวัด / other", enum=AGENCY_TYPES),
    _f("province", _TEXT, "province of the agency"),
    _f("district", _TEXT, "district of the agency"),
    _f("fiscal_year_be", pa.int32(), "fiscal year of the report, Buddhist era (files are grouped in a folder per year)", **FISCAL_YEAR),
    _f("section", _TEXT, "ITA tool the row is under: IIT, EIT or OIT (from a heading or header only)", enum=("IIT", "EIT", "OIT")),
    _f("indicator_no", pa.int8(), "ITA indicator 1-10 when the row or its heading names one", min=1, max=10),
    _f("indicator_name", _TEXT, "that indicator's name as printed"),
    _f("indicator_canonical", _TEXT, "the official name of indicator_no in the report's fiscal year"),
    _f("indicator_inferred", pa.int8(), "an indicator implied by the row's OIT codes or topic (never printed; not in indicator_no)", min=1, max=10),
    _f("indicator_basis", _TEXT, "what indicator_inferred rests on: oit_items or topic", enum=("oit_items", "topic")),
    _f("oit_items", pa.list_(pa.string()), "OIT item codes the row cites, as O + arabic digits"),
    _f("oit_item_names", pa.list_(pa.string()), "official names of oit_items in the report's fiscal year's numbering (null when unknown)"),
    _f("seq", _TEXT, "the row's own number as printed, arabic digits"),
    _f("measure", _TEXT, "the measure / guideline / activity text (or the indicator cell)", False),
    _f("measure_group", _TEXT, "the group row a measure sits under (activities 1.1, 1.2 under measure 1), as printed"),
    _f("issue", _TEXT, "the ITA-analysis issue the measure answers (ประเด็นที่ต้องพัฒนา/แก้ไข), when a column names it"),
    _f("method", _TEXT, "steps / how it is done"),
    _f("responsible", _TEXT, "responsible unit(s)"),
    _f("period_text", _TEXT, "the period cell as printed, Thai digits turned arabic"),
    _f("period_start", pa.date32(), "first day of the period (Gregorian)"),
    _f("period_end", pa.date32(), "last day of the period (Gregorian)"),
    _f("monitoring", _TEXT, "follow-up / monitoring column"),
    _f("status", _TEXT, "completed / in_progress / not_started, from marks or status columns",
       enum=("completed", "in_progress", "not_started")),
    _f("status_text", _TEXT, "the raw text of the status cell(s): notes printed beside a mark"),
    _f("result", _TEXT, "results / progress column"),
    _f("outcome", _TEXT, "outcome / success column"),
    _f("recommendation", _TEXT, "suggestions column"),
    _f("score", pa.float64(), "a score the row itself states (คะแนน 97.44)", min=0, max=100),
    _f("budget_baht", pa.float64(), "the budget column as a number of baht (0 when it says no budget is used; null for '-' or blank)", min=0),
    _f("extra", pa.map_(pa.string(), pa.string()), "columns with no field of their own (budget, target, evidence, remarks, URL…): header as printed → cell text"),
    _f("page", pa.int32(), "source page of the row's first line", min=1),
    _f("line", pa.int32(), "source line (1-based) of the row's first cell"),
    _f("bbox", BBOX, "PDFs: the row's box on `page`, in PDF points (x0, top, x1, bottom)"),
    _f("cell_boxes", pa.list_(CELL_BOX), "PDFs: where each field's text sits (field, page, box)"),
    _f("table_index", pa.int32(), "index of the row's table among the document's blocks (null for a labelled block)"),
    _f("row_index", pa.int32(), "index of the row inside its table (or of the block among the report's lines)"),
    _f("table_kind", _TEXT, "measures / status / indicator: what the table's columns make it; blocks: a labelled block of a report with no table",
       enum=("measures", "status", "indicator", "blocks")),
    _f("confidence", pa.float32(), "0-1: how sure header mapping, stitching and normalisation were", min=0, max=1),
    _f("notes", _NOTES, "what the extractor noticed on this row: kind (docs/notes.md), severity (info / warning / review), page, line, message with the raw text kept"),
])

REPORTS = pa.schema([
    _f("report_id", _TEXT, "stable id of the report: the first 16 hex digits of its sha256 (the same bytes under another path are the same report); for a file that could not be read, a hash of its path", False),
    _f("source_file", _TEXT, "file name of the report", False),
    _f("source_path", _TEXT, "path the report was last read from (a name that is not valid UTF-8 is shown decoded as TIS-620, else with U+FFFD)"),
    _f("sha256", _TEXT, "sha256 of the file's bytes"),
    _f("format", _TEXT, "txt / md / html / pdf"),
    _f("encoding", _TEXT, "text encoding detected (utf-8, utf-8-sig, cp874, …)"),
    _f("pages", pa.int32(), "number of pages (text files: page breaks seen + 1)"),
    _f("ocr_used", pa.bool_(), "whether OCR was run on the file"),
    _f("layout", _TEXT, "the kinds of table found, e.g. measures+status"),
    _f("parser_version", _TEXT, "version of ita-extract that made the row: release + a hash of the code and data that shape extraction"),
    _f("status", _TEXT, "ok / empty (no measure tables) / failed", False,
       enum=("ok", "empty", "failed")),
    _f("error", _TEXT, "why the file failed, when it did"),
    _f("failure", _TEXT, "for a failed file: transient (a passing cause — time limit, memory cap, a missing tool, a file changing while read — retried on the next run) or permanent (retried only with --retry-failed or a new version)",
       enum=("transient", "permanent")),
    _f("agency_name", _TEXT, "the reporting agency's full name"),
    _f("agency_type", _TEXT, "agency type, see measures.agency_type", enum=AGENCY_TYPES),
    _f("district", _TEXT, "district (อำเภอ) of the agency, without the word อำเภอ"),
    _f("province", _TEXT, "province (จังหวัด) of the agency, without the word จังหวัด"),
    _f("printed_district", _TEXT, "district as printed, when it differs from the real one"),
    _f("agency_id", _TEXT, "stable key of the agency: its DLA code when in the register, else type + gazetteer code (TT-830303), else a hash (TT-x1a2b3c4d)"),
    _f("subdistrict_code", _TEXT, "DOPA code of the subdistrict the agency is named after"),
    _f("district_code", _TEXT, "DOPA code of the district"),
    _f("province_code", _TEXT, "DOPA code of the province"),
    _f("dla_code", _TEXT, "the agency's 7-digit code in the Department of Local Administration's register"),
    _f("agency_aliases", _TEXTS, "the agency's names as printed in this report"),
    _f("fiscal_year_be", pa.int32(), "fiscal year of the report, Buddhist era (files are grouped in a folder per year)", **FISCAL_YEAR),
    _f("report_period", _TEXT, "reporting round: 6m or 12m, when stated", enum=("6m", "12m")),
    _f("report_date", pa.date32(), "the date the report carries"),
    _f("prior_score", pa.float64(), "an overall ITA score the report quotes", min=0, max=100),
    _f("prior_score_year_be", pa.int32(), "the fiscal year that quoted score belongs to"),
    _f("prior_level", _TEXT, "the level printed with that score (C, ผ่านดี, …)"),
    _f("page_sources", pa.list_(PAGE_SOURCE), "PDFs: how each page was read (text layer, OCR or not at all), why, and the skew corrected"),
    _f("n_measures", pa.int32(), "number of measure rows extracted", min=0),
    _f("needs_review", pa.bool_(), "true when the report has a note of severity review: see review_reasons"),
    _f("review_reasons", _TEXTS, "the messages of its review notes"),
    _f("notes", _NOTES, "what the extractor noticed on the report: kind (docs/notes.md), severity, page, line, message"),
    _f("ingested_at", pa.timestamp("s", tz="UTC"), "when the row was written"),
])

AGENCIES = pa.schema([
    _f("agency_id", _TEXT, "stable key: same agency, same id, across files and years", False),
    _f("agency_name", _TEXT, "full official name (type + name)"),
    _f("agency_type", _TEXT, "agency type", enum=AGENCY_TYPES),
    _f("subdistrict", _TEXT, "subdistrict (ตำบล) the agency is named after, from the gazetteer"),
    _f("subdistrict_code", _TEXT, "its DOPA code"),
    _f("district", _TEXT, "district (อำเภอ)"),
    _f("district_code", _TEXT, "DOPA code of the district"),
    _f("province", _TEXT, "province (จังหวัด)"),
    _f("province_code", _TEXT, "DOPA code of the province"),
    _f("dla_code", _TEXT, "7-digit code in the Department of Local Administration's register"),
    _f("aliases", _TEXTS, "every printed form of the name seen in its reports"),
    _f("n_reports", pa.int32(), "number of reports of this agency in the dataset"),
])

TABLES = {"measures": MEASURES, "reports": REPORTS, "agencies": AGENCIES}
PARTITION = pa.schema([pa.field("fiscal_year_be", pa.int32())])
PARTITIONED = ("reports", "measures")  # tables stored in one folder per fiscal year
UNKNOWN_YEAR = "unknown"  # the folder of reports whose fiscal year is not known


def partition_folder(fiscal_year_be: int | None) -> str:
    """The folder a row's file goes to: the bare year, so that no reader takes the folder
    name for a column (a `fiscal_year_be=2567` folder makes pandas read the year as a
    category, and fail outright beside a null-year folder); the year is in the files.

    >>> partition_folder(2567), partition_folder(None)
    ('2567', 'unknown')
    """
    return UNKNOWN_YEAR if fiscal_year_be is None else str(int(fiscal_year_be))

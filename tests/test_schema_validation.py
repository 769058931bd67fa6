"""Every batch is checked against the schema before it is written; the message names
the column. Reports carry needs_review with the reasons."""
import re

import pyarrow.parquet as pq
import pytest

from extractor.dataset.arrow import SchemaViolation, to_table
from extractor.dataset.rows import measure_rows, report_row
from extractor.batch.ingest import ingest
from extractor.reading.pipeline import extract_document, extract_report
from extractor.reading.readers.text import parse_text
from extractor.dataset.schema import SCHEMA_VERSION

from .test_cli import RAW
from .conftest import copy_text_samples


@pytest.fixture(scope="module")
def good():
    report = extract_report(RAW / "sample_tsv_plan_status.txt")
    return report_row(report, "x", "0"), measure_rows(report)


@pytest.mark.parametrize("column,value,message", [
    ("status", "done", "measures.status: ['done'] not among"),
    ("indicator_no", 11, "measures.indicator_no: 1 value(s) beyond max 10"),
    ("confidence", -0.5, "measures.confidence: 1 value(s) beyond min 0"),
    ("measure", None, "measures.measure: 1 null value(s) in a required column"),
    ("period_start", "next year", "measures.period_start: values are not date32"),
    ("section", "XIT", "measures.section: ['XIT'] not among"),
])
def test_a_measure_batch_that_breaks_the_schema_fails_naming_the_column(good, column, value, message):
    _, measures = good
    bad = [dict(m) for m in measures]
    bad[1][column] = value
    with pytest.raises(SchemaViolation, match=re.escape(message)):
        to_table(bad, "measures")


def test_report_rows_are_checked_too(good):
    report, _ = good
    with pytest.raises(SchemaViolation, match="reports.report_period"):
        to_table([{**report, "report_period": "3m"}], "reports")
    with pytest.raises(SchemaViolation, match="reports.fiscal_year_be"):
        to_table([{**report, "fiscal_year_be": 66}], "reports")
    with pytest.raises(SchemaViolation, match="not in the schema: colour"):
        to_table([{**report, "colour": "red"}], "reports")
    assert to_table([report], "reports").num_rows == 1


def test_schema_version_is_in_the_parquet_metadata(tmp_path):
    ingest([copy_text_samples(tmp_path / "raw")], tmp_path / "ds")
    files = list((tmp_path / "ds" / "measures").rglob("*.parquet"))
    meta = pq.read_schema(files[0]).metadata
    assert meta[b"ita_extract_schema_version"] == SCHEMA_VERSION.encode()


def test_needs_review_says_why():
    clean = extract_report(RAW / "sample_html_rowspan.html")
    assert report_row(clean, "x", "0")["needs_review"] is False
    text = ("รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ องค์การบริหารส่วนตำบลดงกลาง\n\n"
            "มาตรการ/แนวทาง\tวิธีดำเนินการ\tระยะเวลา\n๑. ก\tข\tเร็ว ๆ นี้\n")
    row = report_row(extract_document(parse_text(text)), "x", "0")
    assert row["needs_review"] is True
    assert any("ambiguous" in r for r in row["review_reasons"])
    empty = extract_document(parse_text("เรื่อง แจ้งเพื่อทราบ\n"))
    reasons = report_row(empty, "x", "0")["review_reasons"]
    assert reasons == ["[fiscal_year_missing] fiscal year not found",
                       "[agency_missing] no agency named in the report"]

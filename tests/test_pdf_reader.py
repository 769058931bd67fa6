"""Born-digital PDFs (issue 4): the committed fixtures under tests/pdfs/, made by
tests/fixtures/make_pdfs.py from this project's own samples in data/raw.

Each fixture must give the same answers as the sample's text file (tests/fixtures/
samples_gold), compared the way test_samples.py compares them. No ../shared needed.
"""
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from extractor.dataset.rows import to_gold
from extractor.batch.ingest import ingest
from extractor.model import Line
from extractor.reading.pipeline import extract_report
from extractor.reading.readers.pdf import read_pdf

from .test_samples import GOLD_DIR, norm

ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT / "tests" / "pdfs"
BORN_DIGITAL = sorted(p for p in PDFS.glob("sample_*.pdf") if "__scan" not in p.name)
MEASURE_FIELDS = ["section", "indicator_no", "oit_items", "seq", "measure", "method",
                  "responsible", "period_text", "period_start", "period_end", "monitoring",
                  "status", "result", "outcome", "recommendation", "score"]
PUA = re.compile("[\ue000-\uf8ff]")
SPLIT_AM = re.compile("\u0e4d\\s*[\u0e48-\u0e4b]?\\s*\u0e32")


def _gold(pdf: Path) -> dict:
    return json.loads((GOLD_DIR / (pdf.name.split("__")[0] + ".json")).read_text("utf-8"))


@pytest.mark.parametrize("pdf", BORN_DIGITAL, ids=[p.stem for p in BORN_DIGITAL])
def test_fixture_gives_the_answers_of_its_text_sample(pdf):
    report = extract_report(pdf)
    assert report.status == "ok" and report.format == "pdf" and not report.ocr_used
    got, gold = to_gold(report), _gold(pdf)
    for key in ("fiscal_year_be", "report_period", "report_date", "prior_score"):
        assert got[key] == gold[key], key
    assert got["agency"]["name"] == gold["agency"]["name"]
    assert len(got["measures"]) == len(gold["measures"])
    for g, e in zip(got["measures"], gold["measures"]):
        for f in MEASURE_FIELDS:
            assert norm(f, g[f]) == norm(f, e[f]), (pdf.name, f, g[f], e[f])


def test_every_cell_keeps_its_page_and_box_and_lines_run_on_across_pages():
    doc = read_pdf(PDFS / "sample_tsv_plan_status__continued.pdf")
    assert doc.pages >= 3 and {b.page for b in doc.blocks} == set(range(1, doc.pages + 1))
    lines = [b.line for b in doc.blocks]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    for t in doc.tables():
        assert t.syntax == "pdf"
        for row in t.rows:
            for c in row:
                if c.raw:
                    x0, top, x1, bottom = c.bbox
                    assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842 and c.page == t.page


def test_a_row_broken_by_the_page_is_one_measure(monkeypatch):
    """Larger type: the last row runs over the page break (no rule under its first
    part); its rest, under the header repeated on the next page, joins it."""
    import extractor.reading.readers.pdf as reader

    joined = []
    real = reader._rejoin_split_row
    monkeypatch.setattr(reader, "_rejoin_split_row",
                        lambda prev, blocks, cut=True: (cut and joined.append(prev.rows[-1][0].raw),
                                                        real(prev, blocks, cut)))
    pdf = PDFS / "sample_tsv_plan_status__continued.pdf"
    report = extract_report(pdf)
    assert joined and joined[0].startswith("๑. มอบหมายผู้รับผิดชอบ")
    gold = _gold(pdf)["measures"]
    assert len(report.measures) == len(gold)
    last = report.measures[-1]
    assert norm("result", last.result) == norm("result", gold[-1]["result"])
    assert last.status == gold[-1]["status"]


def test_rotated_page_reads_like_the_landscape_page():
    """/Rotate 90 on portrait media shows landscape: same text, same boxes."""
    a = read_pdf(PDFS / "sample_markdown_indicators__landscape.pdf")
    b = read_pdf(PDFS / "sample_markdown_indicators__rotated.pdf")
    assert [type(x).__name__ for x in a.blocks] == [type(x).__name__ for x in b.blocks]
    for x, y in zip(a.blocks, b.blocks):
        if isinstance(x, Line):
            assert x.text == y.text and x.bbox == pytest.approx(y.bbox, abs=1)
        else:
            assert [[c.raw for c in r] for r in x.rows] == [[c.raw for c in r] for r in y.rows]


def test_text_outside_tables_is_paragraph_lines_and_page_numbers_go():
    doc = read_pdf(PDFS / "sample_markdown_indicators__landscape.pdf")
    texts = [b.text for b in doc.lines()]
    assert texts[0].startswith("รายงานความก้าวหน้า")
    assert any("(ต่อ)" in t for t in texts) and any("IIT" in t for t in texts)
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)  # "- 2 -" dropped
    # a wrapped paragraph is one line, as the text reader has it: score and year together
    assert any("91.36" in t and "2566" in t for t in texts)


def test_the_text_put_in_comes_back_out():
    """Every cell of the sample, markup and spaces removed, is in the PDF's cells."""
    from tests.variants import _lines, _rows, _segments

    src = (ROOT / "data" / "raw" / "sample_tsv_plan_status.txt").read_text("utf-8")
    cells = {re.sub(r"<[^>]*>|\s+", "", c) for k, ls in _segments(_lines(src))
             if k == "tsv" for r in _rows(k, ls) for c in r}
    for name in ("ruled", "unruled", "pua"):
        doc = read_pdf(PDFS / f"sample_tsv_plan_status__{name}.pdf")
        got = "".join(re.sub(r"\s+", "", c.raw) for t in doc.tables() for r in t.rows for c in r)
        missing = [c for c in cells if c and c not in got]
        assert not missing, (name, missing)


def test_pua_glyphs_and_split_sara_am_never_reach_the_dataset(tmp_path):
    pdf = PDFS / "sample_tsv_plan_status__pua.pdf"
    import pdfplumber
    with pdfplumber.open(pdf) as p:  # the damage is really in the file
        raw = p.pages[0].extract_text()
    assert PUA.search(raw) and SPLIT_AM.search(raw)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(pdf, folder)
    ingest([folder], tmp_path / "ds")
    rows = duckdb.sql(f"select * from read_parquet('{tmp_path}/ds/measures/**/*.parquet', "
                      "hive_partitioning=true)").fetchall()
    reports = duckdb.sql(f"select * from read_parquet('{tmp_path}/ds/reports/**/*.parquet', "
                         "hive_partitioning=true)").fetchall()
    assert len(rows) == 4
    for value in (str(v) for r in rows + reports for v in r if isinstance(v, str)):
        assert not PUA.search(value) and "(cid:" not in value and not SPLIT_AM.search(value), value


def test_a_pdf_under_another_name_is_read_as_a_pdf(tmp_path):
    f = tmp_path / "report.txt"
    shutil.copy(PDFS / "sample_tsv_plan_status__ruled.pdf", f)
    report = extract_report(f)
    assert report.status == "ok" and len(report.measures) == 4


@pytest.mark.parametrize("name, reason", [
    ("bad_encrypted.pdf", "encrypted"),
    ("bad_truncated.pdf", "truncated"),
    ("bad_zero_pages.pdf", "no pages"),
    ("bad_not_a_pdf.pdf", "not a PDF"),
])
def test_unreadable_pdfs_are_failed_rows_with_reasons(name, reason):
    report = extract_report(PDFS / name)
    assert report.status == "failed" and reason in report.error, report.error


def test_bad_pdfs_do_not_stop_a_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in list(PDFS.glob("bad_*.pdf")) + [PDFS / "sample_tsv_plan_status__ruled.pdf"]:
        shutil.copy(p, folder)
    ingest([folder], tmp_path / "ds")
    rows = duckdb.sql(f"select source_file, status, error from read_parquet("
                      f"'{tmp_path}/ds/reports/**/*.parquet', hive_partitioning=true)").fetchall()
    status = {r[0]: (r[1], r[2]) for r in rows}
    assert status["sample_tsv_plan_status__ruled.pdf"][0] == "ok"
    assert sum(1 for s, e in status.values() if s == "failed" and e) == 4


def test_the_fixture_script_reproduces_the_committed_fixtures(tmp_path):
    """make_pdfs.py is the source of tests/pdfs: what it makes now reads the same."""
    from tests.fixtures.make_pdfs import font_files, main

    if font_files() is None:
        pytest.skip("Thai fonts not installed (fonts-tlwg-laksaman-ttf, fonts-dejavu-core)")
    main(tmp_path)
    for committed in BORN_DIGITAL:
        a, b = read_pdf(committed), read_pdf(tmp_path / committed.name)
        assert [getattr(x, "text", None) or [[c.raw for c in r] for r in x.rows] for x in a.blocks] \
            == [getattr(x, "text", None) or [[c.raw for c in r] for r in x.rows] for x in b.blocks]


def test_each_measure_traces_to_its_box_on_the_page():
    report = extract_report(PDFS / "sample_tsv_plan_status__ruled.pdf")
    for m in report.measures:
        x0, top, x1, bottom = m.bbox
        assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 842
        fields = {c.field for c in m.cell_boxes}
        assert "measure" in fields
        # every cell box of the row's first page lies inside the row's box
        assert all(x0 <= c.bbox[0] and c.bbox[2] <= x1 + 0.01 for c in m.cell_boxes if c.page == m.page)
    first, second = report.measures[:2]
    assert first.page < second.page or first.bbox[1] < second.bbox[1]  # reading order down the page

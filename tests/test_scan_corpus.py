"""Scans as offices scan them (issue 11), scored: a committed subset of the degraded-scan
corpus (`tests/fixtures/make_scans.py`: reports in new wording printed by Chromium and
LibreOffice, then 200 dpi grey, turned 0.3–1.0°, blurred, grey paper, noise, JPEG 50),
with its gold answers in tests/pdfs/scans/gold.

- scan_a_maitra__chromium_ruled.pdf: ruled, two pages, a row cut by the page break,
  inline checkbox groups, Thai digits throughout;
- scan_d_namom__chromium_unruled.pdf: a table drawn without rules;
- scan_d_namom__libreoffice_ruled_ocrmypdf.pdf: ruled, with ocrmypdf's text layer.

Four pages go through tesseract: about 15–25 s on a busy two-core machine. Needs
tesseract's Thai model and ../shared (the scorer); skips otherwise.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.batch.ingest import IngestOptions, ingest
from extractor.reading.readers import ocr

from .conftest import SCORER, needs_shared

SCANS = Path(__file__).parent / "pdfs" / "scans"
GOLD = SCANS / "gold"
# The angles the generator turned each page by (tests/fixtures/make_scans.py, fixed seeds).
ANGLES = {"scan_a_maitra__chromium_ruled.pdf": [-0.68, -0.93],
          "scan_d_namom__chromium_unruled.pdf": [-0.66]}

pytestmark = [needs_shared, pytest.mark.skipif(
    "tha" not in ocr.tesseract_langs(),
    reason="tesseract with the Thai model is not installed (apt-get install tesseract-ocr tesseract-ocr-tha)")]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scans") / "ds"
    summary = ingest([SCANS], out, IngestOptions(workers=0))
    assert summary.failed == 0
    return out


def _score(dataset: Path, only: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(SCORER), str(GOLD), str(dataset), "--only", only],
                         capture_output=True, text=True, check=False).stdout
    line = next(l for l in out.splitlines() if l.startswith("SCORE"))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}


def test_ruled_scans_meet_the_floors(dataset):
    """The issue's bar on ruled tables: measure_f1 ≥ 0.85, field_acc ≥ 0.70, doc_acc ≥ 0.80."""
    score = _score(dataset, "_ruled")
    print(f"\n[ruled scans] {score}")
    assert score["measure_f1"] >= 0.85 and score["field_acc"] >= 0.70 and score["doc_acc"] >= 0.80, score


def test_unruled_scan_meets_the_floor(dataset):
    score = _score(dataset, "_unruled")
    print(f"\n[unruled scan] {score}")
    assert score["measure_f1"] >= 0.6, score


def test_each_page_says_how_it_was_read_and_its_skew(dataset):
    import duckdb

    rows = duckdb.sql(f"select source_file, page_sources from read_parquet('{dataset}/reports/**/*.parquet', "
                      "hive_partitioning=true) order by source_file").fetchall()
    sources = dict(rows)
    for name, angles in ANGLES.items():
        pages = sources[name]
        assert [p["method"] for p in pages] == ["ocr"] * len(angles)
        assert [p["skew_deg"] for p in pages] == pytest.approx(angles, abs=0.15)


def test_a_row_cut_by_the_page_break_is_one_measure(dataset):
    """Measure 5 of scan_a runs over the page break (its third step is on page 2): one
    measure, with the text from both pages, and seven measures in all."""
    import duckdb

    rows = duckdb.sql(f"select seq, method, page from read_parquet('{dataset}/measures/**/*.parquet', "
                      "hive_partitioning=true) where source_file = 'scan_a_maitra__chromium_ruled.pdf' "
                      "order by page, line").fetchall()
    gold = json.loads((GOLD / "scan_a_maitra.json").read_text("utf-8"))
    assert len(rows) == len(gold["measures"]) == 7
    cut = [r for r in rows if "ตั้งบัญชีไลน์" in (r[1] or "").replace(" ", "")]
    assert len(cut) == 1 and "รายงานเรื่อง" in cut[0][1].replace(" ", "") and cut[0][2] == 1

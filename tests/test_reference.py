"""ITA reference data in the dataset, agencies table, and review flags."""
import shutil
from pathlib import Path

import pyarrow.dataset as ds

from extractor.batch.ingest import ingest
from extractor.reading.pipeline import extract_document
from extractor.reading.readers.text import parse_text
from normalizers.ita import indicator_canonical, level_consistent, oit_item_name
from .conftest import copy_text_samples

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


def table(out, name):
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


def test_oit_codes_mean_something_only_with_their_year():
    # The 2566 renumbering: O29 was the complaint guideline in 2565, statistics in 2566.
    assert oit_item_name("O29", 2566) != oit_item_name("O29", 2565)
    assert oit_item_name("O10", None) is None
    assert indicator_canonical(3, 2567) == "การใช้อำนาจ"


def test_level_bands_differ_by_year():
    assert level_consistent(90.0, "A", 2565) is True
    assert level_consistent(90.0, "ผ่านดีเยี่ยม", 2566) is False
    assert level_consistent(90.0, "A", 2566) is None  # a letter in a label year: can't check


def test_canonical_name_and_inference_stay_apart_from_what_was_printed():
    text = ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\n\n"
            "ตัวชี้วัด\tแนวทางในการยกระดับ\tระยะเวลา\n"
            "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของทางราชการ\tจัดทำคู่มือการยืม\tปีงบประมาณ 2566\n\n"
            "มาตรการ/แนวทาง\tวิธีดำเนินการ\tระยะเวลา\n"
            "-เผยแพร่ ๐๓๑ ประกาศเจตนารมณ์ และ ๐๓๙ ประมวลจริยธรรม\tประกาศบนเว็บไซต์\tปีงบประมาณ 2566\n"
            "-ประกาศนโยบายไม่รับของขวัญ No Gift Policy\tประชุม\tปีงบประมาณ 2566\n")
    a, b, c = extract_document(parse_text(text)).measures
    assert (a.indicator_no, a.indicator_name, a.indicator_canonical) == (
        4, "การใช้ทรัพย์สินของทางราชการ", "การใช้ทรัพย์สินของราชการ")
    assert (b.indicator_no, b.indicator_inferred, b.indicator_basis) == (None, 10, "oit_items")
    assert b.oit_item_names[0].startswith("ประกาศเจตนารมณ์")
    assert (c.indicator_no, c.indicator_inferred, c.indicator_basis) == (None, 10, "topic")


def test_review_flags_for_score_level_and_fiscal_year():
    text = ("รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ เทศบาลตำบลเชิงทะเล อำเภอถลาง จังหวัดภูเก็ต\n"
            "ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ได้คะแนน ๗๐.๑๐ คะแนน อยู่ในระดับ A\n\n"
            "มาตรการ/แนวทาง\tวิธีดำเนินการ\tระยะเวลา\n"
            "๑. ก\tข\tต.ค.๖๖ - มี.ค.๖๗\n๒. ค\tง\tม.ค. - มิ.ย. ๖๗\n")
    report = extract_document(parse_text(text))
    assert report.prior_score.score == 70.1 and report.prior_score.level == "A"
    kinds = {n.kind: n for n in report.notes}
    assert "does not fit level A" in kinds["score_level_mismatch"].message
    assert kinds["fiscal_year_disagrees"].severity == "review"


def test_agencies_table_has_one_row_per_agency_and_ids_are_stable(tmp_path):
    folder = tmp_path / "in"
    copy_text_samples(folder)
    # The same agency's report again, under another name and another year.
    text = (RAW / "sample_html_rowspan.html").read_text("utf-8").replace("๒๕๖๗", "๒๕๖๘")
    (folder / "again_next_year.html").write_text(text, "utf-8")
    out = tmp_path / "ds"
    ingest([folder], out)
    agencies = table(out, "agencies")
    ids = [a["agency_id"] for a in agencies]
    assert len(ids) == len(set(ids)) == 4
    phuket = next(a for a in agencies if a["province"] == "ภูเก็ต")
    assert (phuket["agency_id"], phuket["dla_code"], phuket["n_reports"], phuket["subdistrict"]) == (
        "5830302", "5830302", 2, "เชิงทะเล")  # the DLA register's code for เทศบาลตำบลเชิงทะเล
    first = {r["source_file"]: r["agency_id"] for r in table(out, "reports")}
    ingest([folder], out)
    assert {r["source_file"]: r["agency_id"] for r in table(out, "reports")} == first
    assert len(table(out, "agencies")) == 4
    measures = table(out, "measures")
    assert {m["agency_id"] for m in measures} == set(ids)


def test_the_year_of_a_quoted_past_assessment_is_not_the_report_fiscal_year():
    text = ("ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ได้คะแนน ๘๐.๑๐ คะแนน\n"
            "จึงกำหนดมาตรการส่งเสริมคุณธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\n\n"
            "มาตรการ/แนวทาง\tวิธีดำเนินการ\tระยะเวลา\n๑. ก\tข\tต.ค.๖๕ - มี.ค.๖๖\n")
    report = extract_document(parse_text(text))
    assert report.fiscal_year_be == 2566 and report.prior_score.year_be == 2565
    only_prior = extract_document(parse_text(text.replace("จึงกำหนดมาตรการส่งเสริมคุณธรรม ประจำปีงบประมาณ พ.ศ. ๒๕๖๖\n", "")))
    assert only_prior.fiscal_year_be == 2565

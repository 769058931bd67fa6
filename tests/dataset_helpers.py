"""Helpers for tests that need a dataset as another version of ita-extract wrote it."""
import dataclasses
import shutil
from pathlib import Path
from typing import Callable

from extractor.dataset.commits import list_seqs, read_record, write_record


def as_other_version(dataset: Path, out: Path, table: str, transform: Callable[[Path], None],
                     schema_version: str = "2") -> Path:
    """A copy of `dataset` whose `table` files went through `transform` (a function that
    rewrites one Parquet file in place), its commit record saying `schema_version`."""
    shutil.copytree(dataset, out, symlinks=True)
    rec = read_record(out, list_seqs(out)[-1])
    for rel in rec.table_files(table):
        transform(out / ".data" / rel)
    rec.segments = [dataclasses.replace(s, bytes={t: (out / ".data" / s.file(t)).stat().st_size
                                                  for t in s.bytes}) for s in rec.segments]
    if rec.agencies:
        size = (out / ".data" / rec.table_files("agencies")[0]).stat().st_size
        rec.agencies = dataclasses.replace(rec.agencies, bytes=size)
    rec.schema_version = schema_version
    write_record(out, rec)
    return out


THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
PLACES = [("เทศบาลตำบลบ้านกลาง", "สันป่าตอง", "เชียงใหม่"),
          ("องค์การบริหารส่วนตำบลหนองหาร", "สันทราย", "เชียงใหม่"),
          ("เทศบาลตำบลเชิงทะเล", "ถลาง", "ภูเก็ต"),
          ("เทศบาลเมืองบ้านสวน", "เมืองชลบุรี", "ชลบุรี")]
REPORT = """แบบรายงานผลการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ {fy}
{agency} อำเภอ{district} จังหวัด{province}

ลำดับ\tมาตรการ\tขั้นตอนการดำเนินงาน\tหน่วยงานที่รับผิดชอบ\tห้วงเวลา
{one}\tจัดทำคู่มือป้องกันการรับสินบน เล่มที่ {n}\tเวียนแจ้งทุกกอง\tสำนักปลัด\tต.ค. {y0} - ธ.ค. {y0}
{two}\tเปิดช่องทางร้องเรียนออนไลน์ ชุดที่ {n}\tประชาสัมพันธ์ผ่านเว็บไซต์\tกองคลัง\tม.ค. {y1} - มิ.ย. {y1}
"""


def report_text(n: int, fy: int | None = 2567, place: int | None = None) -> str:
    """A small report in this project's own wording: two measures, a real agency; `n` makes
    its bytes unique. `fy=None` prints no fiscal year (nor periods that would imply one)."""
    agency, district, province = PLACES[(n if place is None else place) % len(PLACES)]
    year = str(fy or 2567)
    text = REPORT.format(fy=year.translate(THAI_DIGITS), agency=agency, district=district,
                         province=province, n=str(n).translate(THAI_DIGITS), one="๑", two="๒",
                         y0=str(int(year) - 1)[2:].translate(THAI_DIGITS),
                         y1=year[2:].translate(THAI_DIGITS))
    if fy is None:
        text = text.replace(f" ปีงบประมาณ {year.translate(THAI_DIGITS)}", "")
        text = "\n".join(line.rsplit("\t", 1)[0] if "\t" in line else line for line in text.splitlines())
    return text


def write_reports(folder: Path, count: int, start: int = 0, **kw) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        p = folder / f"report_{i:04d}.txt"
        p.write_text(report_text(i, **kw), "utf-8")
        paths.append(p)
    return paths

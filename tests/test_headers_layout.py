"""Header matching that survives OCR (consonant skeletons), a table's kind from its
columns and cells, and layout reuse when a repeated header reads worse (issue 11)."""
import pytest

from extractor.model import Cell, Document, Table
from extractor.reading.headers import match_header
from extractor.reading.layout import read_layout
from extractor.reading.pipeline import extract_document


@pytest.mark.parametrize(("ocr", "field"), [
    ("ตวชวด", "indicator"),                # ตัวชี้วัด, every mark above and below lost
    ("ผรบผดชอบ", "responsible"),           # ผู้รับผิดชอบ
    ("ระยะเวลาดาเนนการ", "period_text"),   # ระยะเวลาดำเนินการ with ำ read as า
    ("ขนตอน/วธปฏบต", "method"),            # ขั้นตอน/วิธีปฏิบัติ
])
def test_headers_whose_upper_and_lower_marks_were_lost_still_map(ocr, field):
    m = match_header(ocr)
    assert m.field == field and m.score < 100


@pytest.mark.parametrize("short", ["ทบท", "กอง", "ผล", "ปด"])
def test_short_skeletons_do_not_match_anything(short):
    assert match_header(short).field is None


def cells(texts, y, xs=None, line=1):
    out = []
    for i, t in enumerate(texts):
        box = (xs[i][0], y, xs[i][1], y + 10) if xs else None
        out.append(Cell(t, line, bbox=box))
    return out


XS = [(40, 160), (160, 300), (300, 420), (420, 520)]
GOOD = ["มาตรการ", "ขั้นตอนการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลา"]
# The same header as OCR read it on the next page: two columns unreadable.
BAD = ["มาตรการ", "¥ = jae อ) บาคลา", "ผรบผดชอบ", "ร ะ ย ะ 1 7"]


def doc_of(*tables):
    return Document("t.pdf", "pdf", list(tables), pages=len(tables))


def test_a_misread_repeated_header_with_the_same_geometry_reuses_the_layout():
    t1 = Table([cells(GOOD, 50, XS), cells(["๑. ประกาศนโยบาย", "ประชุม", "สำนักปลัด", "ต.ค. ๖๕"], 70, XS)], 1, 1, "pdf")
    t2 = Table([cells(BAD, 50, XS), cells(["๒. ติดตั้งกล้อง", "จัดซื้อ", "กองช่าง", "พ.ย. ๖๕"], 70, XS)], 2, 2, "pdf")
    first, _ = read_layout(t2.rows)
    assert first.fields[1] is None  # the misread header alone loses the method column
    a, b = extract_document(doc_of(t1, t2)).measures
    assert (b.measure, b.method, b.responsible) == ("ติดตั้งกล้อง", "จัดซื้อ", "กองช่าง")


def test_a_worse_header_in_other_places_is_not_taken_for_the_previous_one():
    moved = [(40, 90), (90, 330), (330, 450), (450, 520)]
    t1 = Table([cells(GOOD, 50, XS), cells(["๑. ประกาศนโยบาย", "ประชุม", "สำนักปลัด", "ต.ค. ๖๕"], 70, XS)], 1, 1, "pdf")
    t2 = Table([cells(BAD, 50, moved), cells(["๒. ติดตั้งกล้อง", "จัดซื้อ", "กองช่าง", "พ.ย. ๖๕"], 70, moved)], 2, 2, "pdf")
    a, b = extract_document(doc_of(t1, t2)).measures
    assert b.method is None  # its own (worse) layout: column 2 stays unread
    assert b.extra == {"¥ = jae อ) บาคลา": "จัดซื้อ", "ระยะ 1 7": "พ.ย. ๖๕"}  # header text as cleaned


def test_columns_of_item_codes_and_of_percentages_are_read_from_their_cells():
    rows = [cells(["ข้อ", "มาตรการ", "ผลการดำเนินงาน"], 0),
            cells(["O๑๒", "เผยแพร่รายงานประจำปี", "ร้อยละ ๑๐๐"], 0),
            cells(["O๒๓-O๒๔", "ประกาศแผนจัดซื้อ", "60%"], 0)]
    layout, n = read_layout(rows)
    assert (layout.fields, n) == (("oit", "measure", "status"), 1)

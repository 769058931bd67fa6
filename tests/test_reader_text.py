"""The text reader on each construct OCR output comes in, with inputs of our own."""
import codecs

import pytest

from extractor.reading.readers.encoding import UnreadableText, decode_text
from extractor.reading.readers.text import parse_text


def rows(table):
    return [[c.raw for c in r] for r in table.rows]


def test_tsv_rows_form_one_table_until_a_blank_line():
    doc = parse_text("ชื่อรายงาน\nมาตรการ\tผู้รับผิดชอบ\nก\tข\nค\tง\n\nจ\tฉ\n")
    t1, t2 = doc.tables()
    assert rows(t1) == [["มาตรการ", "ผู้รับผิดชอบ"], ["ก", "ข"], ["ค", "ง"]]
    assert rows(t2) == [["จ", "ฉ"]]
    assert [b.text for b in doc.lines()] == ["ชื่อรายงาน"]


def test_tsv_keeps_leading_and_trailing_empty_cells():
    doc = parse_text("\tต่อจากหน้าก่อน\t\t\n")
    assert rows(doc.tables()[0]) == [["", "ต่อจากหน้าก่อน", "", ""]]


def test_tab_separated_dash_rule_is_skipped():
    doc = parse_text("ก\tข\n--\t---\nค\tง\n")
    assert rows(doc.tables()[0]) == [["ก", "ข"], ["ค", "ง"]]


def test_markdown_table_with_rule_marks_header_and_escaped_pipe():
    doc = parse_text("| ลำดับ | มาตรการ |\n|---|:---:|\n| 1 | ก \\| ข |\n")
    t = doc.tables()[0]
    assert rows(t) == [["ลำดับ", "มาตรการ"], ["1", "ก | ข"]]
    assert all(c.header for c in t.rows[0]) and not any(c.header for c in t.rows[1])
    assert t.syntax == "markdown"


def test_html_table_with_rowspan_colspan_and_cell_markup():
    html = (
        "<table>\n<tr><th rowspan=\"2\">มาตรการ</th><th colspan=\"2\">สถานะ</th></tr>\n"
        "<tr><th>อยู่ระหว่างดำเนินการ</th><th>ดำเนินการแล้ว</th></tr>\n"
        "<tr><td><p>๑. จัดทำคู่มือ</p><br/>ต่อ</td><td></td>"
        "<td><input type=\"checkbox\" checked></td></tr>\n</table>\n"
    )
    doc = parse_text("หัว\n" + html + "ท้าย\n")
    t = doc.tables()[0]
    grid = rows(t)
    assert grid[0] == ["มาตรการ", "สถานะ", "สถานะ"]
    assert grid[1] == ["มาตรการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้ว"]
    assert grid[2][0] == "<p>๑. จัดทำคู่มือ</p><br/>ต่อ"
    assert "checked" in grid[2][2]
    assert t.rows[1][0].spanned and not t.rows[0][0].spanned
    assert t.rows[2][0].line == 5
    assert [b.text for b in doc.lines()] == ["หัว", "ท้าย"]


def test_html_table_on_one_line_with_text_around():
    doc = parse_text("ก่อน <table><tr><td>ก</td><td>ข</td></tr></table> หลัง\n")
    assert rows(doc.tables()[0]) == [["ก", "ข"]]
    assert [b.text for b in doc.lines()] == ["ก่อน", "หลัง"]


def test_page_noise_advances_page_and_is_dropped():
    doc = parse_text("ก\tข\n\n- 2 -\n\nค\tง\n\fจ\tฉ\n\nหน้า ๔\nช\tซ\n")
    assert [t.page for t in doc.tables()] == [1, 2, 3, 4]
    assert doc.lines() == []
    assert doc.pages == 4


def test_running_header_repeated_on_pages_is_kept_once():
    text = "".join(f"รายงานผล ITA เทศบาลตำบลตัวอย่าง\nก{i}\tข\n\n" for i in range(4))
    doc = parse_text(text)
    assert [b.text for b in doc.lines()] == ["รายงานผล ITA เทศบาลตำบลตัวอย่าง"]
    assert len(doc.tables()) == 4


def test_crlf_and_markdown_heading_marks():
    doc = parse_text("## ๒.มาตรการ (IIT)\r\nก\tข\r\n")
    assert doc.lines()[0].text == "๒.มาตรการ (IIT)"
    assert rows(doc.tables()[0]) == [["ก", "ข"]]


@pytest.mark.parametrize("data,encoding", [
    ("มาตรการ".encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + "มาตรการ".encode("utf-8"), "utf-8-sig"),
    ("มาตรการส่งเสริมคุณธรรม".encode("cp874"), "cp874"),
    ("มาตรการ".encode("utf-16"), "utf-16"),
])
def test_decode_text_detects_encodings(data, encoding):
    text, enc = decode_text(data)
    assert enc == encoding and text.startswith("มาตรการ")


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03" * 10, bytes(range(128, 256)) * 4])
def test_decode_text_refuses_binary(data):
    with pytest.raises(UnreadableText):
        decode_text(data)

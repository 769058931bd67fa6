"""Acceptance (issue 2): the seed bar must hold when the seeds' tables are re-emitted.

Each variant kind writes all five seeds, transformed by `tests/variants.py` (an oracle that
does not use the extractor's reader), as `<stem>__<kind>.<ext>`; the scorer ties them back
to the gold answers by the stem before "__". The unit tests below check the transforms on
tiny inputs of our own, so a broken transform cannot make a variant test pass vacuously.
"""
import codecs
import re
from html.parser import HTMLParser

import pytest

from .conftest import GOLD, SEEDS, needs_shared, score_dataset
from .variants import (add_page_noise, crlf_bom, markdown_to_tsv, swap_digits, to_html_tables,
                       tsv_to_markdown)

THAI = re.compile("[๐-๙]")
ARABIC = re.compile("[0-9]")


def _lines(text):
    return text.split("\n")


def _combined(text):
    return crlf_bom(swap_digits(add_page_noise(to_html_tables(text))))


# kind: (transform, file extension, check that the transform really did its job on a seed)
KINDS = {
    "markdown": (tsv_to_markdown, "md", lambda src, out: "\t" not in out),
    "tsv": (markdown_to_tsv, "txt",
            lambda src, out: not any(l.lstrip().startswith("|") for l in _lines(out))),
    "html": (to_html_tables, "html", lambda src, out: "<table>" in out and "\t" not in out
             and not any(l.lstrip().startswith("|") for l in _lines(out))),
    "digits": (swap_digits, "txt", lambda src, out: out != src
               and len(THAI.findall(out)) == len(ARABIC.findall(src))),
    "crlf_bom": (crlf_bom, "txt", lambda src, out: out.startswith(codecs.BOM_UTF8)
                 and out.count(b"\r\n") == src.count("\n")),
    "noise": (add_page_noise, "txt", lambda src, out: len(_lines(out)) > len(_lines(src))),
    "combined": (_combined, "html", lambda src, out: out.startswith(codecs.BOM_UTF8)
                 and b"<table>" in out and b"\r\n" in out and b"<!-- page" in out),
}


@needs_shared
@pytest.mark.parametrize("kind", list(KINDS))
def test_seed_variants_meet_the_measure_and_field_bar(kind, tmp_path):
    transform, ext, did_its_job = KINDS[kind]
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        src = seed.read_text(encoding="utf-8")
        out = transform(src)
        assert did_its_job(src, out), f"{kind} transform did not apply to {seed.name}"
        target = folder / f"{seed.stem}__{kind}.{ext}"
        if isinstance(out, bytes):
            target.write_bytes(out)
        else:
            target.write_text(out, encoding="utf-8", newline="")

    from extractor.batch.ingest import ingest  # imported here: the transforms are checked first

    summary = ingest([folder], tmp_path / "ds")
    assert summary.files_seen == len(seeds)
    assert summary.failed == 0, summary.quarantined
    score = score_dataset(GOLD, tmp_path / "ds")
    print(f"\n[variant {kind}] {score}")
    assert score["measure_f1"] >= 0.95, (kind, score)
    assert score["field_acc"] >= 0.90, (kind, score)


# ---- the transforms on tiny inputs (no ../shared needed) ------------------------------

TSV = "หัวเรื่อง ๒๕๖๖\n\nมาตรการ\tผล\n<p>๑. ประกาศ</p>\ta|b\n\tต่อ\n\nท้าย\n"
MD = "หัวเรื่อง\n\n| ลำดับ | มาตรการ |\n|---|:--:|\n| 1 | ก \\| ข |\n\nท้าย\n"
TWO_ROW = ("ชื่อ\tวิธี\tสถานะ\t\t\n\t\tยังไม่\tอยู่ระหว่าง\tแล้ว\n"
           "๑. ก\tข\t-\t-\t✓\n")


class _Grid(HTMLParser):
    """Minimal independent HTML table reader: rows of (tag, attrs, text)."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = [tag, dict(attrs), ""]
            self.tables[-1][-1].append(self.cell)
        elif self.cell is not None:
            self.cell[2] += self.get_starttag_text()

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None
        elif self.cell is not None:
            self.cell[2] += f"</{tag}>"

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


def _grid(html):
    p = _Grid()
    p.feed(html)
    return p.tables


def test_tsv_to_markdown_writes_pipe_rows_with_one_rule_and_no_tabs():
    out = tsv_to_markdown(TSV)
    assert "\t" not in out
    assert _lines(out) == ["หัวเรื่อง ๒๕๖๖", "", "| มาตรการ | ผล |", "|---|---|",
                           "| <p>๑. ประกาศ</p> | a\\|b |", "|  | ต่อ |", "", "ท้าย", ""]


def test_tsv_dash_rows_are_dropped_not_turned_into_a_second_rule():
    assert _lines(tsv_to_markdown("ก\tข\n--\t---\nค\tง")) == ["| ก | ข |", "|---|---|", "| ค | ง |"]


def test_markdown_to_tsv_drops_rules_and_unescapes_pipes():
    assert _lines(markdown_to_tsv(MD)) == ["หัวเรื่อง", "", "ลำดับ\tมาตรการ", "1\tก | ข", "", "ท้าย", ""]


def test_tsv_markdown_round_trip_is_lossless():
    assert markdown_to_tsv(tsv_to_markdown(TSV)) == TSV
    assert tsv_to_markdown(markdown_to_tsv(MD)) == MD.replace("|:--:|", "|---|")


def test_html_tables_from_tsv_and_markdown_keep_text_and_cell_markup():
    out = to_html_tables(TSV + "\n" + MD)
    assert "\t" not in out and not any(l.startswith("|") for l in _lines(out))
    assert out.count("<table>") == 2 and out.count("</table>") == 2
    assert all(l.count("<tr>") <= 1 for l in _lines(out))
    assert "หัวเรื่อง ๒๕๖๖" in _lines(out) and "ท้าย" in _lines(out)
    t1, t2 = _grid(out)
    assert [[(tag, text) for tag, _, text in r] for r in t1] == [
        [("th", "มาตรการ"), ("th", "ผล")],
        [("td", "<p>๑. ประกาศ</p>"), ("td", "a|b")],
        [("td", ""), ("td", "ต่อ")]]
    assert [[text for _, _, text in r] for r in t2] == [["ลำดับ", "มาตรการ"], ["1", "ก | ข"]]


def test_html_two_row_status_header_gets_colspan_and_rowspan():
    (table,) = _grid(to_html_tables(TWO_ROW))
    head1, head2, body = table
    assert [(t, a, x) for t, a, x in head1] == [
        ("th", {"rowspan": "2"}, "ชื่อ"), ("th", {"rowspan": "2"}, "วิธี"),
        ("th", {"colspan": "3"}, "สถานะ")]
    assert [(t, x) for t, _, x in head2] == [("th", "ยังไม่"), ("th", "อยู่ระหว่าง"), ("th", "แล้ว")]
    assert [x for _, _, x in body] == ["๑. ก", "ข", "-", "-", "✓"]


def test_html_spans_only_where_the_second_row_fills_the_group():
    # second row is data (its first cell is filled): no spans, plain header + rows
    out = to_html_tables("ก\tข\t\nค\tง\tจ\n")
    assert "colspan" not in out and "rowspan" not in out
    assert [[x for _, _, x in r] for r in _grid(out)[0]] == [["ก", "ข", ""], ["ค", "ง", "จ"]]


def test_swap_digits_swaps_text_digits_both_ways_but_not_markup():
    src = 'ปี ๒๕๖๖ คะแนน 97.44 <td colspan="3" rowspan="2">๑ ต.ค.๖๕</td> <!-- page 5 -->'
    out = swap_digits(src)
    assert out == 'ปี 2566 คะแนน ๙๗.๔๔ <td colspan="3" rowspan="2">1 ต.ค.65</td> <!-- page 5 -->'
    assert swap_digits(out) == src
    assert swap_digits("ไม่มีตัวเลข") == "ไม่มีตัวเลข"


def test_crlf_bom_encodes_with_bom_and_crlf_only():
    out = crlf_bom("ก\nข\r\nค\n")
    assert out == codecs.BOM_UTF8 + "ก\r\nข\r\nค\r\n".encode("utf-8")
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_page_noise_goes_at_the_blank_line_after_each_table_with_rising_pages():
    src = "หัว\n\nก\tข\n\n| a | b |\n|---|---|\n\nข้อความ\n\n<table>\n<tr><td>1</td></tr>\n</table>\n\nท้าย"
    out = add_page_noise(src)
    noise = [l for l in _lines(out) if l not in _lines(src)]
    assert noise == ["- 2 -", "หน้า 3", "Page 4 of 4"]
    assert [l for l in _lines(out) if l.strip()] == ["หัว", "ก\tข", "- 2 -", "| a | b |", "|---|---|",
                                                     "หน้า 3", "ข้อความ", "<table>",
                                                     "<tr><td>1</td></tr>", "</table>",
                                                     "Page 4 of 4", "ท้าย"]
    many = add_page_noise("\n\n".join(f"ก{i}\tข" for i in range(6)))
    assert "\f" in _lines(many) and "<!-- page 6 -->" in _lines(many)
    assert add_page_noise("ก\tข") == "ก\tข"  # a table ending the text gets none

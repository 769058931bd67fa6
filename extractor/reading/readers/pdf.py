"""Read PDF reports into a `Document`: text from pdfium, tables by pdfplumber's finder.

pdfminer (under pdfplumber) reads Thai from common fonts wrongly — "(cid:N)", marks out
of order, sara am split — while pdfium returns each character as the font maps it, and
fast. So each page's characters and their boxes come from pdfium, and pdfplumber's table
finder builds the ruled tables from the page's rules (`pdf_rules.py`).
Private-use glyphs that survive are mapped back (`normalizers.pdftext`). A page with no
text layer, or one that still looks broken, goes to OCR (`ocr.py`) when tesseract is
there. The rest — lines, cells, tables without rules, reading order — is `page.py`
(with `positioned.py` and `unruled.py`), shared with OCR.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable

import numpy as np

from normalizers.pdftext import plausible_years, repair_ocr_years, repair_pdf_text

from extractor.model import Document, Line, PageSource, Table
from extractor.notes import Note
from .encoding import UnreadableText
from .fontmap import Fonts
from .glyphs import Glyphs, LayerStats, page_glyphs
from .ocr_policy import OcrOptions, OcrQueue, PagePlan, is_scan_image, plan_page
from .pdf_rules import page_edges, ruled_grids
from .page import Flow, page_blocks
from .positioned import LineCounter, Piece
from .text import is_page_break
from .text_layer import Verdict, judge_text_layer
from .unruled_carry import append_rest, join_rest

OCR_TIMEOUT_S = float(os.environ.get("ITA_OCR_TIMEOUT", "300"))  # per file

PageCallback = Callable[[int, int], None]  # (page number, pages in the file)


def read_pdf(path: str | Path, ocr: OcrOptions | str | bool = True,
             on_page: PageCallback | None = None) -> Document:
    """Read a PDF report. Raises `UnreadableText` with the reason when it can't be read.

    `ocr`: the OCR policy (`ocr_policy.OcrOptions`, or a mode: auto|never|force; True is
    auto, False never). `on_page(i, n)` is called as page i of n is started."""
    import pypdfium2 as pdfium

    path = Path(path)
    options = OcrOptions.of(ocr)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnreadableText(_diagnose(path, str(exc))) from None
    doc = Document(path.name, "pdf", [], pages=len(pdf))
    fonts = Fonts()  # embedded fonts resolved once per file
    # page index → (plan, glyphs, verdict, rules), each page loaded once: pdfium parses a
    # page's content on loading it, as much work as reading its characters
    plans: dict[int, tuple] = {}

    def plan_at(i: int) -> PagePlan:
        if i not in plans:
            page = pdf[i]
            try:
                show = _to_display(page)
                glyphs, stats, verdict = read_text_layer(page, show, fonts)
                has_text = len(glyphs) > 0
                # an invisible layer over one picture filling the page: a scan OCR'd before
                scan = has_text and stats.invisible and is_scan_image(page)
                plan = plan_page(has_text, has_text and verdict.ok, scan, options.mode)
                if has_text and not verdict.ok and plan.method != "text":
                    plan = PagePlan(plan.method, plan.reason.replace(
                        "its text layer looks broken", f"its text layer looks broken: {verdict.reason}"))
                elif plan.method == "text" and not plan.scan_layer and verdict.reason:
                    plan = PagePlan("text", verdict.reason)  # what reading it took
                rules = None
                if plan.method == "text" and not plan.scan_layer:
                    # (size as displayed: rotation applied)
                    rules = (page_edges(page, show), page.get_size())
                plans[i] = (plan, glyphs, verdict, rules)
            finally:
                page.close()
        return plans[i][0]

    deadline = time.monotonic() + OCR_TIMEOUT_S

    def start(i: int):
        from .ocr import OcrJob, scan_page, start_ocr
        if deadline - time.monotonic() < 2:
            return OcrJob(notes=[Note("page_not_read", "OCR time limit for this file reached: page not read")])
        page = pdf[i]
        try:
            return start_ocr(scan_page(page, i + 1), deadline)
        finally:
            page.close()

    queue = OcrQueue(len(pdf), options.pages_at_once, plan_at, start)
    try:
        if len(pdf) == 0:
            raise UnreadableText("PDF has no pages")
        counter = LineCounter()
        split_row: Table | None = None  # a table whose last row may run on to the next page
        cut = False  # … and its bottom is open: the row was cut by the page break
        ocr_blocks: list[Line | Table] = []
        flow = Flow()  # a paragraph running on over the page break
        repaired: dict[str, str] = {}  # text as read → repaired (`_repaired`)
        for i in range(len(pdf)):
            if on_page is not None:
                on_page(i + 1, len(pdf))
            plan = plan_at(i)
            _, glyphs, verdict, rules = plans[i]
            plans[i] = (plan, None, None, None)  # keep the plan, not the characters
            if plan.method == "text" and not plan.scan_layer:
                edges, (width, height) = rules
                grids, open_ys = ruled_grids(edges, width, height)
                glyphs = _without_unmapped(glyphs, i + 1, doc.notes)
                if verdict.repairs:
                    doc.notes.append(Note("text_repaired", "; ".join(verdict.repairs), i + 1))
                blocks = _repaired(page_blocks(glyphs, grids, i + 1, counter,
                                               drop_line=is_page_break, flow=flow), repaired)
                if glyphs.ocr:  # an OCR layer read as text: its years as OCR's
                    ocr_blocks.extend(blocks)
                skew = None
            elif plan.method == "none":
                split_row, flow = None, Flow()
                if len(glyphs or ()):
                    doc.notes.append(Note("text_layer_broken", plan.reason, i + 1))
                doc.notes.append(Note("page_not_read", f"{plan.reason}; not read", i + 1))
                doc.page_sources.append(PageSource(i + 1, "none", plan.reason))
                continue
            else:  # a scan: read by OCR now, or its text layer OCR'd before
                from .ocr import collect_words, read_scan, scan_page
                flow = Flow()
                if plan.method == "ocr" and len(glyphs or ()) and not verdict.ok:
                    doc.notes.append(Note("text_layer_broken", plan.reason, i + 1))
                if plan.scan_layer:
                    page = pdf[i]
                    try:
                        scan = scan_page(page, i + 1)
                    finally:
                        page.close()
                    words, notes = _layer_pieces(glyphs), []
                else:
                    job = queue.job(i)
                    scan = job.scan
                    words, notes = collect_words(job, deadline)
                doc.notes.extend(Note(n.kind, n.message, i + 1) for n in notes)
                if words is None:
                    split_row = None
                    doc.page_sources.append(PageSource(i + 1, "none", plan.reason))
                    continue
                blocks, notes = read_scan(scan, words, counter, plan.scan_layer, deadline)
                doc.notes.extend(notes)
                blocks = _repaired(blocks, repaired)
                open_ys, skew = scan.cuts, scan.skew
                if plan.method == "ocr":
                    doc.notes.append(Note("page_ocr", f"{plan.reason}; read by OCR", i + 1))
                    doc.ocr_used = True
                ocr_blocks.extend(blocks)
            if split_row is not None and flow.rest is not None:
                join_rest(split_row, blocks, flow.rest)  # (told by the columns: unruled_carry)
            elif split_row is not None:
                _rejoin_split_row(split_row, blocks, cut)
            split_row, cut = _ends_open(blocks, open_ys), True
            if split_row is None and blocks and isinstance(blocks[-1], Table):
                split_row, cut = blocks[-1], False  # may go on: the next page tells
            elif split_row is None and flow.ends is not None:
                split_row, cut = flow.ends, False  # (a header label left out of it after it)
            doc.blocks.extend(blocks)
            doc.page_sources.append(PageSource(i + 1, plan.method, plan.reason, skew))
    finally:
        queue.close()  # started ahead but never collected (an error above)
        pdf.close()
    if ocr_blocks:
        doc.notes.extend(_repair_years(doc.blocks, ocr_blocks))
    return doc


def _texts(block: Line | Table):
    """(text, setter, page, line) for each text of a block."""
    if isinstance(block, Line):
        yield block.raw, lambda t, b=block: setattr(b, "raw", t), block.page, block.line
    else:
        for row in block.rows:
            for c in row:
                if c.raw and not c.spanned:
                    yield c.raw, lambda t, c=c: setattr(c, "raw", t), c.page, c.line


def _repair_years(blocks: list[Line | Table], ocr_blocks: list[Line | Table]) -> list[Note]:
    """OCR misreads Thai ๖ (๒๕๖๖ → ๒๕๒๒๐): put years back where the document's other
    years make the reading unambiguous, and say so in a warning each time."""
    known: set[int] = set()
    for b in blocks:
        for text, _, _, _ in _texts(b):
            known |= plausible_years(text)
    if not known:  # every year misread: go by the ones a misreading can only be
        for b in blocks:
            for text, _, _, _ in _texts(b):
                known |= plausible_years(text, decode=True)
    warnings = []
    for b in ocr_blocks:
        for text, put, page, line in list(_texts(b)):
            new, notes = repair_ocr_years(text, known)
            if notes:
                put(new)
                warnings.extend(Note("ocr_year_repaired", n, page, line) for n in notes)
    return warnings


def _diagnose(path: Path, pdfium_error: str) -> str:
    """Say why pdfium could not open the file, in words an analyst can act on."""
    with path.open("rb") as f:
        head = f.read(1024)
    if "password" in pdfium_error.lower():
        return "encrypted PDF: a password is needed to open it"
    if b"%PDF-" not in head:
        return "not a PDF: the file does not start with %PDF-"
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 2048))
        tail = f.read()
    if b"%%EOF" not in tail:
        return "truncated PDF: the file ends before its %%EOF marker"
    try:
        import pdfplumber
        with pdfplumber.open(str(path)) as pl:
            if len(pl.pages) == 0:
                return "PDF has no pages"
    except Exception:  # pdfminer fails too: report pdfium's reason
        pass
    return f"damaged PDF: {pdfium_error}"


def _to_display(page) -> callable:
    """A function mapping a PDF user-space box to the displayed page (top-left origin),
    taking /Rotate into account, as pdfplumber's coordinates do."""
    mx0, my0, mx1, my1 = page.get_mediabox()
    rot = page.get_rotation() % 360

    def f(l: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
        if rot == 90:
            return b - my0, l - mx0, t - my0, r - mx0
        if rot == 180:
            return mx1 - r, b - my0, mx1 - l, t - my0
        if rot == 270:
            return my1 - t, mx1 - r, my1 - b, mx1 - l
        return l - mx0, my1 - t, r - mx0, my1 - b
    return f


def read_text_layer(page, to_display, fonts: Fonts | None = None
                    ) -> tuple[Glyphs, LayerStats, Verdict]:
    """A page's glyphs, what reading them met, and the verdict on them
    (`text_layer.judge_text_layer`): the one judgement of a text layer, which the OCR
    policy also goes by."""
    glyphs, stats = page_glyphs(page, to_display, fonts)
    return glyphs, stats, judge_text_layer(stats.text, stats)


def _without_unmapped(glyphs: Glyphs, page: int, notes: list[Note]) -> Glyphs:
    """Letters nobody could map (a few, on a page judged readable) leave the text, with a
    note: U+FFFD never reaches the dataset."""
    joined = glyphs.joined  # (searched first: one search, not a comparison per unit)
    if (joined is not None and "\ufffd" not in joined) or "\ufffd" not in glyphs.text:
        return glyphs
    bad = np.fromiter((t == "\ufffd" for t in glyphs.text), bool, len(glyphs))
    notes.append(Note("glyphs_unmapped", f"{int(bad.sum())} glyphs with no Unicode mapping "
                      "were left out of the text", page))
    return glyphs.select(~bad)


def _layer_pieces(glyphs: Glyphs) -> list[Piece]:
    """A scan's invisible OCR layer as the scan reader takes words: its characters with
    their boxes, in stream order."""
    return [Piece(t, float(x0), float(top), float(x1), float(bottom), int(o))
            for t, x0, top, x1, bottom, o in zip(glyphs.text, glyphs.x0, glyphs.top, glyphs.x1,
                                                  glyphs.bottom, glyphs.order)
            if not t.isspace() and t != "\ufffd"]


def _ends_open(blocks: list[Line | Table], open_ys: list[float]) -> Table | None:
    """The page's last table, when its bottom is an open end: its last row was cut by
    the page break (no rule drawn under it) and goes on at the top of the next page."""
    if not open_ys or not blocks or not isinstance(blocks[-1], Table):
        return None
    table = blocks[-1]
    bottom = max((c.bbox[3] for c in table.rows[-1] if c.bbox), default=None)
    if bottom is None or not any(abs(bottom - y) <= 1.5 for y in open_ys):
        return None
    return table


def _rejoin_split_row(prev: Table, blocks: list[Line | Table], cut: bool = True) -> None:
    """Append the rest of a row broken by a page break (the first row under the repeated
    header of the next page's first table) to the row it belongs to, cell by cell.
    Only geometry shows such a break when the key cell runs on too: the row's bottom
    left open (`cut`), or — unruled tables, engines that close the cell at the page
    foot — a table that ends its page and goes on at the top of the next, where the
    first row does not start as the table's rows start (a row number, an indicator, a
    dash) while the row it follows does."""
    table = next((b for b in blocks if isinstance(b, Table)), None)
    if table is None or table.n_cols != prev.n_cols or (not cut and blocks[0] is not table):
        return
    from ..layout import is_header_row
    k = 0
    while k < len(table.rows) - 1 and (k < len(prev.rows) and _same_row(table.rows[k], prev.rows[k])
                                       or k == 0 and is_header_row(table.rows[k])):
        k += 1  # the header printed again (over a table that went on without it)
    last, piece = prev.rows[-1], table.rows[k]
    if len(piece) > 1 and all(c.spanned for c in piece[1:]):
        return  # one cell across the table: a group heading, not the rest of a row
    # An empty first cell under a key cell (a new row under the same key, as a rowspan
    # leaves it) is tables.py's to judge; under a row-number column, where every row
    # has its number, it is the rest of the row.
    told = (_marked(prev, last) and _marker(piece) is None and not is_header_row(piece)
            and (piece[0].raw.strip() or _SEQ_ONLY.match(last[0].raw)))
    if not told and (not cut or (k == 0 and len(prev.rows) > 1)):
        return  # (an open end and no repeated header: cannot tell the rest from a new row)
    append_rest(prev, table, k, blocks)


_SEQ_ONLY = re.compile(r"^\s*[0-9๐-๙]{1,3}\s*[.)]?\s*$")


_DASH = re.compile(r"^\s*[-–•●*]")


def _marker(row: list) -> str | None:
    """How a row's first cell starts: a row number ("3", "๒.", "1)"), an indicator
    ("ตัวชี้วัดที่ 2"), a dash or bullet — or nothing of the kind (None)."""
    from .positioned import ITEM_START
    first = row[0].raw if row else ""
    if _SEQ_ONLY.match(first) or (ITEM_START.match(first) and not first.lstrip().startswith("ตัวชี้วัด")):
        return "number"
    if ITEM_START.match(first):
        return "indicator"
    return "dash" if _DASH.match(first) else None


def _marked(table: Table, row: list) -> bool:
    """Whether `row` starts with the marker its table's rows start with (most rows with
    a first cell: the table's own way of starting a row)."""
    kind = _marker(row)
    if kind is None:
        return False
    kinds = [_marker(r) for r in table.rows if r and r[0].raw.strip() and not r[0].spanned]
    return kinds.count(kind) * 2 > len(kinds) - 1  # (a header row leads without a marker)


def _same_row(a: list, b: list) -> bool:
    from rapidfuzz.fuzz import ratio
    ta, tb = " ".join(c.raw for c in a), " ".join(c.raw for c in b)
    return bool(ta.strip()) and ratio(ta, tb) >= 80


def _repaired(blocks: list[Line | Table], seen: dict[str, str] | None = None
              ) -> list[Line | Table]:
    """`repair_pdf_text` of every text of `blocks`; `seen`: texts repaired before in the
    document (a third of a report's texts repeat: headers, labels, "-")."""
    seen = {} if seen is None else seen

    def repair(text: str) -> str:
        if text not in seen:
            seen[text] = repair_pdf_text(text)
        return seen[text]

    for b in blocks:
        if isinstance(b, Line):
            b.raw = repair(b.raw)
        else:
            for row in b.rows:
                for c in row:
                    c.raw = repair(c.raw)
    return blocks

"""Read PDF reports into a `Document`: geometry from pdfplumber, text from pdfium.

pdfminer (under pdfplumber) reads Thai from common fonts wrongly — "(cid:N)", marks out
of order, sara am split — while pdfium returns each character as the font maps it, and
fast. So each page's characters and their boxes come from pdfium, and pdfplumber only
finds the ruled tables (its edge and intersection logic) on pages that draw lines at all.
Private-use glyphs that survive are mapped back (`normalizers.pdftext`). A page with no
text layer, or one that still looks broken, goes to OCR (`ocr.py`) when tesseract is
there. The rest — lines, cells, tables without rules — is `positioned.py`, shared with OCR.
"""
from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path

from normalizers.pdftext import looks_broken, map_pua, repair_pdf_text

from ..model import Document, Line, Table
from .encoding import UnreadableText
from .positioned import Grid, LineCounter, Piece, page_blocks
from .text import is_page_break

OCR_TIMEOUT_S = float(os.environ.get("ITA_OCR_TIMEOUT", "300"))  # per file


def read_pdf(path: str | Path, ocr: bool = True) -> Document:
    """Read a PDF report. Raises `UnreadableText` with the reason when it can't be read."""
    import pypdfium2 as pdfium

    path = Path(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnreadableText(_diagnose(path, str(exc))) from None
    plumber = None
    doc = Document(path.name, "pdf", [], pages=len(pdf))
    try:
        if len(pdf) == 0:
            raise UnreadableText("PDF has no pages")
        counter = LineCounter()
        deadline = time.monotonic() + OCR_TIMEOUT_S
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                pieces, probe, has_paths = _page_pieces(page)
                broken = looks_broken(map_pua(probe))  # mapped PUA is repairable, not broken
                if pieces and not broken:
                    grids: list[Grid] = []
                    if has_paths:
                        if plumber is None:
                            import pdfplumber
                            plumber = pdfplumber.open(str(path))
                        grids = _ruled_grids(plumber.pages[i])
                    blocks = page_blocks(pieces, grids, i + 1, counter, drop_line=is_page_break)
                    doc.blocks.extend(_repaired(blocks))
                    continue
                why = "its text layer looks broken" if broken else "it has no text layer"
                if not ocr:
                    doc.warnings.append(f"page {i + 1}: {why}; not read (OCR off)")
                    continue
                from .ocr import ocr_page
                blocks, warnings = ocr_page(page, i + 1, counter, deadline)
                doc.warnings.extend(f"page {i + 1}: {w}" for w in warnings)
                doc.warnings.append(f"page {i + 1}: {why}; read by OCR")
                doc.blocks.extend(_repaired(blocks))
                doc.ocr_used = True
            finally:
                page.close()
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    return doc


def _diagnose(path: Path, pdfium_error: str) -> str:
    """Say why pdfium could not open the file, in words an analyst can act on."""
    head = path.read_bytes()[:1024] if path.is_file() else b""
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


def _page_pieces(page) -> tuple[list[Piece], str, bool]:
    """pdfium's characters with display boxes, the page text as a breakage probe (glyphs
    pdfium could not map show as U+FFFD), and whether the page draws any paths."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()
    try:
        n = raw.FPDFText_CountChars(tp)
        rect = raw.FS_RECTF()
        rp = ctypes.byref(rect)
        to_display = _to_display(page)
        pieces: list[Piece] = []
        probe: list[str] = []
        for i in range(n):
            u = raw.FPDFText_GetUnicode(tp, i)
            if raw.FPDFText_IsGenerated(tp, i) == 1 or u in (10, 13, 0xFFFE, 0xFEFF):
                continue
            ch = "\ufffd" if raw.FPDFText_HasUnicodeMapError(tp, i) == 1 else chr(u)
            probe.append(ch)
            if not raw.FPDFText_GetLooseCharBox(tp, i, rp):
                continue
            x0, top, x1, bottom = to_display(rect.left, rect.bottom, rect.right, rect.top)
            pieces.append(Piece(ch, x0, top, x1, bottom, i))
    finally:
        tp.close()
    has_paths = False
    drawn = (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM)  # a form XObject may hold rules
    for k in range(raw.FPDFPage_CountObjects(page)):
        if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page, k)) in drawn:
            has_paths = True
            break
    return pieces, "".join(probe), has_paths


def _ruled_grids(plpage) -> list[Grid]:
    """Ruled tables on one page from pdfplumber's line/rect edges; cell boxes only."""
    try:
        tables = plpage.find_tables()
        grids = []
        for t in tables:
            rows = [list(r.cells) for r in t.rows]
            n_cols = max((len(r) for r in rows), default=0)
            if n_cols >= 2 and len(rows) >= 1:  # a lone framed box is not a table
                grids.append(Grid(rows))
        return grids
    finally:
        plpage.close()  # drop pdfplumber's per-page object cache: memory stays flat


def _repaired(blocks: list[Line | Table]) -> list[Line | Table]:
    for b in blocks:
        if isinstance(b, Line):
            b.text = repair_pdf_text(b.text)
        else:
            for row in b.rows:
                for c in row:
                    c.raw = repair_pdf_text(c.raw)
    return blocks

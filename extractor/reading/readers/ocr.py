"""Scanned pages: the image gives the table grid and the marks, tesseract's Thai model
(or a text layer OCR'd before, as ocrmypdf leaves it) gives the words.

A page is first made straight (`deskew.py`: office scans are turned by up to a degree,
enough to break every rule into a staircase), then its rules are found in the pixels
(`scan_rules.py`) and pdfplumber's table finder turns them into cells, as it does for
born-digital pages. The rules are painted out, so that tesseract reads cell text rather
than tripping over borders, and its words go to cells by position through the same
`positioned.py` as PDF characters. Tesseract has no tick or checkbox glyphs and reads Thai
digits badly: ticks and boxes are found in the image (`marks.py`), Thai digits read again
from their pixels (`thai_digits.py`). Tesseract's Thai is rough — letter-spacing, ำ as
ํ + า — the normalizers and the table logic downstream deal with that; this module says
what it could not read.

Every position is in PDF points of the straightened page, so cells keep page and bbox.
One tesseract process per page, single-threaded (OpenMP threads cost more than they give
on small machines), several pages at once (`ocr_policy.py` decides how many), all bounded
by the file's OCR deadline.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from extractor.model import Line, Table
from extractor.notes import Note
from .deskew import estimate_skew, rotate_point, straighten
from .marks import Mark, find_marks, snap_box_labels
from .ocr_lexicon import snap_phrases
from .ocr_words import follows_letter, ink_span, join_letters, on_edge, tesseract_words
from .page import page_blocks
from .positioned import Grid, LineCounter, Piece
from .scan_rules import find_grids, grow, ink_threshold
from .text import is_page_break

OCR_DPI = int(os.environ.get("ITA_OCR_DPI", "200"))
# tha+eng: the Latin words that matter (IIT, OIT, O10) come out right; the Thai
# abbreviations it takes for English ("ต.ค." as "AA.") are read again with tha, and Latin
# words it took for Thai with eng (`ocr_latin.py`). ITA_OCR_LANG=tha reads Thai alone.
OCR_LANG = os.environ.get("ITA_OCR_LANG", "tha+eng")
OCR_PSM = os.environ.get("ITA_OCR_PSM")  # tesseract's page segmentation; default: by page
LOW_CONFIDENCE = 60.0
OCR_MARKS = os.environ.get("ITA_OCR_MARKS", "1") != "0"  # 0: no ticks/boxes from pixels
OCR_DIGITS = os.environ.get("ITA_OCR_DIGITS", "1") != "0"  # 0: Thai digits as tesseract reads them
OCR_CELLS = os.environ.get("ITA_OCR_CELLS", "1") != "0"  # 0: header and period cells as the page read them


@functools.cache
def tesseract_langs() -> frozenset[str]:
    """Languages the installed tesseract has (empty when there is no tesseract)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    return frozenset(l.strip() for l in out.stdout.splitlines()[1:] if l.strip())


@dataclass
class ScanPage:
    """A page image made ready for reading: straight, its grid and marks found, the rules
    and marks painted out of `pixels`. Sizes and positions in points unless named."""

    page_no: int
    scale: float  # pixels per point
    skew: float  # degrees the scan was turned (counter-clockwise positive); undone here
    pixels: np.ndarray
    ink: np.ndarray  # pixels that are ink (rules and marks painted out)
    grids: list[Grid] = field(default_factory=list)
    cuts: list[float] = field(default_factory=list)  # y of table bottoms cut by the page break
    marks: list[Mark] = field(default_factory=list)

    @property
    def size(self) -> tuple[float, float]:
        return self.pixels.shape[1] / self.scale, self.pixels.shape[0] / self.scale

    def straighten_piece(self, p: Piece) -> Piece:
        """A piece placed on the scan as it was (a text layer OCR'd before, by ocrmypdf)
        moved to where it lies on the straightened page."""
        if not self.skew:
            return p
        w, h = self.size
        cx, cy = rotate_point(p.cx, p.cy, self.skew, w / 2, h / 2)
        dx, dy = cx - p.cx, cy - p.cy
        return Piece(p.text, p.x0 + dx, p.top + dy, p.x1 + dx, p.bottom + dy, p.order)


def scan_page(page, page_no: int, dpi: int = OCR_DPI) -> ScanPage:
    """Render a pdfium page and prepare it: straightened, grid, cut bottoms, marks."""
    scale = dpi / 72
    pixels = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    return prepare(pixels, scale, page_no)


def prepare(pixels: np.ndarray, scale: float, page_no: int = 1) -> ScanPage:
    """`pixels` (grey) of a scanned page made ready for reading (see `ScanPage`)."""
    skew = estimate_skew(pixels < ink_threshold(pixels))
    pixels = straighten(pixels, skew)
    threshold = ink_threshold(pixels)
    dark = pixels < threshold
    grids, cuts, horiz, vert = find_grids(dark, scale, pixels)
    # Paint the rules out (a pixel's worth around them too): borders make tesseract
    # split or drop the text beside them. Ticks and checkboxes are read from the
    # pixels, then painted out too: tesseract would read them as ” / v or a letter.
    rules = grow(horiz | vert, 2)
    marks = find_marks(dark & ~rules, vert, scale) if OCR_MARKS else []
    clean = pixels.copy()
    clean[rules] = 255
    for m in marks:
        x0, top, x1, bottom = m.box
        clean[max(top - 2, 0):bottom + 2, max(x0 - 2, 0):x1 + 2] = 255
    return ScanPage(page_no, scale, skew if abs(skew) >= 0.05 else 0.0, clean, clean < threshold,
                    grids, cuts, marks)


@dataclass
class OcrJob:
    """Tesseract running on one page (or that could not be started: `proc` None)."""

    scan: ScanPage | None = None
    proc: subprocess.Popen | None = None
    notes: list[Note] = field(default_factory=list)
    workdir: tempfile.TemporaryDirectory | None = None
    started: float = 0.0

    def cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None


def start_ocr(scan: ScanPage, deadline: float) -> OcrJob:
    """Start tesseract on a prepared page without waiting for it. Never raises."""
    langs = tesseract_langs()
    if "tha" not in langs:
        return OcrJob(scan, notes=[Note("page_not_read", "tesseract with its Thai model "
                                        "(tesseract-ocr-tha) is not installed: page not read")])
    if deadline - time.monotonic() < 2:
        return OcrJob(scan, notes=[Note("page_not_read",
                                        "OCR time limit for this file reached: page not read")])
    lang = "+".join(l for l in OCR_LANG.split("+") if l in langs) or "tha"
    # One block of lines (psm 6): its words go to cells by position. Sparse text (psm 11)
    # keeps the columns of unruled tables apart better but reads Thai worse, misses lone
    # digits (row numbers), and gives the blocks of one line different line boxes.
    psm = OCR_PSM or "6"
    workdir = tempfile.TemporaryDirectory(prefix="ita-ocr-")
    image = Path(workdir.name) / "page.pgm"  # uncompressed: written and read in no time
    from PIL import Image
    Image.fromarray(scan.pixels).save(image)
    try:  # output to a file, not a pipe: a full pipe would stall tesseract until collected
        proc = subprocess.Popen(
            [shutil.which("tesseract") or "tesseract", str(image), str(image.with_suffix("")),
             "-l", lang, "--psm", psm, "--dpi", str(round(scan.scale * 72)), "tsv"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=dict(os.environ, OMP_THREAD_LIMIT="1"))  # one core each: pages in parallel
    except OSError as exc:
        workdir.cleanup()
        return OcrJob(scan, notes=[Note("page_not_read", f"tesseract failed: {exc}")])
    return OcrJob(scan, proc, [], workdir, time.monotonic())


def collect_words(job: OcrJob, deadline: float) -> tuple[list[Piece] | None, list[Note]]:
    """Wait for a job's tesseract; its words as pieces in points, or None when it could
    not read the page (the notes say why)."""
    if job.proc is None:
        return None, list(job.notes)
    try:
        try:
            _, err = job.proc.communicate(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            job.cancel()
            return None, [Note("page_not_read",
                               "OCR time limit for this file reached while reading: page not read")]
        tsv = Path(job.workdir.name) / "page.tsv"
        if job.proc.returncode != 0 or not tsv.is_file():
            return None, [Note("page_not_read", "tesseract failed: "
                               + err.decode("utf-8", "replace").strip()[:200])]
        words = tesseract_words(tsv.read_text("utf-8", "replace"))
    finally:
        job.cancel()
    notes = []
    if words:
        low = sum(1 for w in words if w[5] < LOW_CONFIDENCE)
        mean = sum(w[5] for w in words) / len(words)
        if low / len(words) > 0.3:
            notes.append(Note("ocr_low_confidence",
                              f"OCR confidence low (mean {mean:.0f}, {low} of {len(words)} "
                              f"words under {LOW_CONFIDENCE:.0f}): check the values read"))
    else:
        notes.append(Note("ocr_no_text", "OCR found no text"))
    s = job.scan.scale
    ink = job.scan.ink
    # Pieces keep tesseract's reading order. Its Thai "words" are often single letters:
    # spaces go where the gap between them is a space wide (as for PDF characters).
    pieces: list[Piece] = []
    for k, (text, x0, top, x1, bottom, _) in enumerate(words):
        span = ink_span(ink, x0, top, x1, bottom)
        nxt = words[k + 1] if k + 1 < len(words) else None
        if span is None and nxt is not None and nxt[2] == top and follows_letter(text, nxt[0]):
            # a letter whose box tesseract misplaced, the next word its vowel ("ส" + "ำนัก"):
            nspan = ink_span(ink, nxt[1], nxt[2], nxt[3], nxt[4])  # put it just before that
            x0 = x1 = nspan[0] if nspan else nxt[1]
        elif span is None:  # a box over no ink at all: tesseract misplaced it (often an
            if pieces and abs(pieces[-1].top - top / s) < 1:  # upper mark); put it
                x0 = x1 = int(pieces[-1].x1 * s)  # right after the word before it
        elif span is not None:
            x0, x1 = span
        pieces.append(Piece(text, x0 / s, top / s, x1 / s, bottom / s, k))
    return pieces, notes


def read_scan(scan: ScanPage, pieces: list[Piece], counter: LineCounter,
              from_layer: bool = False, deadline: float | None = None
              ) -> tuple[list[Line | Table], list[Note]]:
    """A prepared page's blocks from its words: marks put back, Thai digits read again
    from the pixels, words into the grid's cells and lines. `from_layer`: the words are
    a text layer on the scan as it was (moved onto the straightened page here)."""
    notes: list[Note] = []
    if from_layer:  # placed on the scan as it was, with tesseract's loose boxes
        ink, s = scan.ink, scan.scale
        pieces = [scan.straighten_piece(p) for p in pieces]
        for p in pieces:
            span = ink_span(ink, int(p.x0 * s), int(p.top * s), int(np.ceil(p.x1 * s)),
                             int(np.ceil(p.bottom * s)))
            if span is not None:
                p.x0, p.x1 = span[0] / s, span[1] / s
    if OCR_DIGITS:
        from .thai_digits import reread_digits
        pieces, fixed = reread_digits(pieces, scan.ink, scan.scale)
        if fixed:
            notes.append(Note("ocr_digits_reread", f"{fixed} number(s) read again from the "
                              "pixels: tesseract's Thai model confuses ๖ ๗ ๘ ๙", scan.page_no))
    if from_layer:  # a rule OCR'd into the layer as "|" before it was painted out
        pieces = [p for p in pieces if not (set(p.text) <= set("|[]!lI1") and on_edge(p, scan.grids))]
    pieces = join_letters(pieces, scan.grids, scan.ink, scan.scale)
    if not from_layer and OCR_LANG in ("tha", "tha+eng") and deadline is not None:
        from .ocr_latin import reread_latin
        pieces, fixed = reread_latin(pieces, scan.ink, scan.scale, deadline, OCR_LANG)
        if fixed:
            notes.append(Note("ocr_latin_reread", f"{fixed} word(s) read in the wrong script (Thai "
                              "abbreviations as Latin, or IIT, OIT, O10 as Thai) read again with "
                              "the other model", scan.page_no))
    if scan.marks and deadline is not None:
        from .box_labels import read_box_labels
        pieces, read = read_box_labels(pieces, scan.ink, scan.marks, scan.scale, deadline)
        if read:
            notes.append(Note("ocr_box_labels", f"{read} checkbox label(s) read one by one "
                              "(a list of options set close reads as junk on the page)", scan.page_no))
    pieces = with_marks(pieces, scan.marks, scan.scale)
    blocks = page_blocks(pieces, scan.grids, scan.page_no, counter, drop_line=is_page_break)
    if OCR_CELLS and deadline is not None:
        from .ocr_cells import reread_cells
        heads, periods = reread_cells(blocks, scan.ink, scan.scale, deadline)
        if heads or periods:
            notes.append(Note("ocr_cells_reread", f"{heads} header cell(s) and {periods} period or row-number "
                              "cell(s) read again one crop at a time (the page's reading spelt less "
                              "of a known header, or parsed as fewer dates)", scan.page_no))
    spelt = _for_each_text(blocks, snap_phrases)
    if spelt:
        notes.append(Note("ocr_phrases_snapped", f"{spelt} key phrase(s) whose marks OCR dropped "
                          "or swapped spelt right (ประจำปีงบประมาณ, องค์การบริหารส่วนตำบล …)",
                          scan.page_no))
    if scan.marks:
        snapped = _for_each_text(blocks, snap_box_labels)
        if snapped:
            notes.append(Note("ocr_labels_snapped", f"{snapped} checkbox label(s) misread by "
                              "OCR taken as the status phrase they nearly spell", scan.page_no))
    if scan.skew:
        notes.append(Note("page_deskewed", f"scan turned back by {scan.skew:+.2f}°", scan.page_no))
    return blocks, notes


def _for_each_text(blocks: list[Line | Table], fix) -> int:
    """`fix` (text → (text, how many)) on every line and cell of a page; the count."""
    n = 0
    for b in blocks:
        if isinstance(b, Line):
            b.raw, k = fix(b.raw)
            n += k
            continue
        for row in b.rows:
            for c in row:  # the copies a merged cell leaves too, counted once
                c.raw, k = fix(c.raw)
                n += 0 if c.spanned else k
    return n


def with_marks(pieces: list[Piece], marks: list[Mark], scale: float) -> list[Piece]:
    """Tesseract's words with the marks found in the image put in as pieces (✓ ☑ ☐ …),
    each where it stood: in the stream just before the word to its right on its line
    in its column (after the word to its left when it ends the line), and on that
    word's line box, so that the cell reads "☑ ดำเนินการแล้วเสร็จ" or "✓ (ตรวจสอบ…)"
    as a born-digital PDF would. Words inside a mark (tesseract's reading of it) go.

    >>> words = [Piece("ดำเนินการแล้ว", 30, 10, 80, 22, 0), Piece("ยังไม่ดำเนินการ", 100, 10, 160, 22, 1)]
    >>> marks = [Mark("☑", (40, 26, 60, 46)), Mark("☐", (180, 26, 200, 46))]
    >>> [p.text for p in with_marks(words, marks, 2.0)]
    ['☑', 'ดำเนินการแล้ว', '☐', 'ยังไม่ดำเนินการ']
    """
    if not marks:
        return pieces
    placed: list[tuple[float, Piece]] = [(p.order, p) for p in pieces]
    for m in marks:
        x0, top, x1, bottom = (v / scale for v in m.box)
        cx, cy = (x0 + x1) / 2, (top + bottom) / 2
        col = (m.column[0] / scale, m.column[1] / scale) if m.column else (-1e9, 1e9)
        placed = [(k, p) for k, p in placed
                  if not (x0 - 1 <= p.cx <= x1 + 1 and top - 1 <= p.cy <= bottom + 1)]
        line = [p for _, p in placed if p.top <= cy <= p.bottom and col[0] < p.cx < col[1]]
        right = min((p for p in line if p.x0 >= cx), key=lambda p: p.x0, default=None)
        left = max((p for p in line if p.x1 <= cx), key=lambda p: p.x1, default=None)
        if right is not None:
            order, top, bottom = right.order - 0.5, right.top, right.bottom
        elif left is not None:
            order, top, bottom = left.order + 0.5, left.top, left.bottom
        else:
            order = -1.0
        placed.append((order, Piece(m.char, x0, top, x1, bottom, 0)))
    placed.sort(key=lambda kp: kp[0])
    out = []
    for k, (_, p) in enumerate(placed):
        p.order = k
        out.append(p)
    return out

"""Scanned pages: tesseract's Thai model reads the words, the image gives the table grid.

A scan has no ruling lines in any text layer, so the grid comes from the picture: long
runs of dark pixels across and down (the morphology img2table does with OpenCV, here
with numpy cumulative sums) are the rules; pdfplumber's table finder turns them into
cells as it does for born-digital pages. The rules are then painted out, so that
tesseract reads cell text rather than tripping over borders, and its words go to cells
by position through the same `positioned.py` as PDF characters. Tesseract has no tick
or checkbox glyphs: those are found in the image (`marks.py`), painted out before
tesseract reads the page, and put back into the text as ✓ ☑ ☐ where they stood, so that
status columns and checkbox groups read as they do in the other readers. Tesseract's Thai is
rough — letter-spacing, ำ as ํ + า, Thai digits misread — the normalizers and the table
logic downstream deal with that; this module reports what it could not read.

One tesseract process per page, single-threaded (OpenMP threads cost more than they
give on small machines: 2.2 s a page instead of 7), two pages at a time, all bounded by
the file's OCR deadline.
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
from .marks import Mark, find_marks, snap_box_labels
from .pdf_rules import ruled_grids
from .page import page_blocks
from .positioned import LineCounter, Piece
from .text import is_page_break

OCR_DPI = int(os.environ.get("ITA_OCR_DPI", "200"))
OCR_LANG = os.environ.get("ITA_OCR_LANG", "tha+eng")
LOW_CONFIDENCE = 60.0
OCR_MARKS = os.environ.get("ITA_OCR_MARKS", "1") != "0"  # 0: no ticks/boxes from pixels


@functools.cache
def tesseract_langs() -> frozenset[str]:
    """Languages the installed tesseract has (empty when there is no tesseract)."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    return frozenset(l.strip() for l in out.stdout.splitlines()[1:] if l.strip())


@dataclass
class OcrJob:
    """A page whose tesseract is running (or that could not be started: `proc` None)."""

    proc: subprocess.Popen | None = None
    scale: float = 1.0
    grids: list = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    workdir: tempfile.TemporaryDirectory | None = None


def start_ocr(page, deadline: float) -> OcrJob:
    """Render the page, find its rules, and start tesseract on it without waiting: the
    reader starts the next scanned page before collecting this one, so that two pages
    are read at once on two cores. Never raises."""
    langs = tesseract_langs()
    if "tha" not in langs:
        return OcrJob(notes=[Note("page_not_read", "tesseract with its Thai model "
                                  "(tesseract-ocr-tha) is not installed: page not read")])
    if deadline - time.monotonic() < 2:
        return OcrJob(notes=[Note("page_not_read", "OCR time limit for this file reached: page not read")])
    scale = OCR_DPI / 72
    pixels = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    dark = pixels < _otsu(pixels)
    horiz, vert = _rules(dark, scale)
    edges = [_edge(*seg, "h", scale) for seg in _segments(horiz, axis=1)]
    edges += [_edge(*seg, "v", scale) for seg in _segments(vert, axis=0)]
    # Rules found in pixels end a little short or long of each other (thickness, skew):
    # a slightly looser tolerance (not much: two tables 5 pt apart must stay two), and
    # no closing of "open" ends, which here are only imprecision.
    grids, _ = ruled_grids(edges, pixels.shape[1] / scale, pixels.shape[0] / scale,
                           tolerance=4.0, close_open_ends=False)
    # Paint the rules out (a pixel's worth around them too): borders make tesseract
    # split or drop the text beside them. Ticks and checkboxes are read from the
    # pixels, then painted out too: tesseract would read them as ” / v or a letter.
    rules = _grow(horiz | vert, 2)
    marks = find_marks(dark & ~rules, vert, scale) if OCR_MARKS else []
    clean = pixels.copy()
    clean[rules] = 255
    for m in marks:
        x0, top, x1, bottom = m.box
        clean[max(top - 2, 0):bottom + 2, max(x0 - 2, 0):x1 + 2] = 255
    lang = "+".join(l for l in OCR_LANG.split("+") if l in langs) or "tha"
    workdir = tempfile.TemporaryDirectory(prefix="ita-ocr-")
    image = Path(workdir.name) / "page.png"
    from PIL import Image
    Image.fromarray(clean).save(image)
    try:  # output to a file, not a pipe: a full pipe would stall tesseract until collected
        proc = subprocess.Popen(
            [shutil.which("tesseract") or "tesseract", str(image), str(image.with_suffix("")),
             "-l", lang, "--psm", "6", "--dpi", str(OCR_DPI), "tsv"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=dict(os.environ, OMP_THREAD_LIMIT="1"))  # one core each: pages in parallel
    except OSError as exc:
        workdir.cleanup()
        return OcrJob(notes=[Note("page_not_read", f"tesseract failed: {exc}")])
    return OcrJob(proc, scale, grids, marks, [], workdir)


def finish_ocr(job: OcrJob, page_no: int, counter: LineCounter,
               deadline: float) -> tuple[list[Line | Table], list[Note], bool]:
    """Blocks of a scanned page, notes, and whether tesseract read it."""
    if job.proc is None:
        return [], [Note(n.kind, n.message, page_no) for n in job.notes], False
    try:
        try:
            _, err = job.proc.communicate(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            job.proc.kill()
            job.proc.communicate()
            return [], ["OCR time limit for this file reached while reading: page not read"], False
        tsv = Path(job.workdir.name) / "page.tsv"
        if job.proc.returncode != 0 or not tsv.is_file():
            return [], [f"tesseract failed: {err.decode('utf-8', 'replace').strip()[:200]}"], False
        words = _words(tsv.read_text("utf-8", "replace"))
    finally:
        job.workdir.cleanup()
    scale = job.scale
    # Pieces keep tesseract's reading order. Its Thai "words" are often single letters:
    # spaces go where the gap between them is a space wide (as for PDF characters).
    pieces = [Piece(text, x0 / scale, top / scale, x1 / scale, bottom / scale, k)
              for k, (text, x0, top, x1, bottom, conf) in enumerate(words)]
    pieces = with_marks(pieces, job.marks, scale)
    notes = []
    if words:
        low = sum(1 for w in words if w[5] < LOW_CONFIDENCE)
        mean = sum(w[5] for w in words) / len(words)
        if low / len(words) > 0.3:
            notes.append(Note("ocr_low_confidence",
                              f"OCR confidence low (mean {mean:.0f}, {low} of {len(words)} "
                              f"words under {LOW_CONFIDENCE:.0f}): check the values read", page_no))
    else:
        notes.append(Note("ocr_no_text", "OCR found no text", page_no))
    blocks = page_blocks(pieces, job.grids, page_no, counter, drop_line=is_page_break)
    if job.marks:
        snapped = _snap_labels(blocks)
        if snapped:
            notes.append(Note("ocr_labels_snapped", f"{snapped} checkbox label(s) misread by "
                              "OCR taken as the status phrase they nearly spell", page_no))
    return blocks, notes, True


def _snap_labels(blocks: list[Line | Table]) -> int:
    """`snap_box_labels` on every cell and line of a page; how many labels it put back."""
    n = 0
    for b in blocks:
        if isinstance(b, Line):
            b.raw, k = snap_box_labels(b.raw)
            n += k
            continue
        for row in b.rows:
            for c in row:  # the copies a merged cell leaves too, counted once
                c.raw, k = snap_box_labels(c.raw)
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


def ocr_page(page, page_no: int, counter: LineCounter,
             deadline: float) -> tuple[list[Line | Table], list[Note], bool]:
    """One scanned page, start to finish. Never raises for OCR trouble: what could not
    be read is said in the warnings."""
    return finish_ocr(start_ocr(page, deadline), page_no, counter, deadline)


def _otsu(pixels: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu's method)."""
    hist = np.bincount(pixels.ravel(), minlength=256).astype(float)
    total = hist.sum()
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * np.arange(256))
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (m0[-1] * w0 / total - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between[:-1], nan=-1.0)
    best = np.flatnonzero(between >= between.max() - 1e-9)
    return int(best.mean()) + 1  # the middle of a flat optimum (a clean two-tone image)


def _runs(mask: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Pixels lying on a run of at least `k` set pixels along `axis` (a morphological
    opening with a 1×k line, via cumulative sums)."""
    m = mask if axis == 1 else mask.T
    c = np.zeros((m.shape[0], m.shape[1] + 1), dtype=np.int32)
    np.cumsum(m, axis=1, out=c[:, 1:])
    full = (c[:, k:] - c[:, :-k]) == k  # window starting at j is all set
    d = np.zeros((m.shape[0], full.shape[1] + 1), dtype=np.int32)
    np.cumsum(full, axis=1, out=d[:, 1:])
    # pixel j is covered when some full window starts in [j-k+1, j]
    n = m.shape[1]
    j = np.arange(n)
    hi = np.minimum(j, full.shape[1] - 1) + 1
    lo = np.clip(j - k + 1, 0, full.shape[1])
    covered = (d[:, hi] - d[:, lo]) > 0
    return covered if axis == 1 else covered.T


def _rules(dark: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rules: dark runs longer than about 40 points. Text never
    makes runs that long; a slight skew only shortens a rule's runs a little."""
    k = max(int(40 * scale), 20)
    return _runs(dark, k, axis=1), _runs(dark, k, axis=0)


def _grow(mask: np.ndarray, r: int) -> np.ndarray:
    out = mask.copy()
    for d in range(1, r + 1):
        out[d:, :] |= mask[:-d, :]
        out[:-d, :] |= mask[d:, :]
        out[:, d:] |= mask[:, :-d]
        out[:, :-d] |= mask[:, d:]
    return out


def _segments(mask: np.ndarray, axis: int) -> list[tuple[float, float, float]]:
    """Rules as (position across, start, end) in pixels: bands of neighbouring rows
    (or columns) with rule pixels, split where the rule has a gap."""
    prof = mask.any(axis=axis)  # which rows (axis=1) / columns (axis=0) hold a rule
    out = []
    idx = np.flatnonzero(prof)
    if idx.size == 0:
        return out
    bands = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    for band in bands:
        sub = mask[band[0]:band[-1] + 1, :] if axis == 1 else mask[:, band[0]:band[-1] + 1]
        along = sub.any(axis=0 if axis == 1 else 1)
        on = np.flatnonzero(along)
        pieces = np.split(on, np.flatnonzero(np.diff(on) > 3) + 1)
        for p in pieces:
            if p.size:
                out.append(((band[0] + band[-1]) / 2, float(p[0]), float(p[-1])))
    return out


def _edge(pos: float, start: float, end: float, orientation: str, scale: float) -> dict:
    pos, start, end = pos / scale, start / scale, end / scale
    if orientation == "h":
        return {"object_type": "h_edge", "orientation": "h", "x0": start, "x1": end,
                "top": pos, "bottom": pos, "width": end - start, "height": 0.0}
    return {"object_type": "v_edge", "orientation": "v", "x0": pos, "x1": pos,
            "top": start, "bottom": end, "width": 0.0, "height": end - start}


def _words(tsv: str) -> list[tuple]:
    """Words as (text, x0, top, x1, bottom, confidence) in pixels, from tesseract's TSV."""
    words, lines = [], {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12:
            continue
        x, y, w, h = int(f[6]), int(f[7]), int(f[8]), int(f[9])
        key = (f[1], f[2], f[3], f[4])  # page, block, paragraph, line
        if f[0] == "4":
            lines[key] = (y, y + h)
        elif f[0] == "5" and f[11].strip():
            # A word's own box jumps with its marks (ที่ is taller than นา); the box of
            # its tesseract line keeps the words of one line on one line.
            top, bottom = lines.get(key, (y, y + h))
            words.append((f[11].strip(), x, top, x + w, bottom, float(f[10])))
    return words

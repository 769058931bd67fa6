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
import re
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
from .page import page_blocks
from .positioned import Grid, LineCounter, Piece
from .scan_rules import find_grids, grow, ink_threshold
from .text import is_page_break

OCR_DPI = int(os.environ.get("ITA_OCR_DPI", "200"))
# Thai alone reads Thai better than tha+eng (which turns ต.ค. into "AA." and ๖๘ into
# "be"); the few Latin words (IIT, OIT, O10) are read again with eng (`latin_pass`).
OCR_LANG = os.environ.get("ITA_OCR_LANG", "tha")
OCR_PSM = os.environ.get("ITA_OCR_PSM")  # tesseract's page segmentation; default: by page
LOW_CONFIDENCE = 60.0
OCR_MARKS = os.environ.get("ITA_OCR_MARKS", "1") != "0"  # 0: no ticks/boxes from pixels
OCR_DIGITS = os.environ.get("ITA_OCR_DIGITS", "1") != "0"  # 0: Thai digits as tesseract reads them


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
    dark = pixels < ink_threshold(pixels)
    grids, cuts, horiz, vert = find_grids(dark, scale)
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
    return ScanPage(page_no, scale, skew if abs(skew) >= 0.05 else 0.0, clean, grids, cuts, marks)


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
    # A page with drawn cells is read as one block of lines (psm 6): its words go to the
    # cells by position, and line by line tesseract reads Thai best. A page without
    # (prose, or a table drawn without rules) as sparse text (psm 11): as one block,
    # tesseract runs words of neighbouring columns together across the gutters that
    # are all an unruled table has to show its columns.
    psm = OCR_PSM or ("6" if scan.grids else "11")
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
        if OCR_LANG == "tha" and "eng" in tesseract_langs():
            words = latin_pass(words, job.scan.pixels, Path(job.workdir.name), deadline)
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
    ink = job.scan.pixels < ink_threshold(job.scan.pixels)
    # Pieces keep tesseract's reading order. Its Thai "words" are often single letters:
    # spaces go where the gap between them is a space wide (as for PDF characters).
    pieces = []
    for k, (text, x0, top, x1, bottom, _) in enumerate(words):
        x0, x1 = _ink_span(ink, x0, top, x1, bottom)
        pieces.append(Piece(text, x0 / s, top / s, x1 / s, bottom / s, k))
    return pieces, notes


def _ink_span(ink: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> tuple[int, int]:
    """A word box's left and right ends pulled in to its ink: tesseract's boxes run into
    the white space around a word, which makes the gutters between the columns of an
    unruled table look narrower than they are."""
    cols = np.flatnonzero(ink[max(top, 0):bottom, max(x0, 0):x1].any(axis=0))
    if cols.size == 0:
        return x0, x1
    return x0 + int(cols[0]), x0 + int(cols[-1]) + 1


def read_scan(scan: ScanPage, pieces: list[Piece], counter: LineCounter,
              from_layer: bool = False) -> tuple[list[Line | Table], list[Note]]:
    """A prepared page's blocks from its words: marks put back, Thai digits read again
    from the pixels, words into the grid's cells and lines. `from_layer`: the words are
    a text layer on the scan as it was (moved onto the straightened page here)."""
    notes: list[Note] = []
    if from_layer:
        pieces = [scan.straighten_piece(p) for p in pieces]
    if OCR_DIGITS:
        from .thai_digits import reread_digits
        pieces, fixed = reread_digits(pieces, scan.pixels, scan.scale)
        if fixed:
            notes.append(Note("ocr_digits_reread", f"{fixed} number(s) read again from the "
                              "pixels: tesseract's Thai model confuses ๖ ๗ ๘ ๙", scan.page_no))
    if not from_layer:
        pieces = join_letters(pieces, scan.grids)
    pieces = with_marks(pieces, scan.marks, scan.scale)
    blocks = page_blocks(pieces, scan.grids, scan.page_no, counter, drop_line=is_page_break)
    if scan.marks:
        snapped = _snap_labels(blocks)
        if snapped:
            notes.append(Note("ocr_labels_snapped", f"{snapped} checkbox label(s) misread by "
                              "OCR taken as the status phrase they nearly spell", scan.page_no))
    if scan.skew:
        notes.append(Note("page_deskewed", f"scan turned back by {scan.skew:+.2f}°", scan.page_no))
    return blocks, notes


WORD_GAP = 0.33  # of the line's height: a narrower gap between OCR letters is no space


def join_letters(pieces: list[Piece], grids: list[Grid]) -> list[Piece]:
    """Tesseract's Thai "words" are mostly single letters, their boxes rough: gaps inside
    a word reach a quarter of the line's height, where `line_text` would put a space
    ("ประจำปีงบประ มาณ"). Neighbours in tesseract's stream on the same line, closer than
    `WORD_GAP`, are joined into one piece first — never across a cell's edge.

    >>> ps = [Piece("ป", 0, 0, 5, 12, 0), Piece("ระ", 6, 0, 14, 12, 1), Piece("ม", 17.5, 0, 22, 12, 2),
    ...       Piece("คน", 30, 0, 40, 12, 3)]
    >>> [p.text for p in join_letters(ps, [])]
    ['ประม', 'คน']
    """
    edges = [(g.bbox[1], g.bbox[3], sorted({round(b[0], 1) for r in g.rows for b in r if b}
                                             | {round(b[2], 1) for r in g.rows for b in r if b}))
             for g in grids]
    out: list[Piece] = []
    for p in pieces:
        q = out[-1] if out else None
        if (q is not None and q.top == p.top and q.bottom == p.bottom
                and -0.1 * (p.bottom - p.top) <= p.x0 - q.x1 < WORD_GAP * (p.bottom - p.top)
                and not any(top <= p.cy <= bottom and any(q.cx < x < p.cx for x in xs)
                            for top, bottom, xs in edges)):
            out[-1] = Piece(q.text + p.text, q.x0, q.top, max(q.x1, p.x1), q.bottom, q.order)
        else:
            out.append(Piece(p.text, p.x0, p.top, p.x1, p.bottom, p.order))
    return out


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


_LATIN = re.compile(r"[0-9A-Za-z]")
_ACRONYM = re.compile(r"\(?[A-Z][A-Za-z]?[A-Z0-9]{1,5}\)?[.,:]?")


def latin_pass(words: list[tuple], pixels: np.ndarray, workdir: Path, deadline: float) -> list[tuple]:
    """Short words Thai tesseract read with Latin digits or letters in them — what it
    makes of IIT, OIT, ITA, O10 ("(ป1)", "(011)", "1โ1") — read again with the English
    model, all in one tesseract run over their crops. The English reading is taken when
    it is an acronym or code (capitals, digits) read with confidence; otherwise the Thai
    reading stays."""
    tokens = _tokens(words)
    suspects = [t for t in tokens if len(t) <= 4 and _LATIN.search("".join(words[k][0] for k in t))
                and len("".join(words[k][0] for k in t)) <= 8]
    if not suspects or deadline - time.monotonic() < 2:
        return words
    from PIL import Image
    paths = []
    for n, t in enumerate(suspects):
        x0, top = min(words[k][1] for k in t), min(words[k][2] for k in t)
        x1, bottom = max(words[k][3] for k in t), max(words[k][4] for k in t)
        # Tesseract's boxes for short words are often too tight: widened, but not into
        # the words either side.
        pad = (bottom - top) // 3
        before = words[t[0] - 1] if t[0] > 0 else None
        after = words[t[-1] + 1] if t[-1] + 1 < len(words) else None
        lo = max(x0 - pad, before[3] + 1 if before and before[3] <= x0 and before[2] < bottom else 0)
        hi = min(x1 + pad, after[1] - 1 if after and after[1] >= x1 and after[2] < bottom else x1 + pad)
        crop = pixels[max(0, top - 3):bottom + 3, max(0, lo):hi]
        path = workdir / f"latin{n}.pgm"
        # Paper made white (the crop alone has no page around it to judge the paper by).
        paper = float(np.percentile(crop, 90)) if crop.size else 255.0
        crop = np.clip(crop.astype(np.float32) * (255.0 / max(paper, 1.0)), 0, 255).astype(np.uint8)
        Image.fromarray(np.pad(crop, 8, constant_values=255)).save(path)
        paths.append(str(path))
    listing = workdir / "latin.txt"
    listing.write_text("\n".join(paths) + "\n", "utf-8")
    try:
        subprocess.run([shutil.which("tesseract") or "tesseract", str(listing), str(workdir / "latin"),
                        "-l", "eng", "--psm", "7", "tsv"], capture_output=True,
                       timeout=max(deadline - time.monotonic(), 0.1), env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        rows = (workdir / "latin.tsv").read_text("utf-8", "replace").splitlines()[1:]
    except (subprocess.TimeoutExpired, OSError):
        return words
    read: dict[int, list[tuple[str, float]]] = {}
    for row in rows:
        f = row.split("\t")
        if len(f) >= 12 and f[0] == "5" and f[11].strip():
            read.setdefault(int(f[1]) - 1, []).append((f[11].strip(), float(f[10])))
    out = list(words)
    for n, t in reversed(list(enumerate(suspects))):
        got = read.get(n)
        if not got or len(got) != 1:
            continue
        text, conf = got[0]
        m = _ACRONYM.search(text)  # a neighbour's sliver may add a letter either side
        if conf < 50 or m is None or len(m.group()) < len(text) - 1:
            continue
        text = m.group()
        first, last = words[t[0]], words[t[-1]]
        out[t[0]:t[-1] + 1] = [(text, first[1], min(words[k][2] for k in t), last[3],
                                 max(words[k][4] for k in t), conf)]
    return out


def _tokens(words: list[tuple]) -> list[list[int]]:
    """Runs of consecutive words with no space between them (as `line_text` joins them)."""
    out: list[list[int]] = []
    for k, w in enumerate(words):
        if out:
            p = words[out[-1][-1]]
            h = max(w[4] - w[2], 1)
            if abs((w[2] + w[4]) - (p[2] + p[4])) < h and -0.5 * h < w[1] - p[3] <= 0.25 * h:
                out[-1].append(k)
                continue
        out.append([k])
    return out


def tesseract_words(tsv: str) -> list[tuple]:
    """Words as (text, x0, top, x1, bottom, confidence) in pixels, from tesseract's TSV.

    Ghost lines are left out: on a degraded scan tesseract often takes a row of upper
    marks (tone marks, vowels above) for a line of its own, and reads it as a short
    line of low-confidence fragments ("งจขม๑๓๑.«=๕."), which would cross a table's column
    gutters and add junk to cells. A line well under the page's usual height and read
    with low confidence is such a ghost."""
    lines: dict[tuple, tuple[int, int]] = {}
    raw: list[tuple] = []
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12:
            continue
        x, y, w, h = int(f[6]), int(f[7]), int(f[8]), int(f[9])
        key = (f[1], f[2], f[3], f[4])  # page, block, paragraph, line
        if f[0] == "4":
            lines[key] = (y, y + h)
        elif f[0] == "5" and f[11].strip():
            raw.append((key, f[11].strip(), x, y, x + w, y + h, float(f[10])))
    by_line: dict[tuple, list[float]] = {}
    for key, *_, conf in raw:
        by_line.setdefault(key, []).append(conf)
    heights = sorted(lines[k][1] - lines[k][0] for k in by_line if k in lines)
    usual = heights[len(heights) // 2] if heights else 0
    ghosts = {k for k, confs in by_line.items() if k in lines
              and lines[k][1] - lines[k][0] < 0.8 * usual and sum(confs) / len(confs) < 60}
    words = []
    for key, text, x0, y0, x1, y1, conf in raw:
        if key in ghosts:
            continue
        # A word's own box jumps with its marks (ที่ is taller than นา); the box of
        # its tesseract line keeps the words of one line on one line.
        top, bottom = lines.get(key, (y0, y1))
        words.append((text, x0, top, x1, bottom, conf))
    return words

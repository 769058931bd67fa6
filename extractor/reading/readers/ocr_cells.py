"""Cells read one crop at a time: a table's header cells, and the cells of its period column.

Tesseract reads the page as one block of lines (psm 6): a word that starts at a cell's
edge goes to the cell beside it ("วิธีการดำเนินการ" comes out "ิธีการำเนินการ", its ว and
ด left in the next cell), and bold header words come out differently on every page, or
as Latin ("ผลการดำเนินงาน" as "ผลการ CUMS"). A header that reads wrong loses a whole
column; a period cell that loses "มี" of "มี.ค." or reads "๒๕๖๘" as junk loses its dates.
So those cells are cut out along the grid and read again, each on its own as a block of
lines (Thai model; Thai digits read again from the crop's pixels, `thai_digits.py`), all
of a page's cells in one tesseract run. A crop's reading replaces the page's only where it
is better by what the cell must hold:

- a header cell: it spells a longer known header phrase (`data/header_vocab.csv`,
  compared without the marks OCR drops);
- a period cell (under a header that names a period): more of it parses as dates of a
  plausible fiscal year.

Otherwise the page's reading stays.
"""
from __future__ import annotations

import csv
import functools
import re
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path

import numpy as np

from normalizers.periods import fiscal_year_of, parse_period
from normalizers.plausible import plausible_fiscal_year
from normalizers.text import clean_text

from extractor.model import Cell, Line, Table
from .ocr_lexicon import skeleton
from .positioned import Piece
from .tesseract_crops import read_crops

MAX_HEADER_ROWS = 3
_DATA_ROW = re.compile(r"[0-9๐-๙✓✔✗☑☒]")
_NOT_LETTER = re.compile(r"[^\u0e01-\u0e4ea-zA-Z]")
_MARKS = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"
MIN_PHRASE = 3  # letters on the line: shorter phrases ("ที่") say nothing of a reading
INSET = 2  # pixels kept off the cell's edges (what is left of a painted-out rule)
PAD = 12  # white pixels around a crop


@functools.cache
def _vocab() -> tuple[tuple[str, str], ...]:
    """(phrase key, field) of the header vocabulary, longest first."""
    text = resources.files("extractor").joinpath("data/header_vocab.csv").read_text("utf-8")
    pairs = {(_key(r["phrase"]), r["field"]) for r in csv.DictReader(text.splitlines())}
    return tuple(sorted((p for p in pairs if len(p[0]) >= MIN_PHRASE), key=lambda p: -len(p[0])))


@functools.cache
def _whole_cells() -> dict[str, str]:
    """Header phrases by their key, where only one phrase has that key."""
    text = resources.files("extractor").joinpath("data/header_vocab.csv").read_text("utf-8")
    by_key: dict[str, set[str]] = {}
    for r in csv.DictReader(text.splitlines()):
        by_key.setdefault(_key(r["phrase"]), set()).add(r["phrase"])
    return {k: next(iter(v)) for k, v in by_key.items() if k and len(v) == 1}


def snap_header(text: str) -> str:
    """A header cell whose letters on the line are exactly those of one known header,
    spelt as that header (OCR dropped its marks: "ที" for "ที่"); else as it is.

    >>> snap_header("ที"), snap_header("ผูรบผดชอบ"), snap_header("ทีม")
    ('ที่', 'ผู้รับผิดชอบ', 'ทีม')
    """
    return _whole_cells().get(_key(text), text)


def _key(text: str) -> str:
    return _NOT_LETTER.sub("", skeleton(text))


def _best(text: str) -> tuple[int, str | None]:
    key = _key(text)
    return next(((len(p), f) for p, f in _vocab() if p in key), (0, None))


def header_score(text: str) -> int:
    """Letters of the longest known header phrase `text` spells (marks aside).

    >>> header_score("ผลการ CUMS") < header_score("ผลการดำเนินงาน")
    True
    >>> header_score("ิธีการำเนินการ") < header_score("วิธีการดำเนินการ")
    True
    """
    return _best(text)[0]


@functools.cache
def _known_keys() -> frozenset[str]:
    text = resources.files("extractor").joinpath("data/header_vocab.csv").read_text("utf-8")
    return frozenset(_key(r["phrase"]) for r in csv.DictReader(text.splitlines())) - {""}


_DIGIT_BY_LETTER = re.compile("[0-9๐-๙][ก-ฮ]|[ก-ฮ][0-9๐-๙]")


def _clean_period(text: str) -> bool:
    """A period read right already: both ends plausible dates, no letter against a digit
    ("๒๕ออ": a digit read as a letter) — not worth a crop.

    >>> _clean_period("ต.ค.๖๗ - มี.ค.๖๘"), _clean_period("ต.ค.๒๕ออ - มี.ค.๒๕๖๗")
    (True, False)
    """
    return period_score(text)[0] == 3 and not _DIGIT_BY_LETTER.search(clean_text(text))


def _header_or_whole(text: str) -> int:
    """`header_score`, where a short header spelt whole ("ที่", skeleton "ท") counts too."""
    key = _key(text)
    return max(header_score(text), len(key) if key in _whole_cells() else 0)


def period_score(text: str) -> tuple[int, int]:
    """How much of `text` reads as a period: 1 when it parses, and 1 more for each end
    that is a date of a plausible fiscal year; then how many of its characters are digits
    (of two readings that parse alike, the one with letters where digits belong —
    "๒๕ออ" for "๒๕๖๖" — is the worse).

    >>> period_score("ต.ค.๒๕๖๗-ี.ค.๒๕๖๘") < period_score("ต.ค. ๒๕๖๗ - มี.ค. ๒๕๖๘")
    True
    >>> period_score("ต.ค. ๒๕ออ -มี.ค. ๒๕๖๗") < period_score("ต.ค. ๒๕๖๖ -มี.ค. ๒๕๖๗")
    True
    """
    text = clean_text(text)
    digits = len(_DIGIT.findall(text))
    p = parse_period(text)
    if p is None:
        return 0, digits
    return 1 + sum(1 for d in (p.start, p.end) if d and plausible_fiscal_year(fiscal_year_of(d))), digits


_DIGIT = re.compile("[0-9๐-๙]")


def header_rows(table: Table) -> int:
    """How many leading rows are header: those before the first that holds a digit or a mark."""
    for k, row in enumerate(table.rows[:MAX_HEADER_ROWS]):
        if any(_DATA_ROW.search(c.raw) for c in row if not c.spanned):
            return k
    return min(len(table.rows), MAX_HEADER_ROWS)


def _columns(table: Table, n_header: int) -> dict[int, str]:
    """Columns whose cells are read again, by what their header names: 'period' or 'seq'."""
    cols: dict[int, str] = {}
    for row in table.rows[:n_header]:
        for j, c in enumerate(row):
            field = _best(c.raw)[1]
            if field == "period_text":
                cols[j] = "period"
            elif field == "seq" or _key(c.raw) in _SEQ_KEYS:
                cols[j] = "seq"
    return cols


_SEQ_KEYS = {"ท", "ขอ"}  # ที่, ข้อ: too short for the vocabulary's matching


def seq_score(text: str) -> int:
    """2 for a row number alone ("๓", "12."), 1 for text holding a digit, else 0.

    >>> seq_score("๓"), seq_score("5จ"), seq_score("ฒ")
    (2, 1, 0)
    """
    text = text.strip()
    return 2 if _SEQ.fullmatch(text) else 1 if _DIGIT.search(text) else 0


_SEQ = re.compile(r"[0-9๐-๙]{1,3}\s*[.)]?")
# A month abbreviation whose dot OCR read as a mark below ("ก.ุย.", "กุย.", "ต.คุ๖๔").
_DOT_AS_MARK = re.compile(r"(?<=[ก-ฮ])[ุู](?=[ก-ฮ][.\s0-9๐-๙])|(?<=[ก-ฮ]\.[ก-ฮ])[ุู]|(?<=\.)[ุู]")


def _period_variants(text: str) -> list[str]:
    """A period cell's reading, and the same with month abbreviations' dots put back.

    >>> _period_variants("ม.ค.67 - กุย. 67")[1], _period_variants("ต.คุ64- ก.ุย.65")[1]
    ('ม.ค.67 - ก.ย. 67', 'ต.ค.64- ก.ย.65')
    """
    fixed = _DOT_AS_MARK.sub(lambda m: "" if m.string[m.start() - 1] == "." else ".", text)
    return [text, fixed] if fixed != text else [text]


def reread_cells(blocks: list[Line | Table], ink: np.ndarray, scale: float,
                 deadline: float) -> tuple[int, int]:
    """Read each table's header cells, then the cells of its period and row-number
    columns, again one crop at a time (see the module); the cells (and their span copies)
    change in place. How many header cells and how many body cells changed."""
    jobs: list[tuple[Table, Cell, str]] = []
    crops: list[np.ndarray] = []

    def add(table: Table, cell: Cell, kind: str) -> None:
        x0, top, x1, bottom = (int(round(v * scale)) for v in cell.bbox)
        crop = ink[max(0, top + INSET):max(0, bottom - INSET), max(0, x0 + INSET):max(0, x1 - INSET)]
        if crop.size and crop.any():
            jobs.append((table, cell, kind))
            crops.append(crop)

    headers: dict[int, int] = {}
    head_cells: list[tuple[Table, Cell]] = []
    for b in blocks:
        if not isinstance(b, Table):
            continue
        n = headers[id(b)] = header_rows(b)
        for row in b.rows[:n]:
            for c in row:
                if not c.spanned and c.bbox is not None:
                    head_cells.append((b, c))
                    if _key(c.raw) not in _known_keys():  # one known header whole: read right
                        add(b, c, "header")
    if deadline - time.monotonic() < 2 or shutil.which("tesseract") is None:
        return 0, 0
    readings = _ocr_crops(crops, scale, deadline) if crops else []
    if readings is None:
        return 0, 0
    heads = _take(jobs, readings, _header_or_whole)
    for table, cell in head_cells:
        snapped = snap_header(cell.raw)
        if snapped != cell.raw:
            _replace(table, cell, snapped)
            heads += 1
    # The period and row-number columns, named by the headers as they now read.
    jobs, crops = [], []
    for b in blocks:
        if isinstance(b, Table):
            cols = _columns(b, headers[id(b)])
            for row in b.rows[headers[id(b)]:]:
                for j, kind in cols.items():
                    cell = row[j] if j < len(row) else None
                    if cell is not None and not cell.spanned and cell.bbox is not None and (
                            kind == "seq" and seq_score(cell.raw) < 2 or kind == "period" and cell.raw
                            and not _clean_period(cell.raw)):
                        add(b, cell, kind)
    readings = _ocr_crops(crops, scale, deadline) if crops and deadline - time.monotonic() > 2 else None
    body = 0
    if readings is not None:
        body = _take([j for j in jobs if j[2] == "period"], [r for j, r in zip(jobs, readings) if j[2] == "period"],
                     period_score, _period_variants)
        body += _take([j for j in jobs if j[2] == "seq"], [r for j, r in zip(jobs, readings) if j[2] == "seq"],
                      seq_score)
    return heads, body


def _take(jobs, readings, score, variants=lambda t: [t]) -> int:
    """Each cell's best reading by `score`: its own (and `variants` of it) first, then the
    crop's; a cell changes only for a strictly better one."""
    changed = 0
    for (table, cell, _), crop in zip(jobs, readings):
        old = cell.raw
        best, best_score = old, score(old)
        for text in variants(old)[1:] + (variants(crop) if crop else []):
            if (sc := score(text)) > best_score:
                best, best_score = text, sc
        if best == old:
            continue
        _replace(table, cell, best)
        changed += 1
    return changed


def _replace(table: Table, cell: Cell, text: str) -> None:
    """A cell's reading replaced, in the cell and its span copies."""
    old = cell.raw
    for row in table.rows:
        for c in row:
            if c is cell or (c.spanned and c.bbox == cell.bbox and c.raw == old):
                c.raw = text


def _ocr_crops(crops: list[np.ndarray], scale: float, deadline: float) -> list[str] | None:
    """Each crop of ink read as a block of Thai lines (one tesseract run for all), its
    Thai digits read again from its pixels."""
    from PIL import Image
    from .thai_digits import reread_digits
    padded = [np.pad(crop, PAD, constant_values=False) for crop in crops]
    with tempfile.TemporaryDirectory(prefix="ita-cells-") as tmp:
        paths = []
        for n, img in enumerate(padded):
            path = Path(tmp) / f"c{n}.pgm"
            Image.fromarray(np.where(img, 0, 255).astype(np.uint8)).save(path)
            paths.append(str(path))
        rows = read_crops(paths, Path(tmp), "tha", "6", deadline, "--dpi", str(round(scale * 72)))
        if rows is None:
            return None
    words: dict[int, list[Piece]] = {}
    lines: dict[int, list[tuple[str, str, str]]] = {}
    for f in rows:
        n = int(f[1]) - 1
        x0, top, w, h = (int(v) for v in f[6:10])
        words.setdefault(n, []).append(Piece(f[11].strip(), x0 / scale, top / scale,
                                             (x0 + w) / scale, (top + h) / scale, len(words.get(n, []))))
        lines.setdefault(n, []).append((f[2], f[3], f[4]))
    out = []
    for n in range(len(crops)):
        pieces, keys = words.get(n, []), lines.get(n, [])
        line_of = {id(p): k for p, k in zip(pieces, keys)}
        fixed, _ = reread_digits(pieces, padded[n], scale)
        grouped: dict[tuple, list[Piece]] = {}
        for p in fixed:  # a merged number keeps the line of its first piece
            grouped.setdefault(line_of.get(id(p), _nearest_line(p, pieces, line_of)), []).append(p)
        out.append(" ".join(_join(ps) for ps in grouped.values()))
    return out


def _nearest_line(p: Piece, pieces: list[Piece], line_of: dict) -> tuple:
    near = min(pieces, key=lambda q: abs(q.cy - p.cy), default=None)
    return line_of.get(id(near), ("?",)) if near is not None else ("?",)


# A mark above or below the line can only follow a letter: after a dot, a digit or a
# space it is a speck tesseract read as one ("ต.ุค.").
_STRAY_MARK = re.compile(r"(?<=[.\s0-9๐-๙])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]+")


def _join(pieces: list[Piece]) -> str:
    """A line's words: a space only where the gap is a space wide, for the line's letters
    (tesseract cuts Thai words into pieces, a mark above the line into its own)."""
    if not pieces:
        return ""
    heights = sorted(p.bottom - p.top for p in pieces)
    usual = heights[len(heights) // 2]
    out = ""
    prev = None
    for p in sorted(pieces, key=lambda p: p.x0):
        if prev is not None and p.x0 - prev.x1 > 0.45 * usual and not re.match(_MARKS, p.text):
            out += " "
        out += p.text
        prev = p if prev is None or p.x1 > prev.x1 else prev
    return _STRAY_MARK.sub("", out).strip()

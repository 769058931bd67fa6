"""The label beside each checkbox, read one crop at a time.

A status cell printed as a list of options ("☑ ดำเนินการแล้ว / ☐ อยู่ระหว่างดำเนินการ /
☐ ยังไม่ดำเนินการ") sets its lines closer than body text, and its tall letters (อยู่ above
and below the line, ยังไม่ above) touch the lines beside them: tesseract's line finder
joins two options into one line and reads it as junk ("☐☐สาาร"), whether it reads the page,
the column or the cell. The box itself is found in the image (`marks.py`), so its label
is known to be the run of ink just right of it, on its line: that strip is cut out and
read as one line of text (psm 7), all the page's labels in one tesseract run, and its
reading replaces the words tesseract gave for that place. The status phrases are then
snapped as before (`marks.snap_box_labels`).
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from .marks import Mark
from .positioned import Piece
from .tesseract_crops import read_crops

_BOXES = frozenset("☑☐☒")
_THAI = re.compile("[\u0e01-\u0e4e]")
ABOVE, BELOW = 0.7, 0.35  # of the box's height: a label's upper and lower marks
STOP_GAP = 0.9  # of the box's height: a blank this wide ends the label (a word space is 0.4)


def label_strips(ink: np.ndarray, marks: list[Mark]) -> list[tuple[Mark, tuple[int, int, int, int]]]:
    """Each box with the strip (x0, top, x1, bottom, pixels) its label's ink fills: from
    just right of the box to a blank wider than a word space, another box, or the
    column's rule. Boxes with no ink beside them are left out."""
    out = []
    boxes = [m for m in marks if m.char in _BOXES]
    for m in boxes:
        x0, t, x1, b = m.box
        h = b - t
        top, bottom = max(0, int(t - ABOVE * h)), min(ink.shape[0], int(b + BELOW * h))
        limit = m.column[1] if m.column else ink.shape[1]
        for o in boxes:  # the next box on the same line ends the label
            if o is not m and o.box[0] > x1 and min(b, o.box[3]) - max(t, o.box[1]) > 0.5 * h:
                limit = min(limit, o.box[0])
        filled = ink[top:bottom, :].any(axis=0)
        x = x1 + max(1, int(0.15 * h))
        start = end = None
        gap = 0
        while x < limit:
            if filled[x]:
                start = x if start is None else start
                end, gap = x, 0
            elif start is not None:
                gap += 1
                if gap > STOP_GAP * h:
                    break
            elif x - x1 > 1.5 * h:
                break  # nothing beside the box
            x += 1
        if start is not None and end - start >= 0.5 * h:
            out.append((m, (start, top, end + 1, bottom)))
    return out


def read_box_labels(pieces: list[Piece], ink: np.ndarray, marks: list[Mark], scale: float,
                    deadline: float) -> tuple[list[Piece], int]:
    """`pieces` with the words over each checkbox's label replaced by the label read on
    its own; how many labels were read so."""
    strips = label_strips(ink, marks)
    if not strips or deadline - time.monotonic() < 2 or shutil.which("tesseract") is None:
        return pieces, 0
    readings = _ocr_strips(ink, [s for _, s in strips], deadline)
    if readings is None:
        return pieces, 0
    heights = sorted(p.bottom - p.top for p in pieces)
    usual = heights[len(heights) // 2] if heights else 0.0
    out = list(pieces)
    done = 0
    for (m, (x0, top, x1, bottom)), text in zip(strips, readings):
        if not text or not _THAI.search(text):
            continue
        a, b = x0 / scale, x1 / scale
        t, bt = top / scale, bottom / scale
        cy = (m.box[1] + m.box[3]) / 2 / scale
        inside = [p for p in out if a - 1 <= p.cx <= b + 1 and t <= p.cy <= bt]
        # A word tesseract read across this label and the next line (its box as tall as
        # both) goes too: its centre is on this label's line.
        half = max(usual, (m.box[3] - m.box[1]) / scale) / 2
        order = min((p.order for p in inside), default=None)
        if order is None:
            left = [p for p in out if p.x1 <= a and abs(p.cy - cy) < half]
            order = max((p.order for p in left), default=-1) + 0.5
        out = [p for p in out if not any(p is q for q in inside)]
        out.append(Piece(text, a, cy - half, b, cy + half, order))
        done += 1
    out.sort(key=lambda p: p.order)
    for k, p in enumerate(out):
        p.order = k
    return out, done


def _ocr_strips(ink: np.ndarray, strips: list[tuple[int, int, int, int]],
                deadline: float) -> list[str] | None:
    """Each strip of the page's ink read as one line of Thai (one tesseract run)."""
    from PIL import Image
    with tempfile.TemporaryDirectory(prefix="ita-labels-") as tmp:
        paths = []
        for n, (x0, top, x1, bottom) in enumerate(strips):
            crop = np.where(ink[top:bottom, x0:x1], 0, 255).astype(np.uint8)
            path = Path(tmp) / f"l{n}.pgm"
            Image.fromarray(np.pad(crop, 10, constant_values=255)).save(path)
            paths.append(str(path))
        rows = read_crops(paths, Path(tmp), "tha", "7", deadline)
        if rows is None:
            return None
    words: dict[int, list[str]] = {}
    for f in rows:
        words.setdefault(int(f[1]) - 1, []).append(f[11].strip())
    return ["".join(words.get(n, [])) for n in range(len(strips))]

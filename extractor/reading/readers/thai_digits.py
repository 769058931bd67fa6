"""Thai digits read again from the pixels: tesseract's Thai model confuses them.

On office scans tesseract reads ๒๕๖๘ as ๒๕๒๕, ๒๕๖๖ as ๒๕อ๒ or 252020: ๖ ๗ ๘ ๙ come out
as ๒ ๕ ๓ อ, or as Latin digits. Years, dates, scores and periods are all digits, so
the numbers tesseract finds are read a second time here, from their glyphs: each run of
digit-like words on a line is cut into its connected blobs of ink (`marks.components`),
and each blob is compared with glyphs of the ten Thai and ten Latin digits drawn in
fifteen Thai typefaces (`data/digit_glyphs.csv`, made by tests/fixtures/make_digit_glyphs.py):
the closest glyph wins when it is close enough and clearly closer than any other digit;
a dot, a comma, a dash or a slash is told by its shape and place on the line. A run is
rewritten only when every blob of it is read with confidence; otherwise tesseract's
reading stays (and downstream checks treat its numbers as doubtful).

Pure numpy; a page's numbers take a few milliseconds.
"""
from __future__ import annotations

import functools
import re

import numpy as np

from .marks import components
from .positioned import Piece

SIZE = 20  # glyphs are compared on a SIZE × SIZE grid
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
LATIN_DIGITS = "0123456789"
# What tesseract prints for a Thai digit it misreads: digits of either script, and the
# letters ๖ ๗ ๘ ๙ most often turn into. A run must also hold a Thai digit.
_DIGIT_LIKE = re.compile(r"^[๐-๙0-9อฮฒด«».,\-–/():]+$")
MIN_SCORE = 0.55  # cosine similarity of the closest glyph, at least
MIN_MARGIN = 0.015  # ahead of the closest glyph of another digit, at least


def _grid(mask: np.ndarray) -> np.ndarray:
    """A glyph's ink (cut to its box) scaled to fit the SIZE grid, centred, smoothed by a
    3×3 box (a stroke a pixel off still overlaps)."""
    from PIL import Image

    h, w = mask.shape
    k = (SIZE - 2) / max(h, w)
    nh, nw = max(1, round(h * k)), max(1, round(w * k))
    img = Image.fromarray((mask * 255).astype(np.uint8)).resize((nw, nh), Image.BILINEAR)
    grid = np.zeros((SIZE, SIZE), np.float32)
    y0, x0 = (SIZE - nh) // 2, (SIZE - nw) // 2
    grid[y0:y0 + nh, x0:x0 + nw] = np.asarray(img, np.float32) / 255
    g = grid.copy()
    g[1:, :] += grid[:-1, :]
    g[:-1, :] += grid[1:, :]
    g2 = g.copy()
    g2[:, 1:] += g[:, :-1]
    g2[:, :-1] += g[:, 1:]
    return g2 / 9


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def _normalise(mask: np.ndarray) -> np.ndarray:
    """A glyph as a unit feature vector: its smoothed ink (mean taken out) and the
    directions of its edges per region (a histogram of gradient orientations, which
    cares less than ink how bold the typeface is), weighted equally."""
    g = _grid(mask)
    gy, gx = np.gradient(g)
    mag = np.hypot(gx, gy)
    ang = (np.arctan2(gy, gx) + np.pi) / (2 * np.pi) * HOG_BINS  # 0 .. HOG_BINS
    b0 = np.floor(ang).astype(int) % HOG_BINS
    frac = ang - np.floor(ang)
    base = _CELL_INDEX * HOG_BINS  # each pixel's region, times the bins
    n = HOG_CELLS * HOG_CELLS * HOG_BINS
    hist = (np.bincount((base + b0).ravel(), (mag * (1 - frac)).ravel(), n)
            + np.bincount((base + (b0 + 1) % HOG_BINS).ravel(), (mag * frac).ravel(), n))
    ink = _unit(g.ravel() - g.mean())
    return _unit(np.concatenate([ink, _unit(hist)]))


HOG_BINS = 8
HOG_CELLS = 4
_rows, _cols = np.indices((SIZE, SIZE)) // (SIZE // HOG_CELLS)
_CELL_INDEX = np.minimum(_rows, HOG_CELLS - 1) * HOG_CELLS + np.minimum(_cols, HOG_CELLS - 1)


@functools.cache
def _n_thai() -> int:
    """Templates are sorted Thai first: how many Thai ones there are."""
    return sum(1 for c in _templates()[3] if c in THAI_DIGITS)


@functools.cache
def _templates() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """(vectors, aspect ratios, digit values, characters) of the reference glyphs."""
    import csv
    from importlib import resources

    text = resources.files("extractor").joinpath("data/digit_glyphs.csv").read_text("utf-8")
    vecs, aspects, values, chars = [], [], [], []
    for row in csv.DictReader(text.splitlines()):
        bits = bin(int(row["bits"], 16))[2:].zfill(SIZE * SIZE)
        mask = np.array([b == "1" for b in bits], bool).reshape(SIZE, SIZE)
        ys, xs = np.nonzero(mask)
        if ys.size == 0:
            continue
        vecs.append(_normalise(mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]))
        aspects.append(float(row["aspect"]))
        ch = row["char"]
        values.append((THAI_DIGITS + LATIN_DIGITS).index(ch) % 10)
        chars.append(ch)
    order = sorted(range(len(chars)), key=lambda k: chars[k] not in THAI_DIGITS)
    return (np.array(vecs)[order], np.array(aspects)[order], np.array(values)[order],
            [chars[k] for k in order])


def classify(mask: np.ndarray, thai_only: bool = False) -> tuple[str | None, float]:
    """The digit a blob of ink is (Thai or Latin, as its closest glyph; Thai only when
    asked), with its score; None when no digit is close enough or two digits are about
    as close."""
    vecs, aspects, values, chars = _templates()
    if thai_only:
        n = _n_thai()
        vecs, aspects, values, chars = vecs[:n], aspects[:n], values[:n], chars[:n]
    h, w = mask.shape
    sims = vecs @ _normalise(mask)
    sims = sims - 0.35 * np.abs(np.log((w / h) / aspects))  # a ๑ is not a squeezed ๐
    best = int(np.argmax(sims))
    other = sims[values != values[best]]
    margin = float(sims[best] - (other.max() if other.size else -1.0))
    if sims[best] < MIN_SCORE or margin < MIN_MARGIN:
        return None, float(sims[best])
    return chars[best], float(sims[best])


def _is_slash(mask: np.ndarray) -> bool:
    """A thin stroke leaning right: its top half's ink well right of its bottom half's.

    >>> m = np.zeros((20, 8), bool)
    >>> for y in range(20): m[y, 7 - y * 7 // 19] = True
    >>> _is_slash(m), _is_slash(np.ones((20, 3), bool))
    (True, False)
    """
    h, w = mask.shape
    if w > 0.6 * h or h < 6:
        return False
    ys, xs = np.nonzero(mask)
    top, bottom = xs[ys < h / 2], xs[ys >= h / 2]
    return bool(top.size and bottom.size and top.mean() - bottom.mean() > 0.25 * w)


def _punctuation(box: tuple[int, int, int, int], body: tuple[float, float]) -> str | None:
    """A small blob between digits told by shape and place: . , - / (None: not one)."""
    x0, top, x1, bottom = box
    w, h = x1 - x0, bottom - top
    lo, hi = body  # the digits' top and bottom
    size = hi - lo
    if h <= 0.35 * size and w <= 0.35 * size:
        if top >= lo + 0.55 * size:
            return "." if bottom <= hi + 0.15 * size else ","
        return None
    if h <= 0.3 * size and w >= 1.5 * h and lo + 0.2 * size <= (top + bottom) / 2 <= hi - 0.2 * size:
        return "-"
    return None


def _only(ink: np.ndarray, b) -> np.ndarray:
    """Blob `b`'s own ink, cut to its box (a neighbour's stroke inside the box left out)."""
    from .marks import components as comps
    sub = ink[b.top:b.bottom, b.x0:b.x1]
    parts = [c for c in comps(sub) if c.area >= b.area * 0.999]
    if not parts:
        return sub
    c = parts[0]
    return sub[c.top:c.bottom, c.x0:c.x1]


def _trim(mask: np.ndarray) -> np.ndarray | None:
    ys, xs = np.nonzero(mask)
    if ys.size < 3:
        return None
    return mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


SEGMENT_COST = 0.12  # per extra piece, in score × digit heights: cut only when it pays


def _erosion_cuts(mask: np.ndarray) -> set[int]:
    """Where to cut digits that blur ran together, found by thinning the blob: worn down
    by a pixel or two, the thin bridges between them give way; the cut goes midway
    between the parts that remain."""
    cuts: set[int] = set()
    m = mask
    for _ in range(2):
        e = m.copy()
        e[1:, :] &= m[:-1, :]
        e[:-1, :] &= m[1:, :]
        e[:, 1:] &= m[:, :-1]
        e[:, :-1] &= m[:, 1:]
        parts = sorted((b for b in components(e) if b.area >= 0.05 * mask.sum()), key=lambda b: b.x0)
        for a, b in zip(parts, parts[1:]):
            cuts.add(int(round((a.x1 + b.x0) / 2)))
        m = e
    return cuts


def _read_blob(mask: np.ndarray, thai_only: bool = False) -> str | None:
    """One blob: a digit, or digits run together (blur joins neighbours at 200 dpi). The
    cuts are tried at the thin places of its column profile, and the cutting whose
    pieces read best (score weighted by width) wins, if every piece reads."""
    h, w = mask.shape
    single, single_score = classify(mask, thai_only)
    if single is not None and w <= 1.45 * h:
        return single
    col = mask.sum(axis=0)
    cuts = {x for x in range(2, w - 2) if col[x] <= col[x - 1] and col[x] <= col[x + 1]
            and col[x] <= 0.4 * h}
    cuts |= _erosion_cuts(mask)
    # Where digits of the usual width would meet: the thinnest column near each such
    # place (touching strokes leave no dip at all in the profile).
    for n in {max(2, round(w / (0.85 * h)) + d) for d in (-1, 0, 1)}:
        for k in range(1, n):
            lo, hi = int(k * w / n - 0.25 * h), int(k * w / n + 0.25 * h) + 1
            lo, hi = max(lo, 2), min(hi, w - 2)
            if lo < hi:
                cuts.add(lo + int(np.argmin(col[lo:hi])))
    points = [0] + sorted(c for c in cuts if 2 <= c <= w - 2) + [w]
    best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
    for j, x in enumerate(points[1:], 1):
        for p in points[:j]:
            if p not in best or not (0.3 * h <= x - p <= 1.5 * h):
                continue
            piece = _trim(mask[:, p:x])
            if piece is None:
                continue
            ch, score = classify(piece, thai_only)
            if ch is None:
                continue
            total = best[p][0] + score * (x - p) - SEGMENT_COST * h
            if x not in best or total > best[x][0]:
                best[x] = (total, best[p][1] + [ch])
    if w not in best or len(best[w][1]) < 2:
        return single
    return "".join(best[w][1])


def read_number(ink: np.ndarray, thai_only: bool = False,
                core: tuple[float, float] | None = None) -> str | None:
    """The digits (and . , -) in a crop of ink holding one number, left to right; None
    unless every blob is read with confidence. `core`: the x range (pixels) where the
    number surely lies; a blob centred outside it that is no digit is a neighbouring
    letter the crop took in, and is left out."""
    lo_x, hi_x = core if core is not None else (0, ink.shape[1])
    blobs = [b for b in components(ink) if b.area >= 2]
    if not blobs:
        return None
    tall = max(b.h for b in blobs)
    # A sliver at either edge is a neighbouring letter the crop cut through.
    width = ink.shape[1]
    blobs = [b for b in blobs if not ((b.x0 == 0 or b.x1 == width) and b.w < 0.5 * tall
                                      and b.h >= 0.55 * tall)]
    if not blobs:
        return None
    digits = [b for b in blobs if b.h >= 0.55 * tall]
    if not digits:
        return None
    lo = float(np.median([b.top for b in digits]))
    hi = float(np.median([b.bottom for b in digits]))
    out: list[tuple[int, str]] = []
    for b in sorted(blobs, key=lambda b: b.x0):
        outside = not (lo_x <= (b.x0 + b.x1) / 2 <= hi_x)
        if b.h >= 0.55 * tall:
            ch = "/" if _is_slash(_only(ink, b)) else _read_blob(_only(ink, b), thai_only)
            if ch is None and outside:
                continue
            if ch is None:
                return None
        else:
            ch = None if outside else _punctuation((b.x0, b.top, b.x1, b.bottom), (lo, hi))
            if ch is None:
                if b.bottom <= lo + 0.2 * (hi - lo) or b.area < 6 or outside:
                    continue  # a speck, or a mark above the line: not part of the number
                return None
        out.append((b.x0, ch))
    return "".join(ch for _, ch in out)


def _runs(pieces: list[Piece]) -> list[list[int]]:
    """Indices of consecutive digit-like pieces on one line, holding a Thai digit."""
    def near(a: Piece, b: Piece) -> bool:  # the same line, no column-wide gap (psm 6
        h = max(b.bottom - b.top, 1)      # reads across the cells of a row)
        return abs(b.cy - a.cy) < 0.5 * h and -0.5 * h < b.x0 - a.x1 < 0.8 * h

    def digit_like(k: int) -> bool:
        text = pieces[k].text
        if not _DIGIT_LIKE.match(text):
            return False
        # อ ด … stand for a digit only when no letter follows: "อ" of "องค์" is a letter.
        nxt = pieces[k + 1] if k + 1 < len(pieces) else None
        return not (_LETTER_LIKE.search(text) and nxt is not None and near(pieces[k], nxt)
                    and _THAI_LETTER.match(nxt.text))

    runs: list[list[int]] = []
    cur: list[int] = []
    for k, p in enumerate(pieces):
        like = digit_like(k)
        if like and (not cur or near(pieces[cur[-1]], p)):
            cur.append(k)
            continue
        if cur:
            runs.append(cur)
        cur = [k] if like else []
    if cur:
        runs.append(cur)
    return [r for r in runs if _HAS_THAI_DIGIT.search("".join(pieces[k].text for k in r))]


_HAS_THAI_DIGIT = re.compile("[๐-๙«»]")  # « » are what tesseract makes of a lone ๙ or ๖
_LETTER_LIKE = re.compile("[อฮฒด]")
_THAI_LETTER = re.compile("[ก-ฮะ-ฺเ-ๅ]")


def reread_digits(pieces: list[Piece], ink: np.ndarray, scale: float) -> tuple[list[Piece], int]:
    """`pieces` (tesseract's words, in points) with each number read again from `ink`
    (the page's ink mask, rules painted out, `scale` pixels per point); how many
    numbers changed."""
    if not pieces:
        return pieces, 0
    out = list(pieces)
    changed = 0
    taken: list[tuple[float, float, float]] = []  # (cy, x0, x1) of spans already read
    for run in reversed(_runs(pieces)):
        first, last = pieces[run[0]], pieces[run[-1]]
        h = max(p.bottom - p.top for p in (pieces[k] for k in run))
        # The run's span: tesseract's boxes for single Thai digits are often too narrow
        # or too wide, so from the end of the word before to the start of the word after.
        before = pieces[run[0] - 1] if run[0] > 0 else None
        after = pieces[run[-1] + 1] if run[-1] + 1 < len(pieces) else None
        x0 = min(p.x0 for p in (pieces[k] for k in run))
        x1 = max(p.x1 for p in (pieces[k] for k in run))
        if before is not None and abs(before.cy - first.cy) < 0.5 * h and before.x1 < first.x1:
            x0 = min(x0, max(before.x1, first.x0 - 0.5 * h))
        if after is not None and abs(after.cy - last.cy) < 0.5 * h and after.x0 > last.x0:
            x1 = max(x1, min(after.x0, last.x1 + 0.5 * h))
        top, bottom = min(pieces[k].top for k in run), max(pieces[k].bottom for k in run)
        for cy, a, b in taken:  # never read the same ink twice
            if abs(cy - first.cy) < 0.5 * h and a < x1 and b > x0:
                x1 = min(x1, a) if a > first.x0 else x1
                x0 = max(x0, b) if b < last.x1 else x0
        taken.append((first.cy, x0, x1))
        crop = ink[max(0, int(top * scale)):int(np.ceil(bottom * scale)),
                      max(0, int(x0 * scale)):int(np.ceil(x1 * scale))]
        if crop.size == 0:
            continue
        old = "".join(pieces[k].text for k in run)
        thai = sum(c in THAI_DIGITS for c in old) > sum(c in LATIN_DIGITS for c in old)
        left = max(0, int(x0 * scale))
        core = (min(pieces[k].x0 for k in run) * scale - left, max(pieces[k].x1 for k in run) * scale - left)
        text = read_number(crop, thai_only=thai, core=core)
        if not text or text == old:
            continue
        # Keep the script tesseract printed where the value is the same (a Latin 5 stays 5).
        # The number keeps the place tesseract gave it (its cell), not the span read.
        merged = Piece(text, min(pieces[k].x0 for k in run), top,
                       max(pieces[k].x1 for k in run), bottom, first.order)
        out[run[0]:run[-1] + 1] = [merged]
        changed += _value(text) != _value(old)
    for k, p in enumerate(out):
        p.order = k
    return out, changed


def _value(s: str) -> str:
    return s.translate(str.maketrans(THAI_DIGITS, LATIN_DIGITS))

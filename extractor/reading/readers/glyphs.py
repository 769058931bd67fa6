"""A PDF page's characters as arrays: text, displayed boxes, font size — Thai made whole.

One ctypes call per character (its loose box, written straight into a numpy array);
the text comes in one call for the page, font sizes once per run of same-sized text.
Everything after that is array work (`positioned.py`).

What other producers put in a text layer, and what is done about it here:
- glyphs with no ToUnicode entry (pdfium flags them and returns the character code):
  resolved through the embedded font (`fontmap.py`); a code point that is valid Thai or
  Latin is trusted as it is (tesseract's GlyphLessFont layer maps every glyph through one
  invalid range, yet its codes are the characters); an unresolved zero-advance mark is
  dropped, an unresolved letter becomes U+FFFD for the text-layer verdict to count;
- Chromium gives a mark glyph stacked in a cluster the whole cluster's text again
  ("หน่วน่ยงาน"): a copy lying inside the cluster it repeats is dropped;
- private-use glyphs of old Thai fonts are mapped to the characters they draw.
Spaces are not taken from the text layer (pdfium invents some, engines omit others):
`positioned.py` puts them where the glyphs leave a gap.
"""
from __future__ import annotations

import ctypes
import functools
import re
from dataclasses import dataclass

import numpy as np

from normalizers.pdftext import map_pua

# Thai marks that sit on a letter: above/below vowels, tone marks, signs (not sara am).
THAI_MARKS = frozenset("\u0e31" + "".join(chr(c) for c in range(0x0E34, 0x0E3B))
                       + "".join(chr(c) for c in range(0x0E47, 0x0E4F)))
# what a cluster-by-cluster ToUnicode gets wrong: glyphs drawn inside a cluster
_IN_CLUSTERS = THAI_MARKS | {"\u0e32", "\u0e33"}
_SKIP = frozenset("\r\n\t \u00a0\u200b\ufeff\ufffe\x00")


@dataclass
class Glyphs:
    """Units of text with boxes (points, top-left origin, as displayed): a character each
    from a PDF text layer, a word each from OCR. `size` is the em size the text is set
    in (PDF) or the word box height (OCR); `order` the unit's place in the stream."""

    text: list[str]
    x0: np.ndarray
    top: np.ndarray
    x1: np.ndarray
    bottom: np.ndarray
    size: np.ndarray
    order: np.ndarray
    space_ratio: float = 0.15  # a gap wider than this × size is a space
    line_ratio: float = 0.45  # centres further apart than this × size are other lines
    mark: np.ndarray | None = None  # which units are Thai marks (found when not given)

    def __post_init__(self) -> None:
        if self.mark is None:
            self.mark = np.fromiter((t in THAI_MARKS for t in self.text), bool, len(self.text))

    def __len__(self) -> int:
        return len(self.text)

    @functools.cached_property
    def cx(self) -> np.ndarray:
        return (self.x0 + self.x1) / 2

    @functools.cached_property
    def cy(self) -> np.ndarray:
        return (self.top + self.bottom) / 2

    def select(self, keep: np.ndarray) -> "Glyphs":
        """The glyphs where `keep` (a boolean mask) is true."""
        idx = np.flatnonzero(keep)
        return Glyphs([self.text[i] for i in idx], self.x0[idx], self.top[idx], self.x1[idx],
                      self.bottom[idx], self.size[idx], self.order[idx], self.space_ratio,
                      self.line_ratio, self.mark[idx])

    @classmethod
    def empty(cls) -> "Glyphs":
        z = np.zeros(0)
        return cls([], z, z, z, z, z, np.zeros(0, int))

    @classmethod
    def from_pieces(cls, pieces, space_ratio: float = 0.25, line_ratio: float = 0.3) -> "Glyphs":
        """OCR words (`positioned.Piece`) as glyphs; their size is their box height.
        (A PDF's em size is smaller than its glyph boxes: its ratios are larger.)"""
        n = len(pieces)
        a = np.array([(p.x0, p.top, p.x1, p.bottom, p.order) for p in pieces],
                     float).reshape(n, 5)
        return cls([p.text for p in pieces], a[:, 0], a[:, 1], a[:, 2], a[:, 3],
                   np.maximum(a[:, 3] - a[:, 1], 1.0), a[:, 4].astype(int), space_ratio, line_ratio)


@dataclass
class LayerStats:
    """What reading a page's text layer met: for the verdict and the page's notes."""

    chars: int = 0  # characters kept
    flagged: int = 0  # characters pdfium could not map to Unicode
    resolved: int = 0  # … resolved through the embedded font
    trusted: int = 0  # … whose code point was taken as it is (valid Thai/Latin)
    dropped_marks: int = 0  # … unresolved zero-advance marks left out
    unresolved: int = 0  # … unresolved letters (U+FFFD)
    duplicates: int = 0  # cluster copies dropped (Chromium)
    remapped: int = 0  # characters whose glyph box showed another character (WeasyPrint)
    invisible: bool = False  # an OCR engine's invisible text layer (ocrmypdf, scanners)
    suspicious: bool = False  # a code point no report prints was on the page
    text: str = ""  # the page's characters in stream order, for plausibility tests


# ---- pdfium calls without per-call pointer objects ----------------------------------

@functools.cache
def _fn(name: str, restype, *argtypes):
    import pypdfium2_raw.bindings as bindings
    addr = ctypes.cast(bindings._libs["pdfium"][name], ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(addr)


def _loose_boxes(tp_addr: int, n: int) -> np.ndarray:
    boxes = np.zeros((n, 4), np.float32)  # FS_RECTF: left, top, right, bottom
    get = _fn("FPDFText_GetLooseCharBox", ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
              ctypes.c_void_p)
    base = boxes.ctypes.data
    list(map(get, [tp_addr] * n, range(n), range(base, base + 16 * n, 16)))
    return boxes


def _page_text(tp, n: int) -> str:
    import pypdfium2.raw as raw
    buf = ctypes.create_string_buffer((n + 1) * 2)
    raw.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: n * 2].decode("utf-16-le", errors="replace")
    if len(text) != n:  # characters outside the BMP: one call per character
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(n))
    return text


def _plausible(ch: str) -> bool:
    """A code point a Thai report's text layer may hold as it is."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or 0x0E01 <= o <= 0x0E5B or 0x2010 <= o <= 0x2027
            or 0x2600 <= o <= 0x27BF or o in (0xA0, 0xB7, 0x2022, 0x25A1, 0x25A0, 0x25CF))


# a code point no Thai report prints as it is, or an ASCII character wedged between Thai
# letters (a glyph id read as a character; not the "." "-" "/" of "พ.ศ.", "ก.ค.-ก.ย.")
_SUSPICIOUS = re.compile("[^\r\n\t \u00a0\u200b\ufeff\ufffe\x00\x20-\x7e\u0e01-\u0e5b"
                         "\u2010-\u2027\u2600-\u27bf\u00b7\u2022\u25a0\u25a1\u25cf]"
                         "|(?<=[\u0e01-\u0e4e])[\x21-\x2c\x30-\x7e](?=[\u0e01-\u0e4e])")


def _suspicious(text: str) -> bool:
    """Whether a page may hold flagged glyphs worth resolving (see `_SUSPICIOUS`).

    >>> _suspicious("รายงาน พ.ศ. ๒๕๖๖ ก.ค.-ก.ย. ☑"), _suspicious("ด\u013bาเนิน"), _suspicious("ด;าเนิน")
    (False, True, True)
    """
    return _SUSPICIOUS.search(text) is not None


class _Fonts:
    """Embedded fonts of a document, read once each, keyed by name and data size."""

    def __init__(self) -> None:
        self.cache: dict[tuple[bytes, int], object] = {}
        self.by_handle: dict[int, object] = {}
        self.untrusted: set[int] = set()  # ids of fonts whose ToUnicode left glyphs out

    def page_done(self) -> None:
        self.by_handle.clear()

    def of_char(self, tp, i: int):
        import pypdfium2.raw as raw
        from .fontmap import EmbeddedFont

        obj = raw.FPDFText_GetTextObject(tp, i)
        if not obj:
            return None
        handle = ctypes.cast(obj, ctypes.c_void_p).value
        if handle in self.by_handle:  # a text object's font, while the page is open
            return self.by_handle[handle]
        font = raw.FPDFTextObj_GetFont(obj)
        if not font:
            return None
        name = ctypes.create_string_buffer(256)
        raw.FPDFFont_GetBaseFontName(font, name, 256)
        size = ctypes.c_size_t()
        raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))
        key = (name.value, size.value)
        if key not in self.cache:
            buf = (ctypes.c_uint8 * size.value)()
            ok = size.value and raw.FPDFFont_GetFontData(font, buf, size.value, ctypes.byref(size))
            self.cache[key] = EmbeddedFont(bytes(buf) if ok else b"")
        self.by_handle[handle] = self.cache[key]
        return self.cache[key]


def _resolve_flagged(tp, chars: list[str], keep: np.ndarray, widths: np.ndarray,
                     fonts: _Fonts, stats: LayerStats) -> None:
    """Replace flagged characters with what their glyph is (see module docstring)."""
    import pypdfium2.raw as raw

    flag = raw.FPDFText_HasUnicodeMapError
    for i in np.flatnonzero(keep):
        if flag(tp, int(i)) != 1:
            continue
        stats.flagged += 1
        ch = chars[i]
        font = fonts.of_char(tp, int(i))
        if font is not None:
            fonts.untrusted.add(id(font))
        text = font.resolve(ord(ch)) if font is not None and len(ch) == 1 else None
        if text and all(_plausible(c) or c in THAI_MARKS for c in text):
            chars[i] = text
            stats.resolved += 1
        elif _plausible(ch) and ch not in " \x7f":
            stats.trusted += 1  # GlyphLessFont: the code is the character
        elif widths[i] < 0.5:  # a zero-advance mark nobody can name: leave it out
            keep[i] = False
            stats.dropped_marks += 1
        else:
            chars[i] = "\ufffd"
            stats.unresolved += 1


def _check_by_box(tp, chars: list[str], keep: np.ndarray, fonts: _Fonts,
                  stats: LayerStats) -> None:
    """A font whose ToUnicode left some glyphs out was mapped cluster by cluster
    (WeasyPrint: a glyph gets the text of the first cluster it was drawn in, so a
    lowered ้ may read "่", า may read "ำ"). Each Thai character set in such a font is
    checked against the glyph its ink box shows (`EmbeddedFont.by_box`) and takes that
    glyph's text when the box names one character and the text layer says another."""
    import pypdfium2.raw as raw

    l, r, b, t = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    m = raw.FS_MATRIX()
    for i in np.flatnonzero(keep):
        ch = chars[i]
        if ch not in _IN_CLUSTERS:
            continue
        font = fonts.of_char(tp, int(i))
        if font is None or id(font) not in fonts.untrusted or not font.boxes:
            continue
        if not (raw.FPDFText_GetCharBox(tp, int(i), *map(ctypes.byref, (l, r, b, t)))
                and raw.FPDFText_GetCharOrigin(tp, int(i), ctypes.byref(x), ctypes.byref(y))
                and raw.FPDFText_GetMatrix(tp, int(i), ctypes.byref(m))):
            continue
        if abs(m.b) > 1e-3 or abs(m.c) > 1e-3 or m.a <= 0 or m.d <= 0:
            continue  # rotated or mirrored text: boxes are not comparable
        em = raw.FPDFText_GetFontSize(tp, int(i)) * m.a
        if em <= 0:
            continue
        k = font.upm / em
        seen = font.by_box(((l.value - x.value) * k, (b.value - y.value) * k,
                            (r.value - x.value) * k, (t.value - y.value) * k))
        named = {map_pua(s) for s in seen}
        if len(named) == 1 and map_pua(ch) not in named and named <= _IN_CLUSTERS:
            chars[i] = named.pop()
            stats.remapped += 1


def _invisible(tp, keep: np.ndarray, sample: int = 15) -> bool:
    """Whether the page's text is an OCR layer: drawn invisible (render mode 3) over
    the page image, as ocrmypdf/tesseract and scanner software write it. Its glyphs are
    spread evenly over each recognised word's box: only the word boxes mean anything."""
    import pypdfium2.raw as raw

    idx = np.flatnonzero(keep)
    if len(idx) == 0:
        return False
    picks = idx[np.linspace(0, len(idx) - 1, min(sample, len(idx))).astype(int)]
    hidden = 0
    for i in picks:
        obj = raw.FPDFText_GetTextObject(tp, int(i))
        hidden += bool(obj) and raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE
    return hidden * 2 > len(picks)


def _split_runs(tp, chars: list[str], keep: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    """Runs of ≥ 2 kept characters sharing one glyph: pdfium splits a glyph whose
    ToUnicode entry holds several characters (a whole Thai cluster) into equal, abutting
    boxes of the same height, all at the glyph's origin (equal widths alone are common:
    digits). Only runs holding a character drawn inside clusters matter here."""
    import pypdfium2.raw as raw

    idx = np.flatnonzero(keep)
    if len(idx) < 2:
        return []
    l, t, r, bt = b[idx, 0], b[idx, 1], b[idx, 2], b[idx, 3]
    w = r - l
    same = ((np.abs(l[1:] - r[:-1]) < 0.02) & (np.abs(w[1:] - w[:-1]) < 0.02)
            & (np.abs(t[1:] - t[:-1]) < 0.02) & (np.abs(bt[1:] - bt[:-1]) < 0.02))
    if not same.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
    x, y = ctypes.c_double(), ctypes.c_double()
    runs = []
    for a, e in zip(edges[::2], edges[1::2]):
        if not any(chars[i] in _IN_CLUSTERS for i in idx[a:e + 1].tolist()):
            continue
        origins = []
        for i in idx[a:e + 1]:
            raw.FPDFText_GetCharOrigin(tp, int(i), ctypes.byref(x), ctypes.byref(y))
            origins.append((round(x.value, 2), round(y.value, 2)))
        # split the candidate where the origin changes: glyphs of their own
        k = 0
        while k < len(origins):
            j = k + 1
            while j < len(origins) and origins[j] == origins[k]:
                j += 1
            if j - k >= 2:
                runs.append(idx[a + k:a + j])
            k = j
    return runs


def _drop_cluster_copies(chars: list[str], keep: np.ndarray, b: np.ndarray,
                         runs: list[np.ndarray], stats: LayerStats) -> list[np.ndarray]:
    """Chromium maps every glyph of a multi-glyph cluster to the cluster's text: a mark
    glyph then repeats its cluster, split over its own box, over the cluster it copies.
    A split run whose text repeats one of the few runs before it and overlaps it is
    such a copy: dropped. Returns the runs left."""
    texts = ["".join(chars[i] for i in run) for run in runs]
    left = []
    for j, run in enumerate(runs):
        copy = False
        if any(chars[i] in _IN_CLUSTERS for i in run):
            l, r = b[run[0], 0], b[run[-1], 2]
            cy, h = (b[run[0], 1] + b[run[0], 3]) / 2, abs(b[run[0], 1] - b[run[0], 3])
            for p in range(max(0, j - 4), j):
                if texts[p] != texts[j] or not keep[runs[p][0]]:
                    continue
                q = runs[p]
                pl, pr = b[q[0], 0], b[q[-1], 2]
                pcy, ph = (b[q[0], 1] + b[q[0], 3]) / 2, abs(b[q[0], 1] - b[q[0], 3])
                # a mark's ink over (part of) the cluster it copies, on the same line
                if min(r, pr) - max(l, pl) >= 0.25 * (r - l) and abs(cy - pcy) <= 2 * max(h, ph):
                    copy = True
                    break
        if copy:
            keep[run] = False
            stats.duplicates += len(run)
        else:
            left.append(run)
    return left


def _cluster_extents(tp, runs: list[np.ndarray], b: np.ndarray, sizes: np.ndarray,
                     marks: np.ndarray) -> None:
    """A split run's box is one glyph's ink (a mark's, a letter's), not the cluster's
    advance: its letters are set from the glyph's origin over an estimated advance
    (0.6 em a letter), so that no space is read between clusters that touch."""
    import pypdfium2.raw as raw

    x, y = ctypes.c_double(), ctypes.c_double()
    for run in runs:
        letters = run[~marks[run]]
        if len(letters) == 0 or not raw.FPDFText_GetCharOrigin(tp, int(run[0]), ctypes.byref(x),
                                                                 ctypes.byref(y)):
            continue
        em = sizes[letters[0]]
        left = x.value
        right = max(float(b[run[-1], 2]), left + 0.6 * em * len(letters))
        b[letters, 0], b[letters, 2] = left, right


def _sizes(tp, keep: np.ndarray, b: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Em size of each character: pdfium's font size times the text matrix's scale
    (Chromium writes 18.66 at a 0.75 scale for 14 pt), asked once per run of characters
    whose loose boxes share top and bottom (same font and size)."""
    import pypdfium2.raw as raw

    n = len(b)
    sizes = np.zeros(n)
    base = np.flatnonzero(keep & ~marks)
    if len(base) == 0:
        return sizes
    # Glyphs whose box is their ink (a short box: a mark's, a cluster's) say nothing of
    # the run they are in: they take the size of the letter before them.
    heights = np.abs(b[base, 1] - b[base, 3])
    base = base[heights >= 0.7 * np.median(heights)]
    if len(base) == 0:
        return sizes
    t, bt = b[base, 1], b[base, 3]
    starts = np.concatenate(([True], (np.abs(t[1:] - t[:-1]) > 0.05)
                             | (np.abs(bt[1:] - bt[:-1]) > 0.05)))
    m = raw.FS_MATRIX()
    per_run = []
    known: dict[tuple[float, float], float] = {}  # box height → em: one font, one size
    for i, h in zip(base[starts].tolist(), np.round(np.abs(t - bt)[starts], 2).tolist()):
        if h not in known:
            fs = raw.FPDFText_GetFontSize(tp, i)
            scale = 1.0
            if raw.FPDFText_GetMatrix(tp, i, ctypes.byref(m)):
                scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
            known[h] = fs * scale
        per_run.append(known[h])
    run_of = np.cumsum(starts) - 1
    sizes[base] = np.asarray(per_run)[run_of]
    # marks (and anything else) take the size of the nearest base before them
    filled = np.zeros(n, bool)
    filled[base] = True
    last = np.maximum.accumulate(np.where(filled, np.arange(n), -1))
    first = base[0]
    sizes = np.where(filled, sizes, sizes[np.where(last >= 0, last, first)])
    return sizes


def page_glyphs(page, to_display, fonts: _Fonts | None = None) -> tuple[Glyphs, LayerStats]:
    """The page's characters (whitespace left out: spaces come from geometry) with their
    displayed loose boxes and em sizes, and what reading them met."""
    import pypdfium2.raw as raw

    stats = LayerStats()
    tp = page.get_textpage()
    try:
        n = raw.FPDFText_CountChars(tp)
        if n <= 0:
            return Glyphs.empty(), stats
        text = _page_text(tp, n)
        b = _loose_boxes(ctypes.cast(tp.raw, ctypes.c_void_p).value, n).astype(np.float64)
        text = map_pua(text.replace("\x02", "-"))  # pdfium's line-end hyphen: keep it
        chars = list(text)
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        keep = ~np.isin(codes, _SKIP_CODES)
        widths = b[:, 2] - b[:, 0]
        fonts = fonts or _Fonts()
        stats.suspicious = _suspicious(text)
        if stats.suspicious:
            _resolve_flagged(tp, chars, keep, widths, fonts, stats)
            if fonts.untrusted:
                _check_by_box(tp, chars, keep, fonts, stats)
        stats.invisible = _invisible(tp, keep)
        marks = None
        if stats.invisible:  # OCR words: their boxes are all there is
            sizes = np.abs(b[:, 1] - b[:, 3])
        else:
            runs = _drop_cluster_copies(chars, keep, b, _split_runs(tp, chars, keep, b), stats)
            marks = _is_mark(chars, codes, stats.flagged > 0)
            sizes = _sizes(tp, keep, b, marks)
            if runs:
                _cluster_extents(tp, runs, b, sizes, marks)
    finally:
        tp.close()
        if fonts is not None:
            fonts.page_done()
    idx = np.flatnonzero(keep)
    stats.chars = len(idx)
    kept = [chars[i] for i in idx.tolist()]
    stats.text = "".join(kept)
    x0, top, x1, bottom = to_display(b[idx, 0], b[idx, 3], b[idx, 2], b[idx, 1])
    mark = (marks if marks is not None else _is_mark(chars, codes, stats.flagged > 0))[idx]
    if stats.invisible:  # read as the OCR reader reads tesseract's words
        return Glyphs(kept, x0, top, x1, bottom, np.maximum(sizes[idx], 1.0),
                      idx, space_ratio=0.25, line_ratio=0.3, mark=mark), stats
    return Glyphs(kept, x0, top, x1, bottom, sizes[idx], idx, mark=mark), stats


_SKIP_CODES = np.array(sorted(ord(c) for c in _SKIP), np.uint32)
_MARK_CODES = np.array(sorted(ord(c) for c in THAI_MARKS), np.uint32)


def _is_mark(chars: list[str], codes: np.ndarray, changed: bool) -> np.ndarray:
    """Which characters are Thai marks: from the page's code points, or — after glyphs
    were resolved (a character may have become several) — from the characters."""
    if changed:
        return np.fromiter((c in THAI_MARKS for c in chars), bool, len(chars))
    return np.isin(codes, _MARK_CODES)

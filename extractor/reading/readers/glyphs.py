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
  WeasyPrint's cluster-by-cluster ToUnicode is checked against each mark's glyph box;
- Chromium gives a mark glyph stacked in a cluster the whole cluster's text again
  ("หน่วน่ยงาน"): a copy lying over the cluster it repeats is dropped, and a cluster
  whose text sits on one glyph gets its advance (`clusters.py`);
- an OCR engine's invisible layer (ocrmypdf) is read as words: its glyph boxes are the
  recognised words' boxes spread evenly;
- private-use glyphs of old Thai fonts are mapped to the characters they draw.
Spaces are not taken from the text layer (pdfium invents some, engines omit others):
`positioned.py` puts them where the glyphs leave a gap.
"""
from __future__ import annotations

import ctypes
import functools
import itertools
import operator
import re
from dataclasses import dataclass, field

import numpy as np

from normalizers.pdftext import map_pua

from .clusters import THAI_MARKS, cluster_extents, drop_cluster_copies, in_clusters, split_runs
from .boxcheck import check_by_box
from .codepoints import CodeSet
from .ocr_layer import OCR_SPACE, is_ocr_layer, ocr_words
from .suspicious import suspicious
from .fontmap import Fonts, recode_simple_fonts, resolve_flagged
from .pdfium_calls import function, handle, scratch

# Thai consonants without a descender: they stand on the line
ON_LINE = frozenset(chr(c) for c in range(0x0E01, 0x0E2F)) - set("ฎฏฐญฤฦ")
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
    ocr: bool = False  # words an OCR engine read (its years may be misread: ๖ → ๒)
    space_em: float | None = None  # the page's word space (its space glyphs), in em
    # the units' text joined, as the text layer read it (not joined again where asked)
    joined: str | None = field(default=None, repr=False, compare=False)

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

    @functools.cached_property
    def on_line(self) -> np.ndarray:
        """Which units are Thai consonants standing on the line (no descender): where a
        line's foot is measured (`positioned.TextLine.foot`)."""
        joined = self.joined if self.joined is not None else "".join(self.text)
        if len(joined) == len(self.text):  # one code point each: as an array
            return _ON_LINE_CODES.mask(np.frombuffer(joined.encode("utf-32-le"), np.uint32))
        return np.fromiter((t in ON_LINE for t in self.text), bool, len(self.text))

    @functools.cached_property
    def texts(self) -> np.ndarray:
        """`text` as an object array: the units of a line or cell picked by index in C,
        not one by one in Python."""
        out = np.empty(len(self.text), object)
        out[:] = self.text
        return out

    @functools.cached_property
    def boxes(self) -> np.ndarray:
        """x0, top, x1, bottom as one (n, 4) array: a group's box in two reductions."""
        return np.stack((self.x0, self.top, self.x1, self.bottom), axis=1)

    def select(self, keep: np.ndarray) -> "Glyphs":
        """The glyphs where `keep` (a boolean mask) is true."""
        idx = np.flatnonzero(keep)
        return Glyphs(self.texts[idx].tolist(), self.x0[idx], self.top[idx], self.x1[idx],
                      self.bottom[idx], self.size[idx], self.order[idx], self.space_ratio,
                      self.line_ratio, self.mark[idx], self.ocr, self.space_em)

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
    recoded: int = 0  # codes of a font with no ToUnicode read as their glyphs, not Latin
    unknown_fonts: set[str] = field(default_factory=set)  # fonts naming no glyph, not installed
    invisible: bool = False  # an OCR engine's invisible text layer (ocrmypdf, scanners)
    suspicious: bool = False  # a code point no report prints was on the page
    text: str = ""  # the page's characters in stream order, for plausibility tests


# ---- pdfium asked per character (`pdfium_calls`: no ctypes objects per call) ----------

def _loose_boxes(tp_addr: int, n: int, which: np.ndarray | None = None) -> np.ndarray:
    """The loose boxes of the page's characters (of those in `which` only, the rest left
    zero), as float64: left, top, right, bottom."""
    buf, rows = scratch(16, n)  # FS_RECTF: four floats a row
    get = function("FPDFText_GetLooseCharBox", ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                   ctypes.c_void_p)
    if which is None:
        list(map(get, itertools.repeat(handle(tp_addr), n), range(n), rows[:n]))
    elif len(which):
        at = which.tolist()
        list(map(get, itertools.repeat(handle(tp_addr), len(at)), at,
                 operator.itemgetter(*at)(rows) if len(at) > 1 else [rows[at[0]]]))
    return buf.view(np.float32).reshape(n, 4).astype(np.float64)


def _page_text(tp, n: int) -> str:
    buf = np.zeros(n + 1, np.uint16)  # (a ctypes buffer makes a type for every length)
    tp_handle = handle(ctypes.cast(tp.raw, ctypes.c_void_p).value)
    function("FPDFText_GetText", ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
             ctypes.c_void_p)(tp_handle, 0, n, handle(buf.ctypes.data))
    text = buf[:n].tobytes().decode("utf-16-le", errors="replace")
    # Outside the BMP, or control codes (a font with no ToUnicode: pdfium's text drops
    # some and no longer lines up with the characters): one (direct) call per character.
    if len(text) != n or _CONTROL.search(text):
        get = function("FPDFText_GetUnicode", ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
        text = "".join(map(chr, map(get, itertools.repeat(tp_handle, n), range(n))))
    return text


_CONTROL = re.compile("[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f]")


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
    base = base[heights >= 0.7 * _median(heights)]
    if len(base) == 0:
        return sizes
    t, bt = b[base, 1], b[base, 3]
    starts = np.concatenate(([True], (np.abs(t[1:] - t[:-1]) > 0.05)
                             | (np.abs(bt[1:] - bt[:-1]) > 0.05)))
    m = raw.FS_MATRIX()
    pm = ctypes.byref(m)
    # box height → em: one font, one size; asked of the first run of each height
    heights = np.round(np.abs(t - bt)[starts], 2)
    _, first, per_run = np.unique(heights, return_index=True, return_inverse=True)
    ems = []
    for i in base[starts][first].tolist():
        fs = raw.FPDFText_GetFontSize(tp, i)
        scale = 1.0
        if raw.FPDFText_GetMatrix(tp, i, pm):
            scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
        ems.append(fs * scale)
    run_of = np.cumsum(starts) - 1
    sizes[base] = np.asarray(ems)[per_run.reshape(-1)][run_of]
    # marks (and anything else) take the size of the nearest base before them
    filled = np.zeros(n, bool)
    filled[base] = True
    last = np.maximum.accumulate(np.where(filled, np.arange(n), -1))
    first = base[0]
    sizes = np.where(filled, sizes, sizes[np.where(last >= 0, last, first)])
    return sizes


class _TextPage:
    """A page's pdfium text page, loaded and closed directly: pypdfium2's `get_textpage`
    adds a finalizer and parent bookkeeping per page (a twentieth of loading a text page)
    to a handle that is closed before its page here anyway. `raw` and `_as_parameter_` as
    pypdfium2's text page has them."""

    __slots__ = ("raw", "_as_parameter_")

    def __init__(self, page) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self.raw = self._as_parameter_ = raw.FPDFText_LoadPage(page)
        if not self.raw:
            raise pdfium.PdfiumError("Failed to load text page.")

    def close(self) -> None:
        import pypdfium2.raw as raw

        raw.FPDFText_ClosePage(self.raw)


def page_glyphs(page, to_display, fonts: Fonts | None = None) -> tuple[Glyphs, LayerStats]:
    """The page's characters (whitespace left out: spaces come from geometry) with their
    displayed loose boxes and em sizes, and what reading them met."""
    import pypdfium2.raw as raw

    stats = LayerStats()
    tp = _TextPage(page)
    try:
        n = raw.FPDFText_CountChars(tp)
        if n <= 0:
            return Glyphs.empty(), stats
        text = _page_text(tp, n)
        # pdfium's line breaks (\r\n after each line) are no glyphs and their boxes are
        # not read — unless the page holds codes a glyph may have been read as (then a
        # flagged glyph code 10 or 13 is a glyph)
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        careful = len(codes) != n or suspicious(codes)
        breaks = None if careful else np.flatnonzero((codes != 10) & (codes != 13))
        b = _loose_boxes(ctypes.cast(tp.raw, ctypes.c_void_p).value, n, breaks)
        read = text
        text = map_pua(text.replace("\x02", "-"))  # pdfium's line-end hyphen: keep it
        if "\ufffe" in text:  # … also where pdfium reports a drawn line-end "-" as U+FFFE
            text = _drawn_hyphens(text, b)
        if text != read:
            codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        keep = ~_SKIP_CODES.mask(codes)
        widths = b[:, 2] - b[:, 0]
        fonts = fonts or Fonts()
        # (plain codes stay plain: a drawn hyphen, U+FFFE, becomes "-")
        stats.suspicious = careful and suspicious(codes)
        # the characters, as a list where glyphs may be resolved (a character may become
        # several); else the text itself, read by index as the list would be
        chars = list(text) if stats.suspicious else text
        if stats.suspicious:
            flagged = resolve_flagged(tp, chars, keep, widths, fonts, stats)
            if stats.resolved and any(f.installed for f in fonts.cache.values()):
                recode_simple_fonts(tp, chars, keep, fonts, stats, flagged)
            if fonts.untrusted:
                check_by_box(tp, chars, keep, fonts, stats)
        stats.invisible = is_ocr_layer(tp, keep)
        marks = None
        if stats.invisible:  # OCR words: their boxes are all there is
            words = ocr_words(tp, chars, keep, b)
        else:
            inside = in_clusters(chars, codes, stats.flagged > 0)
            runs = drop_cluster_copies(chars, keep, b, split_runs(tp, chars, keep, b, inside),
                                       stats, inside)
            marks = _is_mark(chars, codes, stats.flagged > 0)
            sizes = _sizes(tp, keep, b, marks)
            if runs:
                cluster_extents(tp, runs, b, sizes, marks)
    finally:
        tp.close()
        if fonts is not None:
            fonts.page_done()
    idx = np.flatnonzero(keep)
    stats.chars = len(idx)
    if isinstance(chars, str):  # (one code point each: the kept text cut out of the codes)
        stats.text = codes[keep].tobytes().decode("utf-32-le")
        kept = list(stats.text)
    else:
        kept = list(itertools.compress(chars, keep.tolist()))
        stats.text = "".join(kept)
    if stats.invisible:  # read as the OCR reader reads tesseract's words
        texts, wb, order = words
        if not texts:
            return Glyphs.empty(), stats
        x0, top, x1, bottom = to_display(wb[:, 0], wb[:, 3], wb[:, 2], wb[:, 1])
        return Glyphs(texts, x0, top, x1, bottom, np.maximum(bottom - top, 1.0), order,
                      space_ratio=OCR_SPACE, line_ratio=0.3, ocr=True), stats
    kb = np.take(b, idx, axis=0)
    x0, top, x1, bottom = to_display(kb[:, 0], kb[:, 3], kb[:, 2], kb[:, 1])
    mark = (marks if marks is not None else _is_mark(chars, codes, stats.flagged > 0))[idx]
    return Glyphs(kept, x0, top, x1, bottom, sizes[idx], idx, mark=mark,
                  space_em=_space_em(codes, b, sizes), joined=stats.text), stats


def _space_em(codes: np.ndarray, b: np.ndarray, sizes: np.ndarray) -> float | None:
    """How wide the page's word space is, in em: the median advance of its space glyphs
    (pdfium's own inserted spaces have no width), each against the size of the text
    before it. None when the producer positions words without space glyphs."""
    sp = np.flatnonzero(codes == 32)
    if len(sp) < 3:
        return None
    w = b[sp, 2] - b[sp, 0]
    em = sizes[np.maximum(sp - 1, 0)]
    ok = (w > 0.5) & (em > 0)
    if ok.sum() < 3:
        return None
    return float(_median(w[ok] / em[ok]))


def _median(x: np.ndarray):
    """`np.median(x)`, the same value, by partition (np.median's overhead is most of its
    time on a page's few thousand values).

    >>> float(_median(np.array([3.0, 1.0, 2.0]))), float(_median(np.array([4.0, 1.0, 3.0, 2.0])))
    (2.0, 2.5)
    """
    n = len(x)
    if n == 0 or np.isnan(x).any():
        return np.median(x)
    k = n // 2
    if n % 2:
        return np.partition(x, k)[k]
    p = np.partition(x, (k - 1, k))
    return (p[k - 1] + p[k]) / 2


def _drawn_hyphens(text: str, boxes: np.ndarray) -> str:
    """U+FFFE where pdfium marks a hyphen ending a line ("E-" / "Service", "มกราคม-" /
    "มีนาคม" in a narrow column) is that hyphen when the glyph has a box; else skipped."""
    chars = list(text)
    for i in (i for i, c in enumerate(chars) if c == "\ufffe"):
        if i < len(boxes) and boxes[i, 2] > boxes[i, 0]:
            chars[i] = "-"
    return "".join(chars)


_SKIP_CODES = CodeSet(_SKIP)
_ON_LINE_CODES = CodeSet(ON_LINE)
_MARK_CODES = CodeSet(THAI_MARKS)


def _is_mark(chars: list[str], codes: np.ndarray, changed: bool) -> np.ndarray:
    """Which characters are Thai marks: from the page's code points, or — after glyphs
    were resolved (a character may have become several) — from the characters."""
    if changed:
        return _MARK_CODES.of_chars(chars)
    return _MARK_CODES.mask(codes)

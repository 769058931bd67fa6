"""WeasyPrint's cluster-by-cluster ToUnicode checked against the glyphs' own ink boxes.

A font whose ToUnicode left some glyphs out was mapped cluster by cluster (WeasyPrint: a
glyph gets the text of the first cluster it was drawn in, so a lowered ้ may read "่", า
may read "ำ"). Each Thai character set in such a font is checked against the glyph its
ink box shows (`EmbeddedFont.by_box`). A page holds thousands of such characters but few
distinct boxes: the boxes are computed as arrays, and each distinct box (as `by_box`
keys it) is looked up once, so the per-character work is a comparison.
"""
from __future__ import annotations

import ctypes
import functools
from typing import TYPE_CHECKING

import numpy as np

from normalizers.pdftext import map_pua

from .clusters import IN_CLUSTERS
from .codepoints import CodeSet
from .fontcache import Fonts, _font_index
from .pdfium_calls import per_char as _per_char

if TYPE_CHECKING:
    from .glyphs import LayerStats

_IN_CLUSTER_CODES = CodeSet(IN_CLUSTERS)


def check_by_box(tp, chars: list[str], keep: np.ndarray, fonts: Fonts,
                 stats: LayerStats) -> None:
    """Each kept Thai character drawn inside clusters, in a font whose ToUnicode left
    glyphs out, takes its glyph's text when the ink box names one character and the
    text layer says another (unless the layer's own character is about as close: glyphs
    of near shapes, ี ื, differ by a stroke's height)."""
    kept = np.flatnonzero(keep)
    joined = "".join(chars)
    if len(joined) == len(chars):  # one code point each: test the codes as an array
        codes = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
        idx = kept[_IN_CLUSTER_CODES.mask(codes[kept])].tolist()
    else:  # (a resolved glyph stands for several characters)
        codes = None
        idx = [i for i in kept.tolist() if chars[i] in IN_CLUSTERS]
    found, which = _font_index(tp, fonts, idx)
    # the fonts whose glyphs are checked, each numbered once (a page's text objects share few)
    number: dict[int, int] = {}
    fonts_of = []
    for f in found:
        if f is not None and id(f) in fonts.untrusted and f.boxes and id(f) not in number:
            number[id(f)] = len(fonts_of)
            fonts_of.append(f)
    owner_of = np.array([number.get(id(f), -1) for f in found], int)[which] if found else \
        np.zeros(0, int)
    sel = np.flatnonzero(owner_of >= 0)
    if not len(sel):
        return
    todo, owner = np.asarray(idx)[sel].tolist(), owner_of[sel]
    boxes, good = _ink_boxes(tp, todo, np.array([f.upm for f in fonts_of], float)[owner],
                             which[sel])
    # each distinct box (as `by_box` keys it: font units / 4, rounded) asked once, with
    # the first box of the page that has its key — as one call per character would
    keys = np.round(boxes / 4)
    named = np.full(len(todo), None, object)
    one_code = np.full(len(todo), -1, np.int64)  # the one character's code (-1: none named)
    for u, font in enumerate(fonts_of):
        m = np.flatnonzero(good & (owner == u))
        if not len(m):
            continue
        first, inverse = _distinct_rows(keys[m])
        looked = np.full(len(first), None, object)
        for j, f in enumerate(first.tolist()):
            looked[j] = _single(font.by_box(tuple(boxes[m[f]].tolist())))
        named[m] = looked[inverse]
        one_code[m] = np.array([-1 if one is None else ord(next(iter(one)))
                                for one in looked.tolist()], np.int64)[inverse]
    # The characters checked are single characters drawn inside clusters (no private-use
    # code: `map_pua` keeps them) and a box names one such character: most agree, tested
    # as codes; the rest are looked at one by one.
    own_code = codes[todo].astype(np.int64) if codes is not None else \
        np.array([ord(chars[i]) for i in todo], np.int64)
    for k in np.flatnonzero((one_code >= 0) & (one_code != own_code)).tolist():
        i, one, u = todo[k], named[k], int(owner[k])
        ch = map_pua(chars[i])
        if ch in one:
            continue
        font = fonts_of[u]
        if ch in {map_pua(s) for s in font.by_box(tuple(boxes[k].tolist()), slack=48.0)}:
            continue
        chars[i] = next(iter(one))
        stats.remapped += 1


def _distinct_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(keys, axis=0)`'s first index of each distinct row and each row's
    distinct row, in its order (rows sorted): the four small integers of a row packed
    into one, and sorted as one (a row sort costs ten times as much).

    >>> k = np.array([[1, -2, 3, 4], [0, 5, 5, 5], [1, -2, 3, 4], [0, 5, 5, -9]], float)
    >>> [a.tolist() for a in _distinct_rows(k)]
    [[3, 1, 0], [2, 1, 2, 0]]
    """
    if len(keys) and np.abs(keys).max() < 1 << 15:
        packed = np.zeros(len(keys), np.uint64)
        for col in range(4):  # (the first column most significant: rows' order kept)
            packed = (packed << np.uint64(16)) | (keys[:, col] + (1 << 15)).astype(np.uint64)
        _, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


@functools.lru_cache(maxsize=4096)
def _single(texts: frozenset[str]) -> frozenset[str] | None:
    """The one character drawn inside clusters a box names, or None (several, none)."""
    named = frozenset(map_pua(s) for s in texts)
    return named if len(named) == 1 and named <= IN_CLUSTERS else None


def _ink_boxes(tp, idx: list[int], upm: np.ndarray,
               obj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each character's ink box in its font's units, origin at its pen position, as an
    (n, 4) array (left, bottom, right, top), and which boxes are good: pdfium answered,
    the text is neither rotated nor mirrored (boxes would not compare), its size known.
    `obj`: each character's text object (any numbering). pdfium gives a character the
    matrix and font size of its text object, so they are asked of each object's first
    character only (a run's object holds dozens of characters; only the spaces pdfium
    makes up differ, and no space is checked)."""
    n = len(idx)
    lrbt = np.zeros((4, n))  # left, right, bottom, top: one array per out-parameter
    xy = np.zeros((2, n))
    ok = np.array(_per_char(tp, "FPDFText_GetCharBox", ctypes.c_int, idx, *lrbt)) != 0
    ok &= np.array(_per_char(tp, "FPDFText_GetCharOrigin", ctypes.c_int, idx, *xy)) != 0
    _, first, of = np.unique(obj, return_index=True, return_inverse=True)
    of = of.reshape(-1)
    heads = np.asarray(idx)[first].tolist()
    mat = np.zeros((len(heads), 6), np.float32)  # FS_MATRIX: a b c d e f (floats)
    ok &= (np.array(_per_char(tp, "FPDFText_GetMatrix", ctypes.c_int, heads, mat)) != 0)[of]
    sizes = np.array(_per_char(tp, "FPDFText_GetFontSize", ctypes.c_double, heads), float)[of]
    a, mb, mc, d = mat[of, :4].astype(np.float64).T
    ok &= ~((np.abs(mb) > 1e-3) | (np.abs(mc) > 1e-3) | (a <= 0) | (d <= 0))
    em = sizes * a
    ok &= ~(em <= 0)
    q = upm / np.where(ok, em, 1.0)
    l, r, b, t = lrbt
    x, y = xy
    return np.stack(((l - x) * q, (b - y) * q, (r - x) * q, (t - y) * q), axis=1), ok

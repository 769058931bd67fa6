"""What an embedded font says a glyph is, for glyphs whose ToUnicode entry is missing
or wrong; and the resolution of a page's flagged glyphs with it (`resolve_flagged`;
`boxcheck.py` checks glyphs by their ink boxes; `fontcache.Fonts` reads each font once per
document).

HTML-to-PDF engines write ToUnicode per glyph from their shaping output: a glyph that
only ever appeared inside a cluster (the nikhahit of a decomposed sara am, a tone mark
stacked in a cluster) gets no entry, and pdfium flags it (`FPDFText_HasUnicodeMapError`)
and hands back its character code. That code names the glyph (Identity-H CID fonts: the
glyph id; simple fonts: a byte the font's own (1,0)/(3,0) cmap turns into a glyph id), and
the embedded font program usually still knows the glyph: its Unicode cmap maps a
character to it, a GSUB substitution produces it from one, or its name in `post`
("uni0E4D", "nikhahit"). This module reads those with fontTools.
"""
from __future__ import annotations

import ctypes
import io
import logging
import re
from typing import TYPE_CHECKING

import numpy as np

from normalizers.pdftext import map_pua

from .clusters import THAI_MARKS
from .codepoints import CodeSet
from .fontcache import Fonts, _fonts_of
from .glyph_order import glyph_order
from .pdfium_calls import per_char as _per_char

if TYPE_CHECKING:
    from .glyphs import LayerStats

# subset fonts carry a zero "modified" date, which fontTools warns of on every read
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_UNI_NAME = re.compile(r"^uni([0-9A-F]{4})(?:\.|$)|^u([0-9A-F]{4,6})(?:\.|$)")


class EmbeddedFont:
    """A font program's own knowledge of its glyphs: glyph id → text, byte → glyph id."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.name, self._data = name, data
        self.installed: int | None = None  # glyphs named through the installed font
        self.gid_text: dict[int, str] = {}
        self.code_gid: dict[int, int] = {}
        self.n_glyphs = 0
        self.upm = 1000
        self.boxes: dict[int, tuple[int, int, int, int]] = {}  # gid → ink box, font units
        if not data:
            return
        try:
            from fontTools.ttLib import TTFont
            font = TTFont(io.BytesIO(data), lazy=True)
            order, made_up = glyph_order(font)  # (no names made up for a subset font)
        except Exception:  # CFF-only, Type 1, damaged: nothing to learn
            return
        self.n_glyphs = len(order)
        index = {name: k for k, name in enumerate(order)}
        try:
            self._cmaps(font, index)
        except Exception:
            pass
        try:
            self._gsub(font, index)
        except Exception:
            pass
        try:
            self.upm = font["head"].unitsPerEm
            self._read_boxes(font)
        except Exception:  # CFF outlines: no boxes to tell glyphs apart
            self.boxes = {}
        # glyph names as the last resort (placeholders name nothing: only made-up names)
        for k, name in enumerate(order) if made_up is None else made_up(self.gid_text).items():
            if k not in self.gid_text:
                m = _UNI_NAME.match(name)
                if m:
                    cp = int(m.group(1) or m.group(2), 16)
                    if cp < 0x110000:
                        self.gid_text[k] = chr(cp)

    def _cmaps(self, font, index: dict[str, int]) -> None:
        if "cmap" not in font:
            return
        for table in font["cmap"].tables:
            unicode = table.platformID == 0 or (table.platformID == 3 and table.platEncID in (1, 10))
            for code, name in table.cmap.items():
                gid = index.get(name)
                if gid is None:
                    continue
                if unicode:
                    # A glyph reachable from several characters keeps the lowest (the
                    # base character, not a compatibility form).
                    if gid not in self.gid_text or code < ord(self.gid_text[gid][0]):
                        self.gid_text[gid] = chr(code)
                else:  # a simple font's byte → glyph map (symbol or Mac Roman)
                    self.code_gid.setdefault(code & 0xFF, gid)

    def _gsub(self, font, index: dict[str, int]) -> None:
        """Glyphs a substitution makes from glyphs already known take their text:
        positional variants (a lowered tone mark, a narrow nikhahit) and ligatures."""
        if "GSUB" not in font:
            return
        lookups = font["GSUB"].table.LookupList.Lookup
        for _ in range(3):  # chains of substitutions: a few passes reach the closure
            before = len(self.gid_text)
            for lookup in lookups:
                for sub in lookup.SubTable:
                    kind = lookup.LookupType
                    if kind == 7:
                        sub, kind = sub.ExtSubTable, sub.ExtensionLookupType
                    self._apply(kind, sub, index)
            if len(self.gid_text) == before:
                break

    def _apply(self, kind: int, sub, index: dict[str, int]) -> None:
        known = self.gid_text
        if kind == 1:
            pairs = [(a, [b]) for a, b in sub.mapping.items()]
        elif kind == 3:
            pairs = list(sub.alternates.items())
        elif kind == 4:
            for first, ligs in sub.ligatures.items():
                for lig in ligs:
                    parts = [index.get(g) for g in [first, *lig.Component]]
                    out = index.get(lig.LigGlyph)
                    if out is not None and out not in known and all(p in known for p in parts):
                        known[out] = "".join(known[p] for p in parts)
            return
        else:
            return
        for a, outs in pairs:
            src = index.get(a)
            if src not in known:
                continue
            for b in outs:
                out = index.get(b)
                if out is not None and out not in known:
                    known[out] = known[src]

    def _read_boxes(self, font) -> None:
        """Ink boxes of the glyphs with a known text, from each glyph's header (its
        first ten bytes: contours, xMin, yMin, xMax, yMax) — no outline decoded, and no
        glyph object made: the header read at the glyph's offset in the raw table (as
        fontTools' `glyf` would cut the glyph's data out of it)."""
        import struct

        data = font.reader["glyf"]  # (KeyError for CFF outlines: no boxes)
        offsets = np.asarray(font["loca"].locations, np.int64)
        n_names = len(font.getGlyphOrder())
        # a table fontTools refuses (an offset going back, or past the table's end)
        step = np.diff(offsets)
        if (step < 0).any() or ((step > 0) & (offsets[1:] > len(data))).any():
            raise ValueError("not enough 'glyf' table data")
        ends = len(offsets) - 1
        for gid in self.gid_text:
            if gid >= n_names:
                raise IndexError(gid)  # (as the glyph's name would be asked)
            if gid >= ends:
                continue
            at, end = int(offsets[gid]), int(offsets[gid + 1])
            if end - at >= 10:
                contours, x0, y0, x1, y1 = struct.unpack(">hhhhh", data[at:at + 10])
                if contours:
                    self.boxes[gid] = (x0, y0, x1, y1)
        self._gids = list(self.boxes)
        self._arr = np.array([self.boxes[g] for g in self._gids], float).reshape(-1, 4)
        self._seen: dict[tuple, frozenset[str]] = {}

    def by_box(self, box: tuple[float, float, float, float], tol: float = 40.0,
               slack: float = 8.0) -> frozenset[str]:
        """The texts of the glyphs whose ink box (font units, origin at the pen) is `box`
        (within `slack` of the nearest): more than one when glyphs share a shape (ี ื),
        none when nothing is that close."""
        if not self.boxes:
            return frozenset()
        key = tuple(round(v / 4) for v in box) + (slack,)
        if key not in self._seen:
            import numpy as np
            dist = np.abs(self._arr - np.asarray(box)).sum(axis=1)
            best = dist.min()
            self._seen[key] = frozenset() if best > tol else frozenset(
                self.gid_text[self._gids[k]] for k in np.flatnonzero(dist <= best + slack))
        return self._seen[key]

    def resolve(self, code: int) -> str | None:
        """The text of the glyph a flagged character code draws, if the font knows it —
        or, failing that, the installed font it was cut from (`fontmatch.py`)."""
        gid = self.code_gid.get(code) if code < 256 and self.code_gid else code
        if gid is None:
            gid = code
        if not 0 < gid < max(self.n_glyphs, 1):
            return None
        if gid not in self.gid_text and self.installed is None:
            self._from_installed()
        return self.gid_text.get(gid)

    def _from_installed(self) -> None:
        from .fontmatch import resolve_by_installed
        found = resolve_by_installed(self.name, self._data)
        self.installed = 0
        for gid, text in found.items():
            if gid not in self.gid_text:
                self.gid_text[gid] = text
                self.installed += 1
        if self.installed:
            try:
                from fontTools.ttLib import TTFont
                font = TTFont(io.BytesIO(self._data), lazy=True)
                self._read_boxes(font)
            except Exception:
                self.boxes = {}


def plausible(ch: str) -> bool:
    """A code point a Thai report's text layer may hold as it is."""
    o = ord(ch)
    return (0x20 <= o < 0x7F or 0x0E01 <= o <= 0x0E5B or 0x2010 <= o <= 0x2027
            or 0x2600 <= o <= 0x27BF or o in (0xA0, 0xB7, 0x2022, 0x25A1, 0x25A0, 0x25CF))


_BREAK_CODES = CodeSet("\t\n\r")


def resolve_flagged(tp, chars: list[str], keep: np.ndarray, widths: np.ndarray,
                     fonts: Fonts, stats: LayerStats) -> None:
    """Replace flagged characters with what their glyph is (see module docstring)."""
    flagged = set()
    # a flagged code pdfium gave as a line break or tab (10, 13, 9) is a glyph too
    joined = "".join(chars)
    if len(joined) == len(chars):  # (one code point each: as an array)
        breaks = _BREAK_CODES.mask(np.frombuffer(joined.encode("utf-32-le"), np.uint32))
    else:
        breaks = np.fromiter((c in "\t\n\r" for c in chars), bool, len(chars))
    maybe = np.flatnonzero(keep | breaks)
    errors = np.array(_per_char(tp, "FPDFText_HasUnicodeMapError", ctypes.c_int, maybe.tolist()))
    hits = maybe[errors == 1].tolist() if len(maybe) else []
    # (each flagged character's font and code asked in one direct pass each)
    codes = _per_char(tp, "FPDFText_GetUnicode", ctypes.c_uint, hits)
    for i, font, code in zip(hits, _fonts_of(tp, fonts, hits), codes):
        flagged.add(int(i))
        ch = chars[i]
        if not keep[i]:
            if font is None or not font.code_gid:
                continue
            keep[i] = True
        stats.flagged += 1
        if font is not None:
            fonts.untrusted.add(id(font))
        # (`code`: the character code itself)
        text = font.resolve(code) if font is not None else None
        if text and all(plausible(c) or c in THAI_MARKS for c in text):
            chars[i] = text
            stats.resolved += 1
        elif plausible(ch) and ch not in " \x7f":
            stats.trusted += 1  # GlyphLessFont: the code is the character
        elif widths[i] < 0.5:  # a zero-advance mark nobody can name: leave it out
            keep[i] = False
            stats.dropped_marks += 1
        else:
            chars[i] = "\ufffd"
            stats.unresolved += 1
            if font is not None and font.name and font.installed == 0:
                stats.unknown_fonts.add(_SUBSET_TAG.sub("", font.name))
    return flagged


def recode_simple_fonts(tp, chars: list[str], keep: np.ndarray, fonts: Fonts,
                        stats: LayerStats, flagged: set[int]) -> None:
    """A one-byte font with no ToUnicode at all: pdfium reads the codes it cannot flag
    (32 and up) through the font's encoding as Latin letters ("#" for a space, "1" for a
    Thai letter), though they are glyph codes like the rest. When the font's glyphs were
    named through the installed font it was cut from, and what the font's unflagged codes
    gave is mostly what a one-byte encoding gives (a ToUnicode would give Thai; the few
    Thai characters are the producer's ActualText), every code of it is read as its
    glyph.""" 
    import pypdfium2.raw as raw

    by_font: dict[int, list[int]] = {}
    owner: dict[int, EmbeddedFont] = {}
    for i in range(len(chars)):
        if i in flagged or not (keep[i] or chars[i] == " ") or raw.FPDFText_IsGenerated(tp, i) == 1:
            continue
        font = fonts.of_char(tp, i)
        if font is None or not font.installed or not font.code_gid:
            continue
        by_font.setdefault(id(font), []).append(i)
        owner[id(font)] = font
    for key, idx in by_font.items():
        font = owner[key]
        codes = {}
        for i in idx:
            try:
                codes[i] = chars[i].encode("cp1252")
            except UnicodeEncodeError:
                pass
        if len(idx) - len(codes) >= len(codes):
            continue  # mostly characters no one-byte encoding gives: the font has a ToUnicode
        for i in idx:
            if i in codes or not font.boxes:
                continue
            # the producer's ActualText for a glyph of a cluster ("ู" on the tone mark of
            # "ผู้", whose own glyph the ToUnicode would have named): the glyph's own text
            named = _named_by_box(tp, i, font)
            if named and len(named) == 1 and chars[i] not in named:
                chars[i] = named.pop()
                stats.recoded += 1
        for i, b in codes.items():
            if len(b) != 1:
                continue
            gid = font.code_gid.get(b[0])
            text = font.gid_text.get(gid) if gid is not None else None
            if text is None or text == chars[i]:
                continue
            if text.strip():
                chars[i] = text
                keep[i] = True
            else:
                keep[i] = False  # a space: spaces come from the gaps
            stats.recoded += 1


def _named_by_box(tp, i: int, font: EmbeddedFont) -> set[str] | None:
    """The texts of the glyphs whose ink box (in font units) is character `i`'s."""
    box = _ink_box(tp, i, font)
    return None if box is None else {map_pua(s) for s in font.by_box(box)}


class _CharProbe:
    """ctypes out-parameters for character queries, made once for a page's many calls."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.l, self.r, self.b, self.t, self.x, self.y = (ctypes.c_double() for _ in range(6))
        self.m = raw.FS_MATRIX()
        self.box = tuple(map(ctypes.byref, (self.l, self.r, self.b, self.t)))
        self.origin = (ctypes.byref(self.x), ctypes.byref(self.y))
        self.matrix = ctypes.byref(self.m)


def _ink_box(tp, i: int, font: EmbeddedFont, probe: _CharProbe | None = None):
    """Character `i`'s ink box in its font's units, origin at its pen position."""
    import pypdfium2.raw as raw

    q = probe or _CharProbe()
    if not (raw.FPDFText_GetCharBox(tp, i, *q.box)
            and raw.FPDFText_GetCharOrigin(tp, i, *q.origin)
            and raw.FPDFText_GetMatrix(tp, i, q.matrix)):
        return None
    m = q.m
    if abs(m.b) > 1e-3 or abs(m.c) > 1e-3 or m.a <= 0 or m.d <= 0:
        return None  # rotated or mirrored text: boxes are not comparable
    em = raw.FPDFText_GetFontSize(tp, i) * m.a
    if em <= 0:
        return None
    k = font.upm / em
    x, y = q.x.value, q.y.value
    return ((q.l.value - x) * k, (q.b.value - y) * k,
            (q.r.value - x) * k, (q.t.value - y) * k)

"""What an embedded font says a glyph is, for glyphs whose ToUnicode entry is missing.

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

import io
import re

_UNI_NAME = re.compile(r"^uni([0-9A-F]{4})(?:\.|$)|^u([0-9A-F]{4,6})(?:\.|$)")


class EmbeddedFont:
    """A font program's own knowledge of its glyphs: glyph id → text, byte → glyph id."""

    def __init__(self, data: bytes) -> None:
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
            order = font.getGlyphOrder()
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
            self._read_boxes(font["glyf"], order)
        except Exception:  # CFF outlines: no boxes to tell glyphs apart
            self.boxes = {}
        for k, name in enumerate(order):  # glyph names as the last resort
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

    def _read_boxes(self, glyf, order: list[str]) -> None:
        """Ink boxes of the glyphs with a known text, from each glyph's header (its
        first ten bytes: contours, xMin, yMin, xMax, yMax) — no outline decoded."""
        import struct

        for gid in self.gid_text:
            g = glyf.glyphs.get(order[gid]) if hasattr(glyf, "glyphs") else None
            data = getattr(g, "data", None)
            if data is not None and len(data) >= 10:
                contours, x0, y0, x1, y1 = struct.unpack(">hhhhh", data[:10])
            elif g is not None and getattr(g, "numberOfContours", 0):
                x0, y0, x1, y1 = g.xMin, g.yMin, g.xMax, g.yMax
                contours = g.numberOfContours
            else:
                continue
            if contours:
                self.boxes[gid] = (x0, y0, x1, y1)
        import numpy as np
        self._gids = list(self.boxes)
        self._arr = np.array([self.boxes[g] for g in self._gids], float).reshape(-1, 4)
        self._seen: dict[tuple, frozenset[str]] = {}

    def by_box(self, box: tuple[float, float, float, float], tol: float = 40.0) -> frozenset[str]:
        """The texts of the glyphs whose ink box (font units, origin at the pen) is `box`:
        more than one when glyphs share a shape (ี ื), none when nothing is that close."""
        if not self.boxes:
            return frozenset()
        key = tuple(round(v / 4) for v in box)
        if key not in self._seen:
            import numpy as np
            dist = np.abs(self._arr - np.asarray(box)).sum(axis=1)
            best = dist.min()
            self._seen[key] = frozenset() if best > tol else frozenset(
                self.gid_text[self._gids[k]] for k in np.flatnonzero(dist <= best + 8))
        return self._seen[key]

    def resolve(self, code: int) -> str | None:
        """The text of the glyph a flagged character code draws, if the font knows it."""
        gid = self.code_gid.get(code) if code < 256 and self.code_gid else code
        if gid is None:
            gid = code
        return self.gid_text.get(gid) if 0 < gid < max(self.n_glyphs, 1) else None

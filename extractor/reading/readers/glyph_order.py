"""An embedded font's glyph order, without fontTools making up names a subset font lacks.

Subset fonts (WeasyPrint's, Chromium's, LibreOffice's) keep no glyph names (`post` format
3). fontTools then makes names up from the font's Unicode cmaps: it decodes the cmap with
placeholder names, names every mapped glyph after its character (the Adobe Glyph List),
and decodes the cmap again with those names — about half of reading such a font. The
reader wants glyph ids (the cmap and GSUB map characters and glyphs to glyphs: names are
only labels there) and a made-up name only for a glyph nothing else names (`fontmap`'s
last resort). So such a font keeps the placeholder names fontTools starts from, and the
name fontTools would have made up is asked of the few glyphs that need one: the same
names where the reader reads them.
"""
from __future__ import annotations

from typing import Callable, Container


def glyph_order(font) -> tuple[list[str], Callable[[Container[int]], dict[int, str]] | None]:
    """`font.getGlyphOrder()`, or — a font whose names fontTools would make up from its
    cmap — the placeholders it starts from, with `made_up(known)`: the names it would
    have given the glyphs not in `known` (glyph id → name, ascending ids; the rest keep
    their placeholders). Raises
    where fontTools' naming would (a damaged cmap, post or maxp)."""
    if "CFF " in font or "DMAP" in font or ("post" in font and font["post"].formatType != 3.0):
        return font.getGlyphOrder(), None
    order = ["glyph%.5d" % i for i in range(font.getGlyphCount())]
    order[0] = ".notdef"
    font.glyphOrder = order
    if "cmap" in font:
        font["cmap"]  # (decoded now, as fontTools' naming decodes it)

    def made_up(known: Container[int]) -> dict[int, str]:
        lowest: dict[int, int] = {}  # each glyph's lowest code in the Unicode cmaps
        index = {name: k for k, name in enumerate(order)}
        for table in font["cmap"].tables if "cmap" in font else ():
            if not table.isUnicode():
                continue
            for code, name in table.cmap.items():
                k = index.get(name)
                if k is not None and (k not in lowest or code < lowest[k]):
                    lowest[k] = code
        # (fontTools adds ".altN" to a name already given: no difference to a uniXXXX match)
        return {k: font._makeGlyphName(lowest[k]) for k in sorted(lowest) if k not in known}

    return order, made_up

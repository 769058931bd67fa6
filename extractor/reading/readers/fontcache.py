"""A document's embedded fonts, each read once (`fontmap.EmbeddedFont`), and found from
a page's text objects: a font by its pdfium handle while the page is open, by its name
and size for the document.
"""
from __future__ import annotations

import ctypes

import numpy as np

from .pdfium_calls import function, handle as as_handle, per_char


class Fonts:
    """Embedded fonts of a document, read once each, keyed by name and data size."""

    def __init__(self) -> None:
        self.cache: dict[tuple[bytes, int], object] = {}
        self.by_handle: dict[int, object] = {}
        self.by_font: dict[int, object] = {}  # pdfium font handle → font, on the open page
        self.untrusted: set[int] = set()  # ids of fonts whose ToUnicode left glyphs out

    def page_done(self) -> None:
        self.by_handle.clear()
        self.by_font.clear()

    def of_char(self, tp, i: int):
        import pypdfium2.raw as raw

        obj = raw.FPDFText_GetTextObject(tp, i)
        return self.of_object(ctypes.cast(obj, ctypes.c_void_p).value) if obj else None

    def of_object(self, handle: int):
        """The font of the text object at address `handle` (on the open page)."""
        import pypdfium2.raw as raw

        from .fontmap import EmbeddedFont

        if handle in self.by_handle:  # a text object's font, while the page is open
            return self.by_handle[handle]
        # (asked directly: WeasyPrint writes a text object per run, a thousand a page)
        font_handle = function("FPDFTextObj_GetFont", ctypes.c_size_t, ctypes.c_void_p)(
            as_handle(handle))
        if not font_handle:
            return None
        # producers that write a text object per run (WeasyPrint) share a few fonts
        if font_handle in self.by_font:
            self.by_handle[handle] = self.by_font[font_handle]
            return self.by_handle[handle]
        font = ctypes.cast(font_handle, raw.FPDF_FONT)
        name = ctypes.create_string_buffer(256)
        raw.FPDFFont_GetBaseFontName(font, name, 256)
        size = ctypes.c_size_t()
        raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(size))
        key = (name.value, size.value)
        if key not in self.cache:
            buf = (ctypes.c_uint8 * size.value)()
            ok = size.value and raw.FPDFFont_GetFontData(font, buf, size.value, ctypes.byref(size))
            self.cache[key] = EmbeddedFont(bytes(buf) if ok else b"",
                                           name.value.decode("latin-1", "replace"))
        self.by_handle[handle] = self.by_font[font_handle] = self.cache[key]
        return self.cache[key]


def _fonts_of(tp, fonts: Fonts, idx: list[int]) -> list:
    """`fonts.of_char` for each character of `idx` (`_font_index`)."""
    found, which = _font_index(tp, fonts, idx)
    return [found[k] for k in which.tolist()]


def _font_index(tp, fonts: Fonts, idx: list[int]) -> tuple[list, np.ndarray]:
    """The fonts of the distinct text objects the characters of `idx` are in (None: in
    none), and each character's object among them: text objects asked in one direct
    pass, each object's font looked up once."""
    handles = np.array(per_char(tp, "FPDFText_GetTextObject", ctypes.c_size_t, idx), np.uint64)
    objects, which = np.unique(handles, return_inverse=True)
    return [fonts.of_object(h) if h else None for h in objects.tolist()], which.reshape(-1)

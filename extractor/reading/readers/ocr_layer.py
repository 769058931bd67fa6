"""An OCR engine's invisible text layer in a PDF (ocrmypdf/tesseract, scanner software):
telling one (`is_ocr_layer`, asked of every page) and reading it as the OCR words it
holds (`ocr_words`): its glyphs are spread evenly over each recognised word's box, so
only the word boxes mean anything.
"""
from __future__ import annotations

import ctypes
import itertools

import numpy as np

from .pdfium_calls import function, handle


def is_ocr_layer(tp, keep: np.ndarray, sample: int = 15) -> bool:
    """Whether the page's text is an OCR layer: drawn invisible (render mode 3) over
    the page image, as ocrmypdf/tesseract and scanner software write it. Its glyphs are
    spread evenly over each recognised word's box: only the word boxes mean anything."""
    import pypdfium2.raw as raw

    idx = np.flatnonzero(keep)
    if len(idx) == 0:
        return False
    picks = idx[_spread(len(idx), sample)].tolist()
    # (pdfium called directly: every page is tested)
    vp = ctypes.c_void_p
    text_object = function("FPDFText_GetTextObject", vp, vp, ctypes.c_int)
    render_mode = function("FPDFTextObj_GetTextRenderMode", ctypes.c_int, vp)
    objs = list(map(text_object, itertools.repeat(handle(ctypes.cast(tp.raw, vp).value), len(picks)),
                    picks))
    hidden = sum(bool(obj) and render_mode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE
                 for obj in objs)
    return hidden * 2 > len(picks)


def _spread(m: int, k: int) -> list[int]:
    """`np.linspace(0, m - 1, min(k, m)).astype(int)`, the same picks by the same float
    steps (linspace's set-up is most of its time at a page's 15 picks).

    >>> _spread(100, 4), _spread(1, 15), _spread(3, 15)
    ([0, 33, 66, 99], [0], [0, 1, 2])
    """
    num = min(k, m)
    if num == 1:
        return [0]
    step = (m - 1) / (num - 1)
    picks = [int(i * step) for i in range(num)]
    picks[-1] = m - 1
    return picks


# An OCR layer's words: a gap wider than this × the line's height is a space. Tesseract
# writes Thai as short "words" (a letter or two, a mark alone) whose boxes stand 0–0.22
# line heights apart inside a word and 0.3 and more across a space.
OCR_SPACE = 0.28


def ocr_words(tp, chars: list[str], keep: np.ndarray, b: np.ndarray):
    """An OCR engine's invisible layer as its words: characters up to a space or to the
    end of their text object (tesseract writes each word as one text object, its letters
    spread evenly over the word's box, a space last). A word's box is its characters'
    boxes, with the space that closes its text object (tesseract's: part of the box)."""
    import pypdfium2.raw as raw

    n = len(chars)
    owner = [ctypes.cast(raw.FPDFText_GetTextObject(tp, i), ctypes.c_void_p).value or 0
              for i in range(n)]
    texts, boxes, order = [], [], []
    cur: list[int] = []

    def close(space: int | None = None) -> None:
        if cur:
            members = cur + ([space] if space is not None else [])
            texts.append("".join(chars[i] for i in cur))
            boxes.append((b[members, 0].min(), b[members, 1].max(), b[members, 2].max(),
                          b[members, 3].min()))
            order.append(cur[0])
            cur.clear()

    for i in range(n):
        if not keep[i]:
            own = chars[i] == " " and cur and owner[i] == owner[cur[-1]] and (
                i + 1 >= n or owner[i + 1] != owner[i])
            close(i if own else None)
            continue
        if cur and owner[i] != owner[cur[-1]]:
            close()
        cur.append(i)
    close()
    return texts, np.asarray(boxes, float).reshape(-1, 4), np.asarray(order, int)

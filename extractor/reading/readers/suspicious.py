"""Whether a page's text layer may hold flagged glyphs worth resolving: a code point no
Thai report prints as it is, or an ASCII character wedged between Thai letters (a glyph
id read as a character). Every page is tested: on its code points as arrays
(`suspicious`); `suspicious_text` is the same test as a pattern, which it is held to.
"""
from __future__ import annotations

import re

import numpy as np

from .codepoints import CodeSet

# a code point no Thai report prints as it is, or an ASCII character wedged between Thai
# letters (a glyph id read as a character; not the "." "-" "/" of "พ.ศ.", "ก.ค.-ก.ย.")
SUSPICIOUS = re.compile("[^\r\n\t \u00a0\u200b\ufeff\ufffe\x00\x20-\x7e\u0e01-\u0e5b"
                        "\u2010-\u2027\u2600-\u27bf\u00b7\u2022\u25a0\u25a1\u25cf]"
                        "|(?<=[\u0e01-\u0e4e])[\x21-\x2c\x30-\x7e](?=[\u0e01-\u0e4e])")


def suspicious_text(text: str) -> bool:
    """Whether a page may hold flagged glyphs worth resolving (see `SUSPICIOUS`).

    >>> suspicious_text("รายงาน พ.ศ. ๒๕๖๖ ก.ค.-ก.ย. ☑"), suspicious_text("ด\u013bาเนิน"), suspicious_text("ด;าเนิน")
    (False, True, True)
    """
    return SUSPICIOUS.search(text) is not None


def _chars(*spans: tuple[int, int]) -> str:
    return "".join(chr(c) for a, b in spans for c in range(a, b + 1))


# `SUSPICIOUS` as code-point sets: what a report prints as it is; Thai letters; ASCII
# that a glyph id read as a character gives
_PLAIN_CODES = CodeSet("\r\n\t \u00a0\u200b\ufeff\ufffe\x00\u00b7\u2022\u25a0\u25a1\u25cf"
                       + _chars((0x20, 0x7E), (0x0E01, 0x0E5B), (0x2010, 0x2027),
                                (0x2600, 0x27BF)))
_THAI_LETTER_CODES = CodeSet(_chars((0x0E01, 0x0E4E)))
_WEDGED_CODES = CodeSet(_chars((0x21, 0x2C), (0x30, 0x7E)))


def suspicious(codes: np.ndarray) -> bool:
    """`suspicious_text` of the text whose code points are `codes`, as arrays (a page's
    text is tested on every page; the pattern's look-arounds try every position)."""
    if not _PLAIN_CODES.mask(codes).all():
        return True
    if len(codes) < 3:
        return False
    thai = _THAI_LETTER_CODES.mask(codes)
    return bool((thai[:-2] & _WEDGED_CODES.mask(codes[1:-1]) & thai[2:]).any())

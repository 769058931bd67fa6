"""Membership of a page's code points in a fixed set of characters, as an array.

A page's characters are tested against small sets (whitespace to skip, Thai marks,
glyphs drawn inside clusters) several times over; `np.isin` sorts the page's codes each
time, a lookup table indexes them once.
"""
from __future__ import annotations

import numpy as np


class CodeSet:
    """A set of Basic Multilingual Plane characters whose `mask(codes)` says which of
    an array of code points (uint32) are in it.

    >>> CodeSet(" \\u0e48").mask(np.array([32, 0x0E48, 0x0E01, 0x1F600], np.uint32)).tolist()
    [True, True, False, False]
    """

    def __init__(self, chars) -> None:
        self.table = np.zeros(0x10000, bool)  # (U+FFFF is no character: never a member)
        for c in chars:
            if ord(c) >= 0xFFFF:
                raise ValueError(f"not a BMP character: {c!r}")
            self.table[ord(c)] = True

    def mask(self, codes: np.ndarray) -> np.ndarray:
        return self.table[_index(codes)]

    def of_chars(self, chars: list[str]) -> np.ndarray:
        """Which of a list of strings are members (a string of several characters — a
        glyph resolved to a cluster — is none): as an array when each is one character.

        >>> CodeSet("\u0e48").of_chars(["\u0e48", "ก", "\u0e48\u0e32"]).tolist()
        [True, False, False]
        """
        joined = "".join(chars)
        if len(joined) == len(chars):
            return self.mask(np.frombuffer(joined.encode("utf-32-le"), np.uint32))
        table = self.table
        return np.fromiter((len(c) == 1 and ord(c) < 0xFFFF and bool(table[ord(c)])
                            for c in chars), bool, len(chars))


# The last code array over bytes indexed, with its index: a page's codes (read from its
# text's bytes) are tested against several sets in turn, and indexed once.
_last: tuple[np.ndarray | None, np.ndarray | None] = (None, None)


def _index(codes: np.ndarray) -> np.ndarray:
    """`codes` as indexes into a table of the BMP (U+FFFF for anything above it), as intp
    (an index array of another type is converted first, slowly)."""
    global _last
    seen, index = _last  # (one tuple: read and replaced whole, by any thread)
    if seen is codes:
        return index
    index = np.minimum(codes, 0xFFFF).astype(np.intp)
    if isinstance(codes.base, bytes):  # (an array over bytes cannot change under its index)
        _last = (codes, index)
    return index

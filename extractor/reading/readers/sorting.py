"""Stable sorts of a page's glyphs by several keys, as one sort.

`np.lexsort` sorts once per key; at a page's size that is several times slower than one
stable sort of the keys packed into an int64 (lines, places in a line, kinds, stream
order all fit in a few bits each). A float key goes in as its rank.
"""
from __future__ import annotations

import numpy as np


def rank(x: np.ndarray) -> np.ndarray:
    """Each value's rank among the distinct values (equal values, equal ranks)."""
    return np.searchsorted(np.sort(x), x)


def sort_by(*keys: tuple[np.ndarray, int]) -> np.ndarray:
    """`np.lexsort` of non-negative integer keys, most significant first, each given with
    the bits it needs: packed into one int64 and sorted once (stable: ties keep their
    order, as lexsort's) — several times faster than lexsort's pass per key."""
    if sum(bits for _, bits in keys) <= 63 and all(
            len(k) == 0 or (k.min() >= 0 and k.max() < (1 << bits)) for k, bits in keys):
        packed = np.zeros(len(keys[0][0]), np.int64)
        for k, bits in keys:
            packed = (packed << bits) | k.astype(np.int64)
        return np.argsort(packed, kind="stable")
    return np.lexsort(tuple(k for k, _ in reversed(keys)))

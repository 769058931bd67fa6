"""Layout reuse: OCR reads a header repeated on every page differently each time
("ตัวชี้วัด" → "ตวขวด"), so a repeated header that reads worse than the previous
measures table's — fewer columns mapped, or the same number mapped less surely — while
the table has the same columns in the same places is that table's header again, and
its layout is reused.

"The same places" is geometry when the cells carry boxes (PDFs, scans): every column's
x-extent within a tolerance of the previous header's. Text has no geometry, so there the
columns the new header does read must agree with the previous layout's fields.
"""
from __future__ import annotations

from .layout import Layout
from extractor.model import Table

X_TOLERANCE = 12.0  # PDF points (about 4 mm): rules drawn per page wobble a little
X_TOLERANCE_SHARE = 0.03  # …or 3 % of the table's width, on wide landscape tables


def reads_worse(new: Layout, prev: Layout) -> bool:
    """Fewer columns mapped, or as many mapped with a weaker weakest match."""
    return new.mapped < prev.mapped or (new.mapped == prev.mapped and new.header_score < prev.header_score)


def same_geometry(new: Layout, prev: Layout) -> bool | None:
    """Whether the header cells sit where the previous header's did; None when unknown."""
    if not new.extents or not prev.extents or len(new.extents) != len(prev.extents):
        return None
    pairs = [(a, b) for a, b in zip(new.extents, prev.extents) if a and b]
    if len(pairs) < max(2, len(new.extents) - 1):
        return None
    width = max(b[1] for _, b in pairs) - min(b[0] for _, b in pairs)
    tol = max(X_TOLERANCE, X_TOLERANCE_SHARE * width)
    return all(abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol for a, b in pairs)


def agrees(new: Layout, prev: Layout) -> bool:
    """The columns the new header maps mostly map to the same fields as before."""
    both = [(a, b) for a, b in zip(new.fields, prev.fields) if a is not None]
    return bool(both) and sum(a == b for a, b in both) >= 0.5 * len(both)


def reuse_layout(new: Layout, prev: Layout, table: Table) -> bool:
    """Whether `table`, whose header reads as `new`, repeats the header of `prev`."""
    if len(new.fields) != len(prev.fields) or table.n_cols != len(prev.fields):
        return False
    if prev.kind in ("other", "scores") or not reads_worse(new, prev):
        return False
    geometry = same_geometry(new, prev)
    if geometry is not None:
        return geometry
    return agrees(new, prev)

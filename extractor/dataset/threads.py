"""A commit's independent pieces of Arrow work (one per fiscal-year folder) on threads.

While the committing process writes, the workers wait for it: each holds at most two files,
done within milliseconds. The cores are then free, and Arrow's joins and Parquet's encoding
release the GIL, so a batch's folders are joined and written side by side. The result is
the same as in order: each piece writes its own files, and results come back in order.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_THREADS = 4


def in_threads(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[work(x) for x in items]`, on up to as many threads as cores (and `MAX_THREADS`).

    >>> in_threads(lambda x: x * x, range(5))
    [0, 1, 4, 9, 16]
    """
    items = list(items)
    threads = min(len(items), os.cpu_count() or 1, MAX_THREADS)
    if threads < 2:
        return [work(x) for x in items]
    with ThreadPoolExecutor(threads, "commit") as pool:
        return list(pool.map(work, items))

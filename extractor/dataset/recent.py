"""Tables this process wrote lately, kept in memory up to a budget.

A commit merges the small segments the run's last commits wrote and rewrites the agencies
file the last commit wrote. Reading them back cost about a tenth of a first ingest's
writing: a small Parquet file's footer, with the schema and its descriptions, is most of
what reading it costs. Files never change once written (every file has a new id), so a
kept table is always what the file holds; a table not kept is read from the file.
"""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pyarrow as pa

from .arrow import read_parquet

BUDGET_BYTES = 64 * 1024 * 1024


class RecentTables:
    def __init__(self, budget_bytes: int = BUDGET_BYTES):
        self.budget = budget_bytes
        self._tables: OrderedDict[Path, pa.Table] = OrderedDict()
        self._bytes = 0

    def keep(self, path: Path, table: pa.Table) -> None:
        """`table` is what `path` was just written with; the oldest go past the budget."""
        if table.nbytes > self.budget:
            return
        self._tables[path] = table
        self._bytes += table.nbytes
        while self._bytes > self.budget:
            _, old = self._tables.popitem(last=False)
            self._bytes -= old.nbytes

    def read(self, path: Path) -> pa.Table:
        table = self._tables.pop(path, None)
        if table is None:
            return read_parquet(path)
        self._bytes -= table.nbytes  # read once: a merged segment's members, a replaced file
        return table

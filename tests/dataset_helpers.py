"""Helpers for tests that need a dataset as another version of ita-extract wrote it."""
import dataclasses
import shutil
from pathlib import Path
from typing import Callable

from extractor.dataset.commits import list_seqs, read_record, write_record


def as_other_version(dataset: Path, out: Path, table: str, transform: Callable[[Path], None],
                     schema_version: str = "2") -> Path:
    """A copy of `dataset` whose `table` files went through `transform` (a function that
    rewrites one Parquet file in place), its commit record saying `schema_version`."""
    shutil.copytree(dataset, out, symlinks=True)
    rec = read_record(out, list_seqs(out)[-1])
    for rel in rec.table_files(table):
        transform(out / ".data" / rel)
    rec.segments = [dataclasses.replace(s, bytes={t: (out / ".data" / s.file(t)).stat().st_size
                                                  for t in s.bytes}) for s in rec.segments]
    if rec.agencies:
        size = (out / ".data" / rec.table_files("agencies")[0]).stat().st_size
        rec.agencies = dataclasses.replace(rec.agencies, bytes=size)
    rec.schema_version = schema_version
    write_record(out, rec)
    return out

"""What a run has to do with each input, from the manifest of the dataset.

A regular file is skipped when its size and mtime are those recorded (hashed only when the
stat changed: same bytes with a new mtime only touch the manifest); it is extracted again
when its bytes changed, when an older parser version read it, or when it failed for a
passing reason (a time limit, a missing tool…; `retry_failed` retries every failure).

A new path whose size is that of a known report is hashed: the same bytes already in the
dataset (a moved or renamed folder, a copy) are recorded under the new path without being
extracted again — identity is by content.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from extractor.dataset.manifest import Entry, Manifest
from extractor.errors import ReadFailure
from extractor.reading.files import sha256_regular_file

from .scan import Input


@dataclass
class Plan:
    new: list[Input] = field(default_factory=list)
    changed: list[Input] = field(default_factory=list)
    reparse: list[Input] = field(default_factory=list)  # read by an older parser version
    retry: list[Input] = field(default_factory=list)  # failed for a passing reason
    unchanged: list[Input] = field(default_factory=list)
    touched: list[Input] = field(default_factory=list)  # same bytes, new mtime
    known: list[tuple[Input, Entry]] = field(default_factory=list)  # new path, known bytes
    refused: list[Input] = field(default_factory=list)  # not to be read; a row says why

    @property
    def todo(self) -> list[Input]:
        return self.new + self.changed + self.reparse + self.retry


def _refusal_unchanged(inp: Input, entry: Entry | None, version: str) -> bool:
    return (entry is not None and entry.outcome == "failed" and entry.error == inp.refusal
            and entry.failure != "transient" and entry.parser_version == version
            and (entry.size, entry.mtime_ns) == (inp.size, inp.mtime_ns))


def _hash(inp: Input, max_bytes: int) -> str | None:
    try:
        return sha256_regular_file(inp.read_path, max_bytes)
    except ReadFailure:
        return None  # extraction will say why


def _unchanged(files: list[Input], manifest: Manifest, version: str, retry_failed: bool) -> list[bool]:
    """Which files are recorded with their size and mtime, read by this version and not
    to be retried — compared column against column, no Python object per file."""
    if not files or not len(manifest.base):
        return [False] * len(files)
    rows = pa.array(manifest.rows_of([f.path for f in files]), pa.int64())
    base = manifest.base

    def col(name: str) -> pa.Array:
        return base.column(name).take(rows)

    retry = pc.equal(col("outcome"), "failed")
    if not retry_failed:
        retry = pc.and_(retry, pc.not_equal(pc.fill_null(col("failure"), ""), "permanent"))
    same = pc.and_(pc.equal(col("size"), pa.array([f.size for f in files], pa.int64())),
                   pc.equal(col("mtime_ns"), pa.array([f.mtime_ns for f in files], pa.int64())))
    ok = pc.and_(pc.and_(pc.equal(col("parser_version"), version), pc.invert(retry)), same)
    return pc.fill_null(ok, False).to_pylist()


def plan_run(inputs: list[Input], manifest: Manifest, version: str, force: bool = False,
             retry_failed: bool = False, max_bytes: int = 1 << 62) -> Plan:
    plan = Plan()
    maybe_known: list[tuple[Input, list[Input]]] = []  # (input, the list it goes to if not known)
    files = [i for i in inputs if not i.refusal]
    skip = [False] * len(files) if force else _unchanged(files, manifest, version, retry_failed)
    plan.unchanged += [f for f, s in zip(files, skip) if s]
    for inp in [i for i in inputs if i.refusal]:
        entry = manifest.get(inp.path)
        (plan.unchanged if _refusal_unchanged(inp, entry, version) else plan.refused).append(inp)
    todo = [f for f, s in zip(files, skip) if not s]
    entries = manifest.entries_of([f.path for f in todo])  # one lookup (paths are unique)
    for inp in todo:
        entry = entries[inp.path]
        if entry is None:
            maybe_known.append((inp, plan.new))
        elif force or entry.parser_version != version:
            plan.reparse.append(inp)
        elif entry.outcome == "failed" and (entry.retry or retry_failed):
            plan.retry.append(inp)
        elif (inp.size, inp.mtime_ns) == (entry.size, entry.mtime_ns):
            plan.unchanged.append(inp)
        elif inp.size == entry.size and entry.sha256 and _hash(inp, max_bytes) == entry.sha256:
            plan.touched.append(inp)
        else:
            maybe_known.append((inp, plan.changed))  # it may now hold bytes another path has
    if force or not maybe_known:
        for inp, dest in maybe_known:
            dest.append(inp)
        return plan
    known = _Known(manifest, version)
    candidates = [(inp, dest) for inp, dest in maybe_known if inp.size in known.sizes]
    found = known.lookup([_hash(inp, max_bytes) for inp, _ in candidates])
    same = {id(inp): e for (inp, _), e in zip(candidates, found)}
    for inp, dest in maybe_known:
        e = same.get(id(inp))
        if e is not None and e.path != inp.path:
            plan.known.append((inp, e))
        else:
            dest.append(inp)
    return plan


class _Known:
    """Reports this version read (not failures to retry), found by their sha256 — a column
    lookup for the few hashes asked, no dictionary of every report."""

    def __init__(self, manifest: Manifest, version: str):
        base = manifest.base
        self.manifest = manifest
        self.extra = {e.sha256: e for e in manifest.overlay.values()
                      if e is not None and e.sha256 and e.report_id and e.parser_version == version}
        self.sizes = {e.size for e in self.extra.values()}
        self.rows, self.shas = pa.array([], pa.int64()), pa.array([], pa.string())
        if not len(base):  # (compute kernels on empty columns crash older pyarrow)
            return
        keep = pc.and_(pc.and_(pc.is_valid(base.column("sha256")), pc.is_valid(base.column("report_id"))),
                       pc.equal(base.column("parser_version"), version))
        retry = pc.and_(pc.equal(base.column("outcome"), "failed"),
                        pc.not_equal(pc.fill_null(base.column("failure"), ""), "permanent"))
        mask = pc.fill_null(pc.and_(keep, pc.invert(retry)), False)
        self.rows = pc.indices_nonzero(mask)
        self.shas = base.column("sha256").filter(mask)
        self.sizes |= set(pc.unique(base.column("size").filter(mask)).to_pylist())

    def lookup(self, shas: list[str | None]) -> list[Entry | None]:
        if not shas:
            return []
        if not len(self.shas):
            return [self.extra.get(sha) for sha in shas]
        at = pc.index_in(pa.array(shas, pa.string()), value_set=self.shas).to_pylist()
        return [self.extra.get(sha) or (None if i is None else self.manifest.entry_at(self.rows[i].as_py()))
                for sha, i in zip(shas, at)]


def gone(path: str) -> bool:
    """Whether a recorded path no longer exists (not merely unreadable: a file inside a
    folder we may not list is not gone)."""
    try:
        os.lstat(path)
        return False
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False

"""What plain Parquet readers open, and cleaning up behind versions readers are done with.

    DIR/measures -> current/measures        (fixed links: pandas, polars, DuckDB open these)
    DIR/current  -> .snapshots/0000000042   (swapped atomically with os.replace)
    DIR/.snapshots/0000000042/measures/2567/<id>.parquet   (hard links into DIR/.data)

A snapshot folder holds exactly the live files of one commit record, as hard links: built in
milliseconds whatever the data size, and a reader that opened it keeps its files even after
the pool lets them go. It can always be rebuilt from the record, so losing it (or the
`current` link) loses nothing.

Retention: a version stays readable for `retention_s` (default one hour) after a newer one
replaced it, and the two newest versions are always kept; older records, their snapshot
folders and the pool files no kept record lists are deleted, oldest first, after each commit.
"""
from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from pathlib import Path

from .commits import CommitRecord, commits_dir, list_seqs, read_record, record_path, record_problem

TABLE_NAMES = ("reports", "measures", "agencies")
DEFAULT_RETENTION_S = 3600.0
_SNAP = re.compile(r"^\d{10}$")


def snapshot_dir(root: Path, seq: int) -> Path:
    return root / ".snapshots" / f"{seq:010d}"


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links: a copy is still correct
        shutil.copy2(src, dst)


def materialize(root: Path, rec: CommitRecord) -> Path:
    """The snapshot folder of `rec` (built, or rebuilt when incomplete)."""
    snap = snapshot_dir(root, rec.seq)
    want = {f"{t}/{f.split('/', 1)[1]}" for t in TABLE_NAMES for f in rec.table_files(t)}
    if snap.is_dir() and not snap.is_symlink():
        have = {p.relative_to(snap).as_posix() for p in snap.rglob("*.parquet")}
        if have == want:
            return snap
    tmp = snap.with_name(f"{snap.name}.{uuid.uuid4().hex[:6]}.tmp")
    for t in TABLE_NAMES:
        (tmp / t).mkdir(parents=True, exist_ok=True)
        for f in rec.table_files(t):
            _link(root / ".data" / f, tmp / t / f.split("/", 1)[1])
    if snap.exists() or snap.is_symlink():
        aside = snap.with_name(f"{snap.name}.{uuid.uuid4().hex[:6]}.old")
        os.rename(snap, aside)
        shutil.rmtree(aside, ignore_errors=True)
    os.rename(tmp, snap)
    return snap


def _set_link(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}-{uuid.uuid4().hex[:6]}")
    os.symlink(target, tmp)
    os.replace(tmp, link)  # the atomic step


def move_aside(path: Path, why: str) -> Path:
    """Keep something that is in the way (never delete what might be someone's data)."""
    aside = path.with_name(f".{why}-{path.name}-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:4]}")
    os.rename(path, aside)
    return aside


def point_current(root: Path, rec: CommitRecord, restoring: bool = False) -> list[str]:
    """Make `current` and the table links show `rec`; what had to be repaired, in words
    (`restoring`: at start-up, where a missing or stale link is worth saying)."""
    said = []
    snap = materialize(root, rec)
    target = os.path.relpath(snap, root)
    current = root / "current"
    if current.is_symlink():
        if os.readlink(current) != target:
            if restoring:
                state = "broken" if not current.exists() else f"at {os.readlink(current)}"
                said.append(f"restored {current} ({state}) from commit {rec.seq}, the newest intact version")
            _set_link(current, target)
    else:
        if current.exists():
            aside = move_aside(current, "not-a-link")
            said.append(f"{current} was a real folder, not a link: kept aside as {aside.name}")
        elif restoring:
            said.append(f"restored missing {current} from commit {rec.seq}, the newest intact version")
        _set_link(current, target)
    for name in TABLE_NAMES:
        link = root / name
        if link.is_symlink() and os.readlink(link) == os.path.join("current", name):
            continue
        if link.exists() or link.is_symlink():
            if not link.is_symlink():
                aside = move_aside(link, "not-a-link")
                said.append(f"{link} was a real folder, not a link: kept aside as {aside.name}")
            else:
                link.unlink()
        os.symlink(os.path.join("current", name), link)
    return said


def collect_garbage(root: Path, current: CommitRecord, retention_s: float = DEFAULT_RETENTION_S,
                    now_ns: int | None = None, sweep: bool = True,
                    known: dict[int, CommitRecord] | None = None) -> int:
    """Delete versions no reader may still need, oldest first; returns files deleted.

    Kept: the current version and the one before it, and every version replaced less than
    `retention_s` ago. Never the current one, whatever the clock says. The pool is walked
    for files no kept version lists when a version goes, or when `sweep` (files a killed
    run left behind), so a commit that deletes nothing costs nothing here. `known`: records
    already read, by seq (a record never changes once written), kept up to date: a run's
    commits would otherwise each read every version still kept."""
    now_ns = now_ns or time.time_ns()
    seqs = [s for s in list_seqs(root) if s <= current.seq]
    records: dict[int, CommitRecord | None] = {}
    known = {} if known is None else known
    for s in seqs:
        try:
            records[s] = current if s == current.seq else known.get(s) or read_record(root, s)
        except (OSError, ValueError, KeyError, TypeError):
            records[s] = None  # unreadable: nothing can use it
    known.clear()
    known.update((s, r) for s, r in records.items() if r is not None)
    keep = {current.seq}
    for s in reversed(seqs[:-1]):  # the newest intact version before the current one
        if records[s] is not None and record_problem(root / ".data", records[s]) is None:
            keep.add(s)
            break
    for s, successor in zip(seqs, seqs[1:]):
        rec_next = records.get(successor)
        if records[s] is not None and rec_next is not None \
                and now_ns - rec_next.created_ns < retention_s * 1e9:
            keep.add(s)
    deleted = 0
    going = [s for s in seqs if s not in keep]
    for s in going:  # records first, oldest first: a record never outlives its files
        record_path(root, s).unlink(missing_ok=True)
        known.pop(s, None)
    for p in commits_dir(root).glob(".*.tmp"):
        p.unlink(missing_ok=True)
    snaps = root / ".snapshots"
    if snaps.is_dir():
        for p in sorted(snaps.iterdir()):
            seq = int(p.name) if _SNAP.match(p.name) else None
            if seq in keep:
                continue
            legacy = seq is None and not p.name.endswith((".tmp", ".old"))
            if legacy and now_ns - p.stat().st_mtime_ns < retention_s * 1e9:
                continue  # a snapshot of the old layout a reader may still hold
            shutil.rmtree(p, ignore_errors=True)
    live = set()
    for s in keep:
        live.update(records[s].files())
    data = root / ".data"
    if (going or sweep) and data.is_dir():
        top = os.path.join(data, "")
        for folder, _, files in os.walk(data):
            under = folder[len(top):] + "/" if folder != str(data) else ""  # (no relpath a file)
            for f in files:
                if under + f not in live:
                    os.unlink(os.path.join(folder, f))
                    deleted += 1
    for p in root.glob(".current-*"):
        p.unlink(missing_ok=True)
    for name in ("current",) + TABLE_NAMES:
        for p in root.glob(f".{name}-*"):
            if p.is_symlink():
                p.unlink(missing_ok=True)
    return deleted

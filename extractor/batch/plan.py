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

from extractor.dataset.manifest import Entry
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
            and (entry.size, entry.mtime_ns) == (inp.st.st_size, inp.st.st_mtime_ns))


def _hash(inp: Input, max_bytes: int) -> str | None:
    try:
        return sha256_regular_file(inp.read_path, max_bytes)
    except ReadFailure:
        return None  # extraction will say why


def plan_run(inputs: list[Input], manifest: dict[str, Entry], version: str, force: bool = False,
             retry_failed: bool = False, max_bytes: int = 1 << 62) -> Plan:
    plan = Plan()
    reusable: dict[str, Entry] | None = None  # sha256 → an entry of a report read by this version

    def known(inp: Input) -> Entry | None:
        """The entry of a report with these bytes, read by this version, if any (hashed only
        when a report of the same size exists)."""
        nonlocal reusable
        if force:
            return None
        if reusable is None:
            reusable = {e.sha256: e for e in manifest.values()
                        if e.sha256 and e.report_id and e.parser_version == version
                        and not (e.outcome == "failed" and e.retry)}
            sizes.update(e.size for e in reusable.values())
        if inp.st.st_size not in sizes:
            return None
        return reusable.get(_hash(inp, max_bytes))

    sizes: set[int] = set()
    for inp in inputs:
        entry = manifest.get(inp.path)
        if inp.refusal:
            (plan.unchanged if _refusal_unchanged(inp, entry, version) else plan.refused).append(inp)
            continue
        st = inp.st
        if entry is None:
            same = known(inp)
            if same is not None and same.path != inp.path:
                plan.known.append((inp, same))
            else:
                plan.new.append(inp)
        elif force or entry.parser_version != version:
            plan.reparse.append(inp)
        elif entry.outcome == "failed" and (entry.retry or retry_failed):
            plan.retry.append(inp)
        elif (st.st_size, st.st_mtime_ns) == (entry.size, entry.mtime_ns):
            plan.unchanged.append(inp)
        elif st.st_size == entry.size and entry.sha256 and _hash(inp, max_bytes) == entry.sha256:
            plan.touched.append(inp)
        else:
            same = known(inp)  # now holds bytes another path already has
            if same is not None and same.path != inp.path:
                plan.known.append((inp, same))
            else:
                plan.changed.append(inp)
    return plan


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

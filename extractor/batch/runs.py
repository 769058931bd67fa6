"""A run's summary, its exit code, and its record under `DIR/runs/` — for every run,
including one that crashed, was refused, or found the dataset locked."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

# Exit codes, for schedulers (README: "Running nightly").
EXIT_OK = 0  # every file read
EXIT_FAILED = 1  # some files quarantined (failed rows with reasons); the run itself succeeded
EXIT_USAGE = 2  # bad arguments, no such path, no report files
EXIT_LOCKED = 3  # another run holds the dataset
EXIT_DAMAGED = 4  # the dataset is damaged and cannot be restored: refused, nothing written
EXIT_CRASHED = 5  # an internal error stopped the run (a bug: the run record has the traceback)
OUTCOME_EXIT = {"ok": None, "locked": EXIT_LOCKED, "refused": EXIT_DAMAGED,
                "crashed": EXIT_CRASHED, "interrupted": EXIT_CRASHED}


def printable(text: str) -> str:
    """Text for one line of a terminal or a log: control characters (a newline in a file
    name) are shown escaped, so a name cannot forge a line of the summary.

    >>> print(printable("a\\nQUARANTINED x"), printable("รายงาน.txt"))
    a\\nQUARANTINED x รายงาน.txt
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _run_id() -> str:
    """Time-ordered (so run records sort by start), then random."""
    import uuid  # here: `extract` imports this module for its exit codes only

    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


@dataclass
class RunSummary:
    run_id: str = field(default_factory=_run_id)
    started_at: str = field(default_factory=now_iso)
    finished_at: str = ""
    output: str = ""
    outcome: str = "running"  # ok | locked | refused | crashed | interrupted
    error: str | None = None
    parser_version: str = ""
    dataset_version: int | None = None  # the commit the run left current
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    reparsed: int = 0
    retried: int = 0  # failed before for a passing reason, or --retry-failed
    skipped: int = 0
    moved: int = 0  # known bytes at a new path: recorded, not extracted again
    pruned: int = 0  # paths no longer present whose rows were removed (--prune)
    ok: int = 0
    empty: int = 0
    failed: int = 0
    reports_written: int = 0
    measures_written: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    notes_by_kind: dict[str, int] = field(default_factory=dict)  # kind → count, most first
    needs_review: int = 0  # reports written with a review note
    quarantined: list[dict[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the store repaired or migrated

    @property
    def exit_code(self) -> int:
        code = OUTCOME_EXIT.get(self.outcome)
        if code is not None:
            return code
        return EXIT_FAILED if self.failed else EXIT_OK

    @property
    def measures(self) -> int:
        return self.measures_written

    def to_json(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code}


def write_run_record(out_dir: Path, summary: RunSummary, latest: bool = True) -> Path | None:
    """`runs/<time>-<id>.json` (and `last_run.json` when `latest`). Never raises: a run
    that cannot leave its record (a full disk) must still exit with its own code."""
    summary.finished_at = summary.finished_at or now_iso()
    try:
        runs = out_dir / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2, default=str)
        targets = [runs / f"{summary.run_id}.json"] + ([out_dir / "last_run.json"] if latest else [])
        for target in targets:
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(text, "utf-8", errors="backslashreplace")
            os.replace(tmp, target)
        return targets[0]
    except OSError:
        return None

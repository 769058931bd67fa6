"""The batch's walk of its input folders, and what a worker process loads."""
import os
import subprocess
import sys
from pathlib import Path

from extractor.batch.scan import find_inputs, has_inputs

ROOT = Path(__file__).resolve().parents[1]


def _tree(root: Path) -> None:
    for folder in ("a", "b", "c"):
        (root / folder).mkdir(parents=True)
        for i in range(3):
            (root / folder / f"r{i}.txt").write_text("รายงาน\n", "utf-8")
        (root / folder / "notes.docx").write_bytes(b"PK")


def test_has_inputs_agrees_with_find_inputs_and_stops_at_the_first(tmp_path, monkeypatch):
    _tree(tmp_path / "in")
    (tmp_path / "none").mkdir()
    (tmp_path / "none" / "photo.jpg").write_bytes(b"\xff\xd8")
    assert len(find_inputs([tmp_path / "in"])) == 9
    assert has_inputs([tmp_path / "in"]) and not has_inputs([tmp_path / "none"])
    listed = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: listed.append(p) or real(p))
    assert has_inputs([tmp_path / "in"])
    # the root and its first folder: the CLI's "any reports here?" is not a second full walk
    assert [Path(p).name for p in listed] == ["in", "a"]


def test_a_worker_builds_rows_without_importing_pandas(tmp_path):
    """pyarrow imports pandas (about half a second) on the first list it converts; a worker
    warmed as the pool's forkserver warms it must not pay that on its first file."""
    report = ROOT / "data" / "raw" / "sample_tsv_plan_status.txt"
    code = ("import sys\nimport extractor.batch.executors as ex\nex.warm_up()\n"
            f"r = ex._safe_extract({str(report)!r}, 'v')\n"
            "assert r.tables is not None and r.report.status == 'ok', r.report.error\n"
            "print('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr[-800:]

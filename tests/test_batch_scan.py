"""The batch: its walk of the input folders, what a worker process loads, and how results
reach the committing process."""
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
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda p: listed.append(p) or real(p))
    assert has_inputs([tmp_path / "in"])
    # the root and its first folder: the CLI's "any reports here?" is not a second full walk
    assert [Path(p).name for p in listed] == ["in", "a"]


def test_a_listed_file_that_cannot_be_examined_is_refused_not_dropped(tmp_path, monkeypatch):
    # A folder with read but not search permission lists its names but refuses `lstat`:
    # its reports are inputs refused for a passing reason (tried again next run), in order.
    _tree(tmp_path / "in")
    real = os.lstat
    hidden = str(tmp_path / "in" / "b" / "r1.txt")

    def lstat(path, *a, **k):
        if os.fspath(path) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return real(path, *a, **k)

    monkeypatch.setattr("extractor.batch.scan.os.lstat", lstat)
    found = find_inputs([tmp_path / "in"])
    assert [Path(i.path).relative_to(tmp_path / "in").as_posix() for i in found] == [
        f"{d}/r{i}.txt" for d in "abc" for i in range(3)]
    refused = [i for i in found if i.refusal]
    assert [i.path for i in refused] == [hidden]
    assert "cannot be examined" in refused[0].refusal and refused[0].failure == "transient"


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


def test_a_result_crosses_processes_as_arrow_streams_with_its_schema():
    """Workers send each report's tables as Arrow IPC streams (unpickling a table column by
    column cost the committing process more than writing it); nothing is lost on the way."""
    import pickle

    from extractor.batch.executors import Result, _safe_extract

    result = _safe_extract(str(ROOT / "data" / "raw" / "sample_tsv_plan_status.txt"), "v")
    report_stream, measure_stream = result.__getstate__()[1]
    assert isinstance(report_stream, bytes) and isinstance(measure_stream, bytes)
    back = pickle.loads(pickle.dumps(result))
    for a, b in zip(result.tables, back.tables):
        assert a.equals(b) and a.schema.metadata == b.schema.metadata
        assert [f.metadata for f in a.schema] == [f.metadata for f in b.schema]
    assert back.report == result.report
    assert pickle.loads(pickle.dumps(Result(result.report))).tables is None

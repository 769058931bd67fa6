"""The nightly job: incremental and idempotent runs, crash safety, locking, limits,
parallel and Dask executors, and every kind of bad input."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from extractor.batch.executors import Limits
from extractor.batch.ingest import IngestOptions, ingest
from extractor.batch.lock import DatasetLock, DatasetLocked
from extractor.dataset.schema import PARTITION
from .conftest import copy_text_samples, TEXT_SAMPLES

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
VOLATILE = {"ingested_at"}


def rows(out, name):
    part = ds.partitioning(PARTITION, flavor="hive") if name != "agencies" else None
    table = ds.dataset(out / name, format="parquet", partitioning=part).to_table().to_pylist()
    return sorted(({k: v for k, v in r.items() if k not in VOLATILE} for r in table),
                  key=lambda r: json.dumps(r, default=str, sort_keys=True))


def dataset(out):
    return {n: rows(out, n) for n in ("reports", "measures", "agencies")}


def consistent(out):
    """Every measure belongs to a report of the same snapshot."""
    d = dataset(out)
    ids = {r["report_id"] for r in d["reports"]}
    assert all(m["report_id"] in ids for m in d["measures"])
    return d


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "in"
    copy_text_samples(f)
    return f


def make_reports(folder: Path, n: int) -> None:
    """n distinct small reports in the markdown sample's layout."""
    text = (RAW / "sample_markdown_indicators.md").read_text("utf-8")
    for i in range(n):
        (folder / f"copy_{i:04d}.md").write_text(text + f"\n\nหมายเหตุ {i}\n", "utf-8")


def test_rerun_is_idempotent_and_skips_unchanged_files(folder, tmp_path):
    out = tmp_path / "ds"
    first = ingest([folder], out)
    before = dataset(out)
    again = ingest([folder], out)
    assert (first.new, again.new, again.skipped, again.reports_written) == (4, 0, 4, 0)
    assert dataset(out) == before
    os.utime(folder / "sample_html_rowspan.html")  # touched, same bytes
    touched = ingest([folder], out)
    assert (touched.skipped, touched.reports_written) == (4, 0) and dataset(out) == before
    forced = ingest([folder], out, IngestOptions(force=True))
    assert forced.reparsed == 4 and dataset(out) == before


def test_a_changed_file_replaces_its_rows(folder, tmp_path):
    out = tmp_path / "ds"
    ingest([folder], out)
    path = folder / "sample_markdown_indicators.md"
    n_before = sum(1 for m in rows(out, "measures") if m["source_file"] == path.name)
    text = path.read_text("utf-8")
    cut = text.index("สรุปการประเมิน OIT")  # drop the OIT table
    path.write_text(text[:cut], "utf-8")
    run = ingest([folder], out)
    assert (run.changed, run.skipped) == (1, 3)
    mine = [m for m in rows(out, "measures") if m["source_file"] == path.name]
    assert len(mine) == n_before - 1 and all(m["section"] != "OIT" for m in mine)
    assert len({r["report_id"] for r in rows(out, "reports") if r["source_file"] == path.name}) == 1
    consistent(out)


def test_older_parser_version_is_reprocessed(folder, tmp_path, monkeypatch):
    out = tmp_path / "ds"
    ingest([folder], out)
    import extractor.batch.ingest as ing
    monkeypatch.setattr(ing, "parser_version", lambda: "99.0")
    run = ingest([folder], out)
    assert run.reparsed == 4
    assert {r["parser_version"] for r in rows(out, "reports")} == {"99.0"}


def _cli(*args, env=None):
    return subprocess.Popen([sys.executable, "-m", "extractor", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, cwd=ROOT)


@pytest.mark.parametrize("fault", ["before-commit", "before-swap", "after-swap"])
def test_killed_while_committing_leaves_the_previous_dataset(folder, tmp_path, fault):
    out = tmp_path / "ds"
    ingest([folder / "sample_tsv_plan_status.txt"], out)
    before = dataset(out)
    proc = _cli("ingest", folder, "-o", out, "--workers", "0", "-q",
                env={"ITA_EXTRACT_FAULT": fault})
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    after = consistent(out)
    if fault in ("before-commit", "before-swap"):  # readers still see the previous version
        assert after == before
    run = ingest([folder], out)
    assert run.files_seen == 4
    final = consistent(out)
    assert {r["source_file"] for r in final["reports"]} == {p.name for p in TEXT_SAMPLES}


def test_sigkill_mid_run_then_rerun_completes_every_file(folder, tmp_path):
    make_reports(folder, 60)
    out = tmp_path / "ds"
    proc = _cli("ingest", folder, "-o", out, "--workers", "2", "--checkpoint-every", "10", "-q")
    deadline = time.monotonic() + 60
    while not (out / "current").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # wait for the first checkpoint, then kill mid-run
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    partial = consistent(out)
    assert 0 < len(partial["reports"])
    run = ingest([folder], out)
    final = consistent(out)
    assert len(final["reports"]) == 64 and run.skipped == len(partial["reports"])


def test_a_second_run_on_the_same_dataset_is_refused(folder, tmp_path):
    out = tmp_path / "ds"
    with DatasetLock(out):
        proc = _cli("ingest", folder, "-o", out)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 3 and "another ingest is running" in err
        with pytest.raises(DatasetLocked):
            ingest([folder], out)
    assert ingest([folder], out).ok == 4  # released


def test_worker_pool_gives_the_same_rows_as_inline(folder, tmp_path):
    make_reports(folder, 6)
    ingest([folder], tmp_path / "a")
    ingest([folder], tmp_path / "b", IngestOptions(workers=2))
    assert dataset(tmp_path / "a") == dataset(tmp_path / "b")


def test_time_limit_quarantines_a_file_and_the_batch_goes_on(folder, tmp_path):
    """A deliberately slow input (about half a minute of work on an idle machine) against a
    limit every ordinary file meets many times over, even on a loaded two-core box: no
    wall-clock race, the limit is what stops the slow file. No memory cap here: a larger
    input reached the default cap first on a fast machine, and this is about time."""
    text = (RAW / "sample_markdown_indicators.md").read_text("utf-8")
    (folder / "huge.md").write_text(text * 10000, "utf-8")
    run = ingest([folder], tmp_path / "ds",
                 IngestOptions(workers=2, limits=Limits(time_limit=6, memory_mb=None)))
    assert run.ok == 4 and run.failed == 1
    q, = [q for q in run.quarantined if q["status"] == "failed"]
    assert q["path"].endswith("huge.md") and "time limit" in q["reason"]
    assert q["failure"] == "transient"  # retried on the next run


def _worker_footprint_mb() -> int:
    """A worker's address space before its first file (what its forkserver imports and
    warms), measured, not assumed: it grows as the reader does."""
    code = ("import extractor.batch.executors as ex; ex.warm_up(); "
            "print(open('/proc/self/status').read().split('VmSize:')[1].split()[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) // 1024


def test_memory_cap_fails_the_file_not_the_batch(folder, tmp_path):
    # ~60 MB of Thai text: decoding and splitting it needs far more than the 150 MB the cap
    # leaves above a worker's own footprint; the small reports need far less.
    line = ("มาตรการส่งเสริมคุณธรรมและความโปร่งใส\tผู้รับผิดชอบ\t" * 20 + "\n").encode("utf-8")
    (folder / "big.md").write_bytes(line * (60 * 1024 * 1024 // len(line)))
    cap = _worker_footprint_mb() + 150
    run = ingest([folder], tmp_path / "ds",
                 IngestOptions(workers=1, limits=Limits(time_limit=120, memory_mb=cap)))
    assert run.ok == 4 and run.failed == 1
    assert "memory" in next(q["reason"] for q in run.quarantined if q["path"].endswith("big.md"))


def test_bad_inputs_each_give_a_row_with_a_reason(folder, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "junk.txt").write_bytes(os.urandom(4096))
    (bad / "page.pdf").write_text("<!doctype html><html><body>Not found</body></html>")
    (bad / "latin1.txt").write_bytes("caf\xe9 \xff\xfe r\xe9sum\xe9".encode("latin-1") * 20)
    (bad / "large.txt").write_bytes(b"x" * (2 * 1024 * 1024))
    (bad / "no_tables.txt").write_text("รายงานการประชุม\nเรื่อง แจ้งเพื่อทราบ\n", "utf-8")
    (bad / "recipe.md").write_text("# Pad Thai\n\n| ingredient | grams |\n|---|---|\n| noodles | 200 |\n")
    for pdf in ("bad_encrypted.pdf", "bad_truncated.pdf", "bad_zero_pages.pdf"):
        shutil.copy(ROOT / "tests" / "pdfs" / pdf, bad / pdf)
    run = ingest([bad], tmp_path / "ds", IngestOptions(workers=1, max_mb=1))
    reasons = {Path(q["path"]).name: (q["status"], q["reason"]) for q in run.quarantined}
    assert reasons["bad_encrypted.pdf"] == ("failed", "encrypted PDF: a password is needed to open it")
    assert reasons["bad_truncated.pdf"][1].startswith("truncated PDF")
    assert reasons["bad_zero_pages.pdf"] == ("failed", "PDF has no pages")
    assert reasons["page.pdf"][1].startswith("not a PDF")
    assert reasons["empty.txt"] == ("failed", "empty file")
    assert reasons["junk.txt"][0] == "failed" and "not" in reasons["junk.txt"][1]
    assert reasons["page.pdf"][0] == "failed"
    assert reasons["latin1.txt"][0] == "failed"
    assert reasons["large.txt"] == ("failed", "file is larger than the 1 MB limit (--max-mb)")
    assert reasons["no_tables.txt"][0] == reasons["recipe.md"][0] == "empty"
    assert run.files_seen == len(reasons) == 10
    by_file = {r["source_file"]: r for r in rows(tmp_path / "ds", "reports")}
    assert len(by_file) == 10 and by_file["large.txt"]["status"] == "failed"
    report = json.loads((tmp_path / "ds" / "last_run.json").read_text())
    assert report["failed"] == 8 and len(report["quarantined"]) == 10
    assert set(report["seconds"]) >= {"scan", "plan", "extract", "write"}


def test_dask_executor_gives_the_same_rows_as_local(folder, tmp_path):
    distributed = pytest.importorskip("distributed")
    make_reports(folder, 4)
    ingest([folder], tmp_path / "local", IngestOptions(workers=2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        ingest([folder], tmp_path / "dask",
               IngestOptions(executor="dask", scheduler=cluster.scheduler_address))
    assert dataset(tmp_path / "dask") == dataset(tmp_path / "local")


def test_upgrade_then_move_then_prune(folder, tmp_path, monkeypatch):
    """The nightly story of issue 12: a new parser version re-reads every file once; a moved
    input folder adds nothing and updates paths; --prune removes what is gone and says so."""
    import extractor.batch.ingest as ing

    out = tmp_path / "ds"
    first = ingest([folder], out)
    monkeypatch.setattr(ing, "parser_version", lambda: "9.9.9+upgraded")
    upgraded = ingest([folder], out)
    assert (upgraded.reparsed, upgraded.reports_written, upgraded.outcome) == (4, 4, "ok")
    again = ingest([folder], out)
    assert (again.skipped, again.reports_written) == (4, 0)  # once, not every night
    d = consistent(out)
    assert len(d["reports"]) == 4 and {r["parser_version"] for r in d["reports"]} == {"9.9.9+upgraded"}
    moved = tmp_path / "moved"
    folder.rename(moved)
    run = ingest([moved], out)
    assert (run.moved, run.new, run.reports_written) == (4, 0, 0)
    d = consistent(out)
    assert len(d["reports"]) == 4 and len(d["measures"]) == len(first and d["measures"])
    assert all(r["source_path"].startswith(str(moved)) for r in d["reports"])
    assert {m["source_file"] for m in d["measures"]} == {p.name for p in TEXT_SAMPLES}
    (moved / "sample_html_rowspan.html").unlink()
    assert ingest([moved], out).pruned == 0  # without --prune its rows stay
    run = ingest([moved], out, IngestOptions(prune=True))
    assert run.pruned == 1
    d = consistent(out)
    assert len(d["reports"]) == 3 and "sample_html_rowspan.html" not in {r["source_file"] for r in d["reports"]}
    assert ingest([moved], out, IngestOptions(prune=True)).pruned == 0


def test_a_copy_of_a_report_is_one_report(folder, tmp_path):
    out = tmp_path / "ds"
    shutil.copy(folder / "sample_tsv_plan_status.txt", folder / "copy of plan.txt")
    run = ingest([folder], out)
    assert run.files_seen == 5 and len(rows(out, "reports")) == 4
    (folder / "copy of plan.txt").unlink()
    (folder / "sample_tsv_plan_status.txt").rename(folder / "renamed.txt")
    run = ingest([folder], out, IngestOptions(prune=True))
    assert len(rows(out, "reports")) == 4 and run.reports_written == 0


def test_transient_failures_are_retried_permanent_ones_only_when_asked(folder, tmp_path, monkeypatch):
    import extractor.batch.executors as ex
    from extractor.errors import TRANSIENT
    from extractor.reading.pipeline import extract_report

    calls = []

    def flaky(path, *_):
        calls.append(Path(path).name)
        if Path(path).name == "sample_html_rowspan.html" and calls.count("sample_html_rowspan.html") == 1:
            return ex.failed(path, "time limit of 300s per file exceeded", TRANSIENT)
        return extract_report(path)

    monkeypatch.setattr(ex, "extract_report", flaky)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    out = tmp_path / "ds"
    first = ingest([folder], out)
    assert (first.failed, first.ok) == (2, 3)
    second = ingest([folder], out)
    assert (second.retried, second.ok, second.failed, second.skipped) == (1, 1, 0, 4)
    assert ingest([folder], out).skipped == 5  # the permanent failure is not retried every night
    forced = ingest([folder], out, IngestOptions(retry_failed=True))
    assert (forced.retried, forced.failed) == (1, 1)
    by_file = {r["source_file"]: r for r in rows(out, "reports")}
    assert by_file["binary.txt"]["failure"] == "permanent" and by_file["sample_html_rowspan.html"]["status"] == "ok"


def test_every_run_leaves_a_record_even_a_locked_one(folder, tmp_path):
    out = tmp_path / "ds"
    ingest([folder], out)
    with DatasetLock(out):
        with pytest.raises(DatasetLocked):
            ingest([folder], out)
    records = [json.loads(p.read_text()) for p in sorted((out / "runs").glob("*.json"))]
    assert [(r["outcome"], r["exit_code"]) for r in records] == [("ok", 0), ("locked", 3)]
    assert json.loads((out / "last_run.json").read_text())["outcome"] == "ok"


def test_make_clean_then_make_run_gives_the_dataset_again(tmp_path):
    """`make clean` removes the whole dataset (manifest and versions with it), so the next
    `make run` extracts everything again instead of finding an empty dataset."""
    parsed = tmp_path / "parsed"
    ingest([copy_text_samples(tmp_path / "raw")], parsed)
    subprocess.run(["make", "-s", "clean", f"PARSED={parsed}"], cwd=ROOT, check=True,
                   capture_output=True)
    assert not parsed.exists()
    run = ingest([tmp_path / "raw"], parsed)
    assert run.new == 4 and len(rows(parsed, "reports")) == 4

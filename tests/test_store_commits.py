"""Append-only commits: a commit writes the rows it adds, replaces rows by rewriting only the
files that hold them, and plain Parquet readers always see exactly the live rows."""
import os
import threading
from collections import Counter
import time
from pathlib import Path

import pandas as pd
import pytest

from extractor.batch.ingest import IngestOptions, ingest
from extractor.dataset.commits import list_seqs, read_record
from extractor.dataset.snapshots import snapshot_dir
from extractor.dataset.store import FANOUT, MAX_SMALL, Store
from extractor.exploring.query import connect

from .dataset_helpers import write_reports


def data_files(ds: Path) -> dict[str, tuple[int, int]]:
    """Every data file of the pool → (inode, mtime_ns)."""
    out = {}
    for p in (ds / ".data").rglob("*.parquet"):
        st = p.stat()
        out[p.relative_to(ds / ".data").as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def live(ds: Path) -> dict:
    return {name: pd.read_parquet(ds / name) for name in ("reports", "measures", "agencies")}


def test_adding_reports_writes_only_new_files(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 6)
    ingest([src], ds)
    before = data_files(ds)
    write_reports(src, 2, start=6)
    run = ingest([src], ds)
    after = data_files(ds)
    assert run.new == 2 and run.skipped == 6
    untouched = {f: v for f, v in before.items() if f in after}
    assert all(after[f] == v for f, v in untouched.items())  # no existing file rewritten
    rec = read_record(ds, list_seqs(ds)[-1])
    new = set(rec.files()) - set(before)
    # one segment (reports + measures) for the one year folder, the agencies file, one manifest segment
    assert sorted(f.split("/")[0] for f in new) == ["agencies", "manifest", "measures", "reports"]
    tables = live(ds)
    assert len(tables["reports"]) == 8 and tables["reports"]["report_id"].is_unique
    assert len(tables["measures"]) == 16


def test_a_changed_report_rewrites_only_the_segment_that_holds_it(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src / "a", 3, fy=2566)
    write_reports(src / "b", 3, start=3, fy=2567)
    ingest([src], ds)
    rec = read_record(ds, list_seqs(ds)[-1])
    seg66 = next(s for s in rec.segments if s.part == "2566")
    before = data_files(ds)
    changed = src / "b" / "report_0004.txt"
    changed.write_text(changed.read_text("utf-8").replace("ชุดที่", "ระยะที่"), "utf-8")
    run = ingest([src], ds)
    assert (run.changed, run.skipped) == (1, 5)
    after = read_record(ds, list_seqs(ds)[-1])
    assert seg66 in after.segments  # the other year's segment is the same file, untouched
    assert data_files(ds)[seg66.file("reports")] == before[seg66.file("reports")]
    tables = live(ds)
    assert len(tables["reports"]) == 6 and tables["reports"]["report_id"].is_unique
    mine = tables["measures"][tables["measures"]["source_file"] == "report_0004.txt"]
    assert len(mine) == 2 and mine["measure"].str.contains("ระยะที่").any()
    assert not tables["measures"]["measure"].str.contains("ชุดที่ ๔").any()


def test_agencies_follow_a_report_that_changes_agency(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 4, place=0)  # four reports of one agency
    write_reports(src, 1, start=10, place=2)
    ingest([src], ds)
    agencies = live(ds)["agencies"].set_index("agency_name")
    assert agencies.loc["เทศบาลตำบลบ้านกลาง", "n_reports"] == 4
    other = agencies.loc["เทศบาลตำบลเชิงทะเล"].to_dict()
    from .dataset_helpers import report_text
    (src / "report_0003.txt").write_text(report_text(3, place=1), "utf-8")  # now another agency's
    ingest([src], ds)
    agencies = live(ds)["agencies"].set_index("agency_name")
    assert agencies.loc["เทศบาลตำบลบ้านกลาง", "n_reports"] == 3
    assert agencies.loc["องค์การบริหารส่วนตำบลหนองหาร", "n_reports"] == 1
    assert agencies.loc["เทศบาลตำบลเชิงทะเล"].to_dict() == other  # an agency not touched: the same row


def test_small_segments_are_merged_automatically_and_by_compact(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    n = MAX_SMALL + FANOUT + 1
    write_reports(src, n)
    ingest([src], ds, IngestOptions(checkpoint_every=1, retention_s=0))  # one commit per report
    rec = read_record(ds, list_seqs(ds)[-1])
    assert list_seqs(ds) == [n - 1, n]  # a commit each; older records cleaned up
    per_folder = Counter(s.part for s in rec.segments)
    assert sum(per_folder.values()) < n and max(per_folder.values()) <= MAX_SMALL  # merged on the way
    assert len(live(ds)["reports"]) == n
    before = live(ds)["measures"].sort_values(["report_id", "row_index"]).reset_index(drop=True)
    with _opened(ds) as store:
        store.compact()
    rec = read_record(ds, list_seqs(ds)[-1])
    assert len(rec.segments) == 1 and len(rec.manifest) == 1
    after = live(ds)["measures"].sort_values(["report_id", "row_index"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    assert set(data_files(ds)) <= set(rec.files()) | set(read_record(ds, list_seqs(ds)[-2]).files())


def test_batches_that_make_a_full_segment_are_merged_once_into_it(tmp_path, monkeypatch):
    """A first ingest's rows are written twice, not once per size class: as they come, then
    in the full segment the folder's small ones make together."""
    import extractor.dataset.store as store_module

    monkeypatch.setattr(store_module, "FULL_SEGMENT", 6)
    merged = []
    real = Store._merge
    monkeypatch.setattr(Store, "_merge", lambda self, part, segs: merged.append(len(segs)) or real(self, part, segs))
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 7)  # one fiscal year: one folder
    ingest([src], ds, IngestOptions(checkpoint_every=2, retention_s=0))
    rec = read_record(ds, list_seqs(ds)[-1])
    assert sorted(s.reports for s in rec.segments) == [1, 6] and merged == [3]
    assert len(live(ds)["reports"]) == 7


class _opened:
    def __init__(self, ds):
        from extractor.batch.lock import DatasetLock
        self.lock = DatasetLock(ds)
        self.ds = ds

    def __enter__(self):
        self.lock.__enter__()
        return Store(self.ds, retention_s=0).open()

    def __exit__(self, *exc):
        self.lock.__exit__(*exc)


def test_cleanup_follows_commit_order_and_keeps_the_previous_version(tmp_path):
    """Many commits within one second: the version that was current just before the last
    commit is always kept (ordering by snapshot name lost it 14 times in 200)."""
    src, ds = tmp_path / "in", tmp_path / "ds"
    paths = write_reports(src, 12)
    for i in range(1, 13):
        ingest(paths[:i], ds, IngestOptions(retention_s=0))
        seqs = list_seqs(ds)
        assert seqs == ([seqs[-1] - 1] if len(seqs) > 1 else []) + [seqs[-1]]
        for s in seqs:
            assert snapshot_dir(ds, s).is_dir()
        assert sorted(p.name for p in (ds / ".snapshots").iterdir()) == [f"{s:010d}" for s in seqs]
        keep = set().union(*(read_record(ds, s).files() for s in seqs))
        assert set(data_files(ds)) == keep
    assert len(live(ds)["reports"]) == 12


def test_a_reader_keeps_its_version_while_commits_land(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    paths = write_reports(src, 6)
    ingest(paths[:2], ds)
    con = connect(ds)  # long-lived: resolves its files once
    for i in range(3, 7):  # four commits, each replacing and adding rows
        ingest(paths[:i], ds, IngestOptions(force=True))
    assert con.execute("SELECT count(*) FROM reports").fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM measures m JOIN reports r USING (report_id)").fetchone() == (4,)
    assert connect(ds).execute("SELECT count(*) FROM reports").fetchone() == (6,)


def test_queries_see_one_version_under_frequent_commits(tmp_path):
    """Every query's three views come from one commit record: a measure always has its report."""
    src, ds = tmp_path / "in", tmp_path / "ds"
    paths = write_reports(src, 8)
    ingest(paths[:1], ds)
    stop = threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            i += 1
            ingest(paths[: 1 + i % 8], ds, IngestOptions(prune=False, force=True))

    t = threading.Thread(target=writer)
    t.start()
    try:
        checked = 0
        deadline = time.monotonic() + 60
        while checked < 25 and time.monotonic() < deadline:
            con = connect(ds)
            orphans, reports, agencies = con.execute(
                "SELECT (SELECT count(*) FROM measures WHERE report_id NOT IN (SELECT report_id FROM reports)),"
                " (SELECT count(*) FROM reports),"
                " (SELECT count(*) FROM agencies WHERE agency_id NOT IN (SELECT agency_id FROM reports))").fetchone()
            assert orphans == 0 and agencies == 0 and reports >= 1
            checked += 1
    finally:
        stop.set()
        t.join()
    assert checked >= 10


def test_a_run_reads_each_kept_version_once_not_once_a_commit(tmp_path, monkeypatch):
    """Versions kept for readers (the retention time) are not re-read by every later commit
    of the run: that made a run's commits cost the square of their number."""
    import extractor.dataset.snapshots as snapshots

    reads = []
    real = snapshots.read_record
    monkeypatch.setattr(snapshots, "read_record", lambda root, seq: reads.append(seq) or real(root, seq))
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 10)
    ingest([src], ds, IngestOptions(checkpoint_every=1))  # ten commits, every version kept
    assert list_seqs(ds) == list(range(1, 11))
    assert len(reads) <= 10 and len(set(reads)) == len(reads)


def test_a_run_merges_what_it_wrote_without_reading_it_back(tmp_path, monkeypatch):
    """Small segments and the agencies file a run wrote are merged and rewritten from the
    tables it kept in memory, giving the same dataset as reading them back from Parquet."""
    import extractor.dataset.recent as recent
    import extractor.dataset.segments as segments
    import extractor.dataset.store as store_module
    from extractor.dataset.arrow import read_parquet

    monkeypatch.setattr(store_module, "FULL_SEGMENT", 6)
    src = tmp_path / "in"
    write_reports(src, 13)
    reads = []
    for module in (recent, store_module, segments):  # every way the store reads a file
        monkeypatch.setattr(module, "read_parquet", lambda path, columns=None: reads.append(path) or
                            read_parquet(path, columns))
    ingest([src], tmp_path / "kept", IngestOptions(checkpoint_every=2))
    assert reads == []  # two merges and six agencies rewrites, none read back
    monkeypatch.setattr(store_module, "RecentTables", lambda: recent.RecentTables(budget_bytes=0))
    ingest([src], tmp_path / "read_back", IngestOptions(checkpoint_every=2))
    assert len(reads) > 6
    segs = read_record(tmp_path / "kept", list_seqs(tmp_path / "kept")[-1]).segments
    assert sorted(s.reports for s in segs) == [1, 6, 6]

    def rows(ds, name):
        t = live(ds)[name].drop(columns=["ingested_at"], errors="ignore")
        return t.sort_values(list(t.columns[:3])).reset_index(drop=True)
    for name in ("reports", "measures", "agencies"):
        pd.testing.assert_frame_equal(rows(tmp_path / "kept", name), rows(tmp_path / "read_back", name))

"""Nothing eats the dataset: the current version is found from commit records, restored when
its links are lost or broken, older intact versions are used when the newest is damaged,
and a run refuses (exit 4) rather than start empty over data it cannot read."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extractor.batch.ingest import IngestOptions, ingest
from extractor.cli import main
from extractor.dataset.commits import list_seqs, read_record
from extractor.dataset.store import DatasetDamaged

from .dataset_helpers import write_reports

ROOT = Path(__file__).resolve().parent.parent


def reports(ds: Path) -> set[str]:
    return set(pd.read_parquet(ds / "reports")["source_file"])


@pytest.fixture
def two_versions(tmp_path):
    """A dataset of two versions: 4 reports, then 6."""
    src, ds = tmp_path / "in", tmp_path / "ds"
    paths = write_reports(src, 6)
    ingest(paths[:4], ds)
    ingest(paths, ds)
    return src, ds, paths


def test_a_deleted_current_link_is_restored_with_every_report(two_versions):
    src, ds, _ = two_versions
    before = reports(ds)
    (ds / "current").unlink()
    run = ingest([src], ds)
    assert any("restored missing" in n for n in run.notices)
    assert reports(ds) == before and run.reports_written == 0 and run.skipped == 6


def test_a_dangling_current_link_is_restored(two_versions):
    src, ds, _ = two_versions
    (ds / "current").unlink()
    os.symlink(".snapshots/gone", ds / "current")
    run = ingest([src], ds)
    assert any("broken" in n for n in run.notices) and len(reports(ds)) == 6


def test_links_lost_by_a_copy_without_them_are_restored(two_versions, tmp_path):
    """`rsync -r` without -l drops symbolic links: the copy still holds every version."""
    src, ds, _ = two_versions
    copy = tmp_path / "copy"
    shutil.copytree(ds, copy, ignore=lambda d, names: [n for n in names if os.path.islink(os.path.join(d, n))])
    assert not (copy / "current").exists() and not (copy / "reports").exists()
    run = ingest([src], copy)
    assert len(reports(copy)) == 6 and run.reports_written == 0


def test_current_as_a_real_folder_is_kept_aside_once_and_restored(two_versions):
    src, ds, _ = two_versions
    target = (ds / "current").resolve()
    (ds / "current").unlink()
    shutil.copytree(target, ds / "current")
    run = ingest([src], ds)
    assert any("real folder" in n for n in run.notices)
    assert (ds / "current").is_symlink() and len(reports(ds)) == 6
    aside = [p for p in ds.iterdir() if p.name.startswith(".not-a-link-current")]
    assert len(aside) == 1  # kept, not deleted
    ingest([src], ds)
    assert len([p for p in ds.iterdir() if p.name.startswith(".not-a-link")]) == 1  # no new copy each run


@pytest.mark.parametrize("damage", ["truncate", "garbage-manifest"])
def test_a_damaged_newest_version_falls_back_to_the_previous_one(two_versions, damage):
    src, ds, _ = two_versions
    rec = read_record(ds, list_seqs(ds)[-1])
    if damage == "truncate":
        victim = ds / ".data" / rec.table_files("reports")[-1]
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    else:
        victim = ds / ".data" / rec.table_files("manifest")[-1]
        victim.write_bytes(b"not parquet at all" * 100)
    run = ingest([src], ds)
    assert any(f"commit {rec.seq}:" in n and "using commit" in n for n in run.notices)
    assert run.skipped == 4 and run.new == 2  # the older version knew 4 of the 6 files
    assert len(reports(ds)) == 6
    assert pd.read_parquet(ds / "reports")["report_id"].is_unique


def test_nothing_restorable_is_refused_and_left_as_it_was(tmp_path, capsys):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 3)
    ingest([src], ds)
    for seq in list_seqs(ds):
        for rel in read_record(ds, seq).table_files("reports"):
            f = ds / ".data" / rel
            f.write_bytes(f.read_bytes()[:100])
    listing = sorted(p.relative_to(ds).as_posix() for p in ds.rglob("*") if "runs" not in p.parts)
    with pytest.raises(DatasetDamaged, match="no version can be read"):
        ingest([src], ds)
    assert sorted(p.relative_to(ds).as_posix() for p in ds.rglob("*") if "runs" not in p.parts) == listing
    assert main(["ingest", str(src), "-o", str(ds), "-q"]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ita-extract: dataset damaged")
    record = json.loads(sorted((ds / "runs").glob("*.json"))[-1].read_text())
    assert record["outcome"] == "refused" and record["exit_code"] == 4


def test_lost_commit_records_are_rebuilt_from_the_current_snapshot(two_versions):
    src, ds, _ = two_versions
    shutil.rmtree(ds / ".commits")
    run = ingest([src], ds)
    assert any("rebuilt the dataset" in n for n in run.notices)
    assert len(reports(ds)) == 6 and pd.read_parquet(ds / "reports")["report_id"].is_unique


def test_links_to_nothing_and_no_record_are_refused_not_started_over(two_versions):
    src, ds, _ = two_versions
    shutil.rmtree(ds / ".commits")
    shutil.rmtree(ds / ".snapshots")
    with pytest.raises(DatasetDamaged, match="refusing to start an empty dataset"):
        ingest([src], ds)


def test_a_run_killed_before_its_first_commit_leaves_a_fresh_start(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 3)
    proc = subprocess.run([sys.executable, "-m", "extractor", "ingest", str(src), "-o", str(ds),
                           "--workers", "0", "-q"], cwd=ROOT, capture_output=True,
                          env={**os.environ, "ITA_EXTRACT_FAULT": "before-commit"})
    assert proc.returncode == -9 and not list_seqs(ds)
    assert ingest([src], ds).ok == 3 and len(reports(ds)) == 3


def _legacy_dataset(modern: Path, old: Path) -> None:
    """The layout schema version 2 wrote: a snapshot folder with hive partitions
    (`fiscal_year_be=2567/`, the year only in the folder names), the manifest inside it,
    `current` and the table links pointing at it; no `needs_review` or `failure` columns."""
    snap = old / ".snapshots" / "20250101T020000-abc123"
    for name in ("reports", "measures", "agencies"):
        table = pq.read_table(modern / name) if name == "agencies" else \
            pa.concat_tables([pq.read_table(f) for f in sorted((modern / name).rglob("*.parquet"))])
        table = table.drop_columns([c for c in ("failure", "needs_review", "review_reasons") if c in table.column_names])
        if name == "agencies":
            (snap / name).mkdir(parents=True)
            pq.write_table(table.replace_schema_metadata({b"ita_extract_schema_version": b"2"}),
                           snap / name / "part-0.parquet")
            continue
        for year in set(table.column("fiscal_year_be").to_pylist()):
            mask = pa.compute.is_null(table.column("fiscal_year_be")) if year is None else \
                pa.compute.equal(table.column("fiscal_year_be"), year)
            folder = snap / name / f"fiscal_year_be={'__HIVE_DEFAULT_PARTITION__' if year is None else year}"
            folder.mkdir(parents=True)
            part = table.filter(mask).drop_columns(["fiscal_year_be"])
            pq.write_table(part.replace_schema_metadata({b"ita_extract_schema_version": b"2"}),
                           folder / "part-0.parquet")
    manifest = pq.read_table(next((modern / ".data" / "manifest").glob("*.parquet")))
    pq.write_table(manifest.select(["path", "size", "mtime_ns", "sha256", "parser_version", "outcome",
                                    "error", "report_id", "ingested_at"])
                   .set_column(4, "parser_version", pa.array(["0.1.0"] * len(manifest))),
                   snap / "manifest.parquet")
    os.symlink(".snapshots/20250101T020000-abc123", old / "current")
    for name in ("reports", "measures", "agencies"):
        os.symlink(f"current/{name}", old / name)


def test_an_older_dataset_is_migrated_with_a_line_saying_so(tmp_path):
    src = tmp_path / "in"
    write_reports(src, 4)
    (src / "junk.txt").write_bytes(b"\x00\x01junk")
    ingest([src], tmp_path / "modern")
    _legacy_dataset(tmp_path / "modern", tmp_path / "old")
    run = ingest([src], tmp_path / "old")
    assert any("migrated" in n and "from schema version 2 to 3" in n for n in run.notices)
    assert run.reparsed == 5 and run.outcome == "ok"  # every file read again by this version, once
    table = pd.read_parquet(tmp_path / "old" / "reports")
    assert len(table) == 5 and table["report_id"].is_unique and table["failure"].notna().sum() == 1
    again = ingest([src], tmp_path / "old")
    assert again.skipped == 5 and again.reports_written == 0


def test_verify_says_what_it_found(two_versions, capsys):
    _, ds, _ = two_versions
    assert main(["verify", str(ds)]) == 0
    out = capsys.readouterr().out
    assert "ok: commit 2" in out and "6 reports, 12 measures" in out
    rec = read_record(ds, 2)
    victim = ds / ".data" / rec.table_files("measures")[0]
    victim.write_bytes(victim.read_bytes()[:-10])
    assert main(["verify", str(ds)]) == 4
    out = capsys.readouterr().out
    assert "problem: commit 2:" in out and "truncated" in out

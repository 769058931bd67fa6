"""Issue 12: every table folder reads as an ordinary folder of Parquet files in pandas,
pyarrow, polars and DuckDB — failed and year-less reports included, fiscal_year_be an
integer column everywhere — and the README's snippets run as written."""
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from extractor.batch.ingest import ingest

from .dataset_helpers import report_text, write_reports

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """Like the repository after `make run`: data/parsed holding ok, failed and year-less reports."""
    root = tmp_path_factory.mktemp("repo")
    src = root / "in"
    write_reports(src, 3, fy=2566)
    write_reports(src, 2, start=3, fy=2567)
    (src / "no_year.txt").write_text(report_text(9, fy=None), "utf-8")
    (src / "junk.txt").write_bytes(b"\x00\x01\x02 not a report")
    (src / "empty.txt").write_bytes(b"")
    ingest([src], root / "data" / "parsed")
    return root


def test_every_reader_reads_every_table(workdir):
    data = workdir / "data" / "parsed"
    for name, n in (("reports", 8), ("measures", 12), ("agencies", 4)):
        folder = data / name
        frame = pd.read_parquet(folder)
        assert len(frame) == n
        hive = ds.dataset(folder, partitioning="hive").to_table()
        plain = ds.dataset(folder).to_table()
        assert hive.num_rows == plain.num_rows == n
        assert duckdb.sql(f"select count(*) from read_parquet('{folder}/**/*.parquet', "
                          "hive_partitioning = true)").fetchall() == [(n,)]
        pl = pytest.importorskip("polars")
        assert pl.read_parquet(f"{folder}/**/*.parquet").height == n
        assert pl.scan_parquet(folder).collect().height == n
        if name == "agencies":
            continue
        for table in (hive, plain):
            assert table.schema.field("fiscal_year_be").type == pa.int32()
        assert pd.api.types.is_numeric_dtype(frame["fiscal_year_be"])  # not a category
        assert pd.read_parquet(folder, dtype_backend="numpy_nullable")["fiscal_year_be"].dtype == "Int32"
        assert pl.read_parquet(f"{folder}/**/*.parquet").schema["fiscal_year_be"] == pl.Int32
        types = dict(duckdb.sql(f"describe select * from read_parquet('{folder}/**/*.parquet', "
                                "hive_partitioning = true)").fetchall() and
                     [(r[0], r[1]) for r in duckdb.sql(f"describe select * from read_parquet("
                                                       f"'{folder}/**/*.parquet', hive_partitioning = true)").fetchall()])
        assert types["fiscal_year_be"] == "INTEGER"
        years = sorted(frame["fiscal_year_be"].dropna().astype(int).unique())
        assert years == [2566, 2567] and frame["fiscal_year_be"].isna().sum() >= (name == "reports") * 3
        assert list(frame.columns[: 2]) == ["report_id", "source_file"]


def test_the_readme_snippets_run_as_written(workdir, monkeypatch, capsys):
    monkeypatch.chdir(workdir)
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "read_parquet" in b
              and "extractor" not in b]
    assert len(blocks) >= 1 and all(tool in "".join(blocks) for tool in ("pd.read_parquet", "pl.", "duckdb",
                                                                        'partitioning="hive"'))
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "2566" in out and "2567" in out

"""`ita-extract query`: the DuckDB views, the output formats, and every example query and
code block of README.md run as written on a dataset made from data/raw."""
import argparse
import csv
import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from extractor import cli
from extractor.batch.ingest import ingest
from extractor.exploring.query import (DatasetError, add_query_parser, connect, display_width,
                             format_result, load_examples, run_query)
from extractor.dataset.schema import TABLES

from .dataset_helpers import as_other_version
from .conftest import copy_text_samples

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
DOCS = [ROOT / "README.md"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder laid out like the repository after `make run`: data/parsed from data/raw."""
    root = tmp_path_factory.mktemp("work")
    ingest([copy_text_samples(root / "raw")], root / "data" / "parsed")
    return root


@pytest.fixture(scope="module")
def dataset(workdir):
    return workdir / "data" / "parsed"


def load(out: Path, name: str) -> list[dict]:
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


def query_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run `ita-extract query …` through the parser the lead wires into cli.py."""
    parser = argparse.ArgumentParser(prog="ita-extract")
    add_query_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code = args.handler(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_views_have_the_schema_columns_in_order(dataset):
    con = connect(dataset)
    for name, schema in TABLES.items():
        described = con.execute(f"DESCRIBE {name}").fetchall()
        assert [c[0] for c in described] == schema.names
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE measures)").fetchall())
    assert types["fiscal_year_be"] == "INTEGER" and types["indicator_no"] == "TINYINT"
    assert types["oit_items"] == "VARCHAR[]" and types["period_start"] == "DATE"
    assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == len(load(dataset, "measures"))
    assert [t for (t,) in con.execute("SHOW TABLES").fetchall()] == ["agencies", "measures", "reports"]


def test_failed_files_without_fiscal_year_read_as_null(tmp_path):
    folder = tmp_path / "in"
    copy_text_samples(folder)
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    ingest([folder], tmp_path / "ds")
    _, rows = run_query("SELECT source_file, fiscal_year_be FROM reports WHERE status = 'failed'",
                        tmp_path / "ds")
    assert rows == [("junk.txt", None)]


def test_missing_dataset_and_missing_table(tmp_path, dataset, capsys):
    with pytest.raises(DatasetError, match=str(tmp_path / "nowhere")):
        connect(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="holds no dataset"):
        connect(tmp_path / "empty")
    partial = tmp_path / "partial"
    shutil.copytree(dataset / "reports", partial / "reports")
    assert run_query("SELECT count(*) FROM measures", partial)[1] == [(0,)]
    assert run_query("SELECT count(*) FROM reports", partial)[1] == [(4,)]
    code, out, err = query_cli(["query", "SELECT count(*) AS n FROM agencies", "--data", str(partial)], capsys)
    assert code == 0 and "no agencies table" in err and "no measures table" in err
    code, out, err = query_cli(["query", "SELECT 1", "--data", str(tmp_path / "nowhere")], capsys)
    assert code == 2 and str(tmp_path / "nowhere") in err and out == ""


def test_dataset_of_another_version_keeps_every_documented_column(tmp_path, dataset):
    """Files lacking a column read it as NULL; a column the schema lacks stays, at the end."""
    def older(f):
        t = pq.read_table(f).drop_columns(["agency_id"])
        pq.write_table(t.append_column("checked_by", pa.array(["somchai"] * len(t))), f)

    old = as_other_version(dataset, tmp_path / "old", "reports", older)
    con = connect(old)
    names = [c[0] for c in con.execute("DESCRIBE reports").fetchall()]
    assert names == TABLES["reports"].names + ["checked_by"]
    assert con.execute("SELECT count(agency_id), count(*) FILTER (WHERE checked_by = 'somchai') "
                       "FROM reports").fetchone() == (0, 4)


def test_example_queries_run_and_mean_what_they_say(dataset):
    examples = load_examples()
    assert {"completion-by-indicator-province", "agencies-without-completed",
            "measures-per-year"} <= set(examples)
    measures = load(dataset, "measures")
    results = {}
    for name, ex in examples.items():
        columns, rows = run_query(ex.sql, dataset)
        assert columns, name
        results[name] = [dict(zip(columns, r)) for r in rows]
    by_ind = results["completion-by-indicator-province"]
    assert sum(r["measures"] for r in by_ind) == len(measures)
    assert sum(r["completed"] for r in by_ind) == sum(m["status"] == "completed" for m in measures)
    phuket_2 = next(r for r in by_ind if r["province"] == "ภูเก็ต" and r["indicator"] == 2)
    assert (phuket_2["measures"], phuket_2["completed"], phuket_2["completed_pct"]) == (2, 1, 50.0)
    per_year = {r["fiscal_year_be"]: r for r in results["measures-per-year"]}
    assert sorted(per_year) == [2566, 2567]
    assert sum(r["measures"] for r in per_year.values()) == len(measures)
    assert per_year[2567]["reports"] == 3
    # Every sample agency completed something; rows-to-check lists only rows with a reason.
    assert results["agencies-without-completed"] == []
    expected = sorted((m["source_file"], m["line"]) for m in measures
                      if m["confidence"] < 0.8 or any(n["severity"] != "info" for n in m["notes"]))
    assert sorted((r["source_file"], r["line"]) for r in results["rows-to-check"]) == expected


def test_agencies_without_completed_finds_an_agency_with_nothing_ticked(tmp_path):
    folder = tmp_path / "in"
    copy_text_samples(folder)
    md = folder / "sample_markdown_indicators.md"
    md.write_text(md.read_text(encoding="utf-8").replace(" checked>", ">"), encoding="utf-8")
    ingest([folder], tmp_path / "ds")
    columns, rows = run_query(load_examples()["agencies-without-completed"].sql, tmp_path / "ds")
    found = [dict(zip(columns, r)) for r in rows]
    assert [(r["agency_name"], r["province"], r["measures"], r["with_status"]) for r in found] == [
        ("องค์การบริหารส่วนตำบลราชาเทวะ", "สมุทรปราการ", 5, 0)]


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.M | re.S)


def test_docs_show_every_example_as_written():
    text = DOCS[0].read_text(encoding="utf-8")
    sql_blocks = [b.strip() for b in _blocks(text, "sql")]
    for ex in load_examples().values():
        assert ex.sql in sql_blocks, f"{ex.name} is not shown as written in {DOCS[0].name}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_code_blocks_of_the_docs_run_as_written(doc, workdir, dataset, monkeypatch, capsys):
    """In a folder like the repository after `make run`, so `data/parsed` is the default."""
    monkeypatch.chdir(workdir)
    text = doc.read_text(encoding="utf-8")
    ran = 0
    for sql in _blocks(text, "sql"):
        assert run_query(sql, dataset)[0]
        ran += 1
    for block in _blocks(text, "sh"):
        for line in block.splitlines():
            if line.startswith("ita-extract query"):
                argv = shlex.split(line)[1:]
                code, out, err = query_cli(argv, capsys)
                assert code == 0 and out, f"{line}\n{err}"
                ran += 1
    for block in _blocks(text, "python"):
        if "extractor.exploring.query" in block:
            exec(compile(block, str(doc), "exec"), {})
            ran += 1
    if doc.name == "README.md":
        assert ran >= 7


def test_table_csv_json_formats(dataset):
    sql = ("SELECT province, n_measures, report_date, agency_aliases FROM reports "
           "ORDER BY source_file")
    columns, rows = run_query(sql, dataset)
    table = format_result(columns, rows, "table").splitlines()
    assert table[-1] == "(4 rows)"
    # Thai vowel and tone marks take no width: every '|' sits at the same display column.
    bars = {tuple(display_width(line[:i]) for i, ch in enumerate(line) if ch == "|")
            for line in table[:1] + table[2:-1]}
    assert len(bars) == 1
    parsed = list(csv.DictReader(io.StringIO(format_result(columns, rows, "csv"))))
    assert parsed[0]["province"] == "ภูเก็ต" and parsed[0]["report_date"] == "2024-09-20"
    assert json.loads(parsed[0]["agency_aliases"]) == rows[0][3]
    assert any(p["province"] == "สมุทรปราการ" and p["report_date"] == "" for p in parsed)  # NULL
    records = json.loads(format_result(columns, rows, "json"))
    assert records[0] == {"province": "ภูเก็ต", "n_measures": 5, "report_date": "2024-09-20",
                          "agency_aliases": rows[0][3]}
    assert "ภูเก็ต" in format_result(columns, rows, "json")  # Thai as is, not as \u escapes
    _, conf = run_query("SELECT CAST(0.85 AS FLOAT) AS c", dataset)
    assert conf == [(0.85,)]  # a float32 as the decimal it stands for, not 0.8500000238…


def test_cli_errors_and_stdin(dataset, capsys, monkeypatch):
    data = ["--data", str(dataset)]
    code, out, err = query_cli(["query", "selec 1", *data], capsys)
    assert code == 1 and "syntax error" in err and out == ""
    assert query_cli(["query", "SELECT 1", "--example", "measures-per-year", *data], capsys)[0] == 2
    assert query_cli(["query", *data], capsys)[0] == 2
    code, _, err = query_cli(["query", "--example", "nope", *data], capsys)
    assert code == 2 and "measures-per-year" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT count(*) AS n FROM measures"))
    code, out, _ = query_cli(["query", "-", "--format", "csv", *data], capsys)
    assert (code, out) == (0, "n\n19\n")
    code, out, _ = query_cli(["query", "--list-examples"], capsys)
    assert code == 0 and "completion-by-indicator-province" in out


def test_wired_into_cli(dataset, capsys):
    sub = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    if "query" not in sub.choices:
        pytest.skip("`query` is not wired into extractor/cli.py yet")
    code = cli.main(["query", "--example", "measures-per-year", "--data", str(dataset), "--format", "json"])
    assert code == 0 and json.loads(capsys.readouterr().out)[0]["fiscal_year_be"] == 2566


@pytest.mark.parametrize("sql", [
    "COPY (SELECT * FROM reports) TO '{out}'",
    "SELECT * FROM read_csv('{secret}')",
    "ATTACH '{out}.duckdb' AS other",
    "INSTALL httpfs",
    "SET enable_external_access = true",
    "SELECT 1; SELECT 2",
    "CREATE TABLE t AS SELECT 1",
])
def test_queries_are_read_only_by_default(dataset, tmp_path, capsys, sql):
    secret = tmp_path / "secret.csv"
    secret.write_text("user,password\nroot,hunter2\n")
    out = tmp_path / "out.csv"
    code, stdout, err = query_cli(["query", sql.format(out=out, secret=secret), "--data", str(dataset)], capsys)
    assert code == 1 and err and "hunter2" not in stdout
    assert not out.exists() and not Path(f"{out}.duckdb").exists()


def test_allow_writes_lifts_the_limits_for_a_trusted_user(dataset, tmp_path, capsys):
    out = tmp_path / "out.csv"
    code, _, err = query_cli(["query", f"COPY (SELECT source_file FROM reports) TO '{out}'",
                              "--data", str(dataset), "--allow-writes"], capsys)
    assert code == 0, err
    assert len(out.read_text().splitlines()) == 5  # header + four reports
    code, stdout, _ = query_cli(["query", "SELECT count(*) AS n FROM reports", "--data", str(dataset),
                                 "--format", "csv"], capsys)
    assert (code, stdout) == (0, "n\n4\n")


def test_timestamps_print_in_utc_whatever_the_machine_zone(dataset):
    """reports.ingested_at is stored in UTC and a query shows it in UTC on a machine set to
    another zone (the setting is made only for views that hold such a column)."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom extractor.exploring.query import connect, run_query\n"
            "print(run_query('select cast(ingested_at as varchar) from reports limit 1', sys.argv[1])[1][0][0])\n"
            "con = connect(sys.argv[1], views=['measures'])\n"
            "print(con.execute(\"select current_setting('TimeZone')\").fetchone()[0])\n")
    out = subprocess.run([sys.executable, "-c", code, str(dataset)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "TZ": "Asia/Bangkok"})
    stamp, zone = out.stdout.split("\n")[:2]
    assert stamp.endswith("+00"), out.stderr[-500:]
    assert zone == "Asia/Bangkok"  # measures alone: nothing set

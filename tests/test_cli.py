"""The command line and the dataset it writes, on the bundled samples plus bad files."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from extractor.cli import main
from extractor.dataset.schema import MEASURES, REPORTS
from .conftest import copy_text_samples

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


def load(out: Path, name: str):
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "in"
    copy_text_samples(folder)
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "letter.txt").write_text("เรียน นายอำเภอ\nขอเชิญประชุม\n", encoding="utf-8")
    return folder


def test_ingest_writes_partitioned_dataset_and_reports_failures(batch, tmp_path, capsys):
    out = tmp_path / "ds"
    code = main(["ingest", str(batch), "-o", str(out)])
    assert code == 1  # some files failed
    err = capsys.readouterr().err
    assert re.search(r"failed\s+2\n", err) and "QUARANTINED" in err and "junk.txt" in err
    assert sorted(p.name for p in (out / "measures").iterdir()) == ["2566", "2567"]
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["2566", "2567", "unknown"]
    reports = {r["source_file"]: r for r in load(out, "reports")}
    assert reports["junk.txt"]["status"] == "failed" and "binary" in reports["junk.txt"]["error"]
    assert reports["empty.txt"]["status"] == "failed" and reports["empty.txt"]["error"] == "empty file"
    assert reports["letter.txt"]["status"] == "empty"
    assert reports["sample_tis620_crlf.txt"]["encoding"] == "cp874"
    measures = load(out, "measures")
    assert len(measures) == 19
    assert set(MEASURES.names) <= set(measures[0]) and set(REPORTS.names) <= set(reports["junk.txt"])
    m = next(m for m in measures if m["source_file"] == "sample_markdown_indicators.md")
    assert m["line"] > 0 and m["page"] >= 1 and m["table_index"] is not None
    assert m["report_id"] == reports["sample_markdown_indicators.md"]["report_id"]


def test_reingest_replaces_rows_instead_of_duplicating(batch, tmp_path):
    out = tmp_path / "ds"
    main(["ingest", str(batch / "sample_tsv_plan_status.txt"), "-o", str(out), "-q"])
    main(["ingest", str(batch / "sample_tsv_plan_status.txt"), str(batch / "sample_html_rowspan.html"),
          "-o", str(out), "-q"])
    main(["ingest", str(batch / "sample_tsv_plan_status.txt"), "-o", str(out), "-q"])
    reports = load(out, "reports")
    assert sorted(r["source_file"] for r in reports) == ["sample_html_rowspan.html", "sample_tsv_plan_status.txt"]
    assert len(load(out, "measures")) == 4 + 5


def test_extract_prints_gold_format_json(capsys):
    assert main(["extract", str(RAW / "sample_markdown_indicators.md"), "--provenance"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["fiscal_year_be"] == 2567 and len(doc["measures"]) == 5
    assert {"section", "indicator_no", "measure", "status", "line", "notes", "bbox"} <= set(doc["measures"][0])


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert main(["extract", str(tmp_path / "missing.txt")]) == 2
    (tmp_path / "notes.csv").write_text("x")
    assert main(["ingest", str(tmp_path), "-o", str(tmp_path / "o")]) == 2
    assert "no report files" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "extractor", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "ingest" in out.stdout and "Exit codes" in out.stdout


def _run_cli(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=timeout, env={**__import__("os").environ, **(env or {})})


def test_every_failure_has_its_exit_code_one_line_and_a_json_event(tmp_path):
    src = tmp_path / "in"
    copy_text_samples(src)
    ds = tmp_path / "ds"
    usage = _run_cli("ingest", src, "-o", ds, "--workers", "two")
    assert usage.returncode == 2 and len(usage.stderr.strip().splitlines()) == 1
    assert "invalid int value" in usage.stderr
    usage = _run_cli("ingest", tmp_path / "nowhere", "-o", ds, "--log-json")
    event = json.loads(usage.stderr)
    assert usage.returncode == 2 and event["event"] == "usage" and "no such file" in event["message"]
    ok = _run_cli("ingest", src, "-o", ds, "--log-json", "--workers", "0")
    assert ok.returncode == 0 and json.loads(ok.stderr.splitlines()[-1])["exit_code"] == 0
    # an internal error (a bug) is 5, not 1: the test hook breaks the commit
    crash = _run_cli("ingest", src, "-o", ds, "--force", "--workers", "0", "-q",
                     env={"ITA_EXTRACT_FAULT": "raise-in-commit"})
    assert crash.returncode == 5 and len(crash.stderr.strip().splitlines()) == 1
    assert crash.stderr.startswith("ita-extract: internal error: RuntimeError") and "Traceback" not in crash.stderr
    crash = _run_cli("ingest", src, "-o", ds, "--force", "--workers", "0", "--log-json",
                     env={"ITA_EXTRACT_FAULT": "raise-in-commit"})
    assert crash.returncode == 5
    event = json.loads(crash.stderr.strip().splitlines()[-1])
    assert event["event"] == "crashed" and event["exit_code"] == 5
    records = [json.loads(p.read_text()) for p in sorted((ds / "runs").glob("*.json"))]
    assert [r["outcome"] for r in records] == ["ok", "crashed", "crashed"]
    assert "RuntimeError" in records[-1]["error"] and records[-1]["exit_code"] == 5
    assert json.loads((ds / "last_run.json").read_text())["outcome"] == "crashed"
    # the dataset is as the last good run left it
    assert len(load(ds, "reports")) == 4 and _run_cli("verify", ds).returncode == 0


def test_help_and_extract_load_no_heavy_library(tmp_path):
    probe = ("import sys, io, contextlib\nfrom extractor.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n    main(sys.argv[1:])\n"
             "print(sorted(m for m in ('pandas', 'duckdb', 'pyarrow', 'pypdfium2', 'pdfplumber', 'PIL')"
             " if m in sys.modules))")
    for args, allowed in ((["--help"], []), (["extract", str(RAW / "sample_html_rowspan.html")], []),
                          (["ingest", str(copy_text_samples(tmp_path / "txt")), "-o", str(tmp_path / "ds"), "-q"],
                           ["pyarrow"])):
        out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT)
        assert out.stdout.strip().splitlines()[-1] == repr(allowed), (args, out.stderr[-500:])

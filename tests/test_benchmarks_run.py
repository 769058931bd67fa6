"""The benchmarks the README names still run (one quick pass each: figures are not checked
here, only that the scripts work against today's API)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_extract_runs_on_a_sample():
    out = subprocess.run([sys.executable, "benchmarks/bench_extract.py", "--repeat", "1",
                          "data/raw/sample_tsv_plan_status.txt"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-800:]
    assert "median over files of the per-file medians" in out.stdout


def test_bench_nightly_runs_small():
    out = subprocess.run([sys.executable, "benchmarks/bench_nightly.py", "--files", "30",
                          "--reports", "12"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr[-800:]
    assert "re-run over 30 unchanged files" in out.stdout and "--workers 2" in out.stdout


def test_bench_scale_runs_small():
    out = subprocess.run([sys.executable, "benchmarks/bench_scale.py", "--sizes", "40", "--rounds", "1"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr[-800:]
    assert "write =" in out.stdout and "add 10 (nightly run over all 40+ files" in out.stdout


def test_bench_agency_runs_on_a_sample():
    out = subprocess.run([sys.executable, "benchmarks/bench_agency.py", "--repeat", "1", "--fresh-runs", "1",
                          "data/raw/sample_tsv_plan_status.txt"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-800:]
    assert "median find_agency" in out.stdout and "DLA code for 1 of 1 reports" in out.stdout

"""Issue 13: whatever one input file is — its name, its bytes, its dates, its code points, its
file type — it becomes at most one failed row with a reason; the night goes on, and so does
the next one."""
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from extractor.batch.executors import Limits
from extractor.batch.ingest import IngestOptions, ingest
from extractor.cli import main

from .dataset_helpers import report_text, write_reports

ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT / "tests" / "pdfs"


def cli(*args, timeout=120, env=None):
    """The command line in a child process, under a time limit: a hang fails the test."""
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def rows(ds: Path) -> dict[str, dict]:
    return {r["source_file"]: r for r in pd.read_parquet(ds / "reports").to_dict("records")}


def test_file_names_that_are_not_utf8_are_stored_readably(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 2)
    for raw, n in (("รายงานผล.txt".encode("cp874"), 5), (b"report\xff.txt", 6)):
        with open(os.fsencode(src) + b"/" + raw, "wb") as fh:
            fh.write(report_text(n).encode("utf-8"))
    run = ingest([src], ds)
    assert run.ok == 4 and run.failed == 0
    stored = rows(ds)
    assert {"รายงานผล.txt", "report\ufffd.txt"} <= set(stored)
    assert any(n["kind"] == "file_name_not_unicode" for n in stored["รายงานผล.txt"]["notes"])
    again = ingest([src], ds)  # the next night
    assert again.skipped == 4 and again.reports_written == 0
    assert main(["ingest", str(src), "-o", str(ds), "-q", "--log-json"]) == 0


def test_an_implausible_year_quarantines_its_report_not_the_night(tmp_path):
    """Periods dated ๒๗๐๐ in a report that prints no fiscal year: the year inferred (2701) is
    beyond what the dataset allows. Either the reader drops it (null and a warning) or the
    report is stored as failed saying why — never a crashed run."""
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 3)
    text = report_text(9, fy=None).replace("๑\tจัดทำ", "๑\tจัดทำ").splitlines()
    table = [l + ("\tห้วงเวลา" if i == 0 else "\tต.ค. ๒๗๐๐ - ธ.ค. ๒๗๐๐")
             for i, l in enumerate(x for x in text if "\t" in x)]
    (src / "far_future.txt").write_text("\n".join([x for x in text if "\t" not in x] + table) + "\n", "utf-8")
    run = ingest([src], ds)
    stored = rows(ds)
    assert run.ok + run.failed == 4 and all(stored[f"report_{i:04d}.txt"]["status"] == "ok" for i in range(3))
    bad = stored["far_future.txt"]
    assert (bad["status"] == "failed" and "fiscal_year_be" in bad["error"]) or \
        (pd.isna(bad["fiscal_year_be"]) and any(n["severity"] != "info" for n in bad["notes"]))
    assert ingest([src], ds).skipped == 4  # and the next night does not fail on it again


def test_text_that_is_not_valid_unicode_is_repaired_not_fatal(tmp_path, monkeypatch):
    """A PDF whose ToUnicode map yields a lone surrogate (U+D800): stored with U+FFFD and a
    note, the other reports untouched."""
    import extractor.batch.executors as ex
    from extractor.reading.pipeline import extract_report

    def with_surrogate(path, *_):
        report = extract_report(path)
        if path.endswith("report_0001.txt"):
            report.measures[0].measure += "\ud800"
            report.agency_aliases.append("\udfff")
        return report

    monkeypatch.setattr(ex, "extract_report", with_surrogate)
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 3)
    run = ingest([src], ds)
    assert run.ok == 3
    stored = rows(ds)["report_0001.txt"]
    assert any(n["kind"] == "text_not_unicode" for n in stored["notes"])
    measures = pd.read_parquet(ds / "measures")
    assert measures["measure"].str.contains("\ufffd").sum() == 1


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_fifo_where_a_file_was_never_blocks(tmp_path, workers):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 2)
    (src / "x.txt").write_bytes(b"")
    (src / "zero.txt").write_bytes(b"")
    assert cli("ingest", src, "-o", ds, "--workers", workers, "-q").returncode == 1  # two empty files
    (src / "x.txt").unlink()
    os.mkfifo(src / "x.txt")  # a writer that never comes
    (src / "zero.txt").unlink()
    os.symlink("/dev/zero", src / "zero.txt")  # endless bytes
    for follow in ([], ["--follow-symlinks"]):
        proc = cli("ingest", src, "-o", ds, "--workers", workers, "-q", *follow, timeout=90)
        assert proc.returncode == 1, proc.stderr
        stored = rows(ds)
        assert stored["x.txt"]["error"] == "not a regular file: a FIFO (named pipe)"
        assert stored["zero.txt"]["error"].startswith("symbolic link")
        assert pd.isna(stored["zero.txt"]["sha256"])
        assert stored["report_0000.txt"]["status"] == "ok"


def test_symbolic_links_are_not_followed_out_of_the_input_folders(tmp_path):
    src, ds, elsewhere = tmp_path / "in", tmp_path / "ds", tmp_path / "elsewhere"
    write_reports(src, 2)
    write_reports(elsewhere, 1, start=7)
    (elsewhere / "shadow").write_text("root:$6$secret:19000:0:99999:7:::\n")
    os.symlink(elsewhere / "report_0007.txt", src / "outside.txt")
    os.symlink(elsewhere / "shadow", src / "shadow.txt")
    os.symlink(src / "report_0000.txt", src / "inside.txt")
    ingest([src], ds)
    stored = rows(ds)
    for name in ("outside.txt", "shadow.txt", "inside.txt"):
        assert stored[name]["status"] == "failed" and "not followed" in stored[name]["error"]
        assert pd.isna(stored[name]["sha256"])
    measures = pd.read_parquet(ds / "measures")
    assert not measures["measure"].str.contains("๗").any()  # the outside report's text is not in
    run = ingest([src], ds, IngestOptions(follow_symlinks=True))
    stored = rows(ds)
    assert "outside the input folders" in stored["outside.txt"]["error"]
    assert "outside the input folders" in stored["shadow.txt"]["error"]
    assert "inside.txt" not in stored  # same bytes as report_0000.txt: one report, two paths
    manifest_paths = pd.read_parquet(next((ds / ".data" / "manifest").glob("*.parquet")))
    assert run.failed == 2
    assert not pd.read_parquet(ds / "measures")["measure"].str.contains("๗").any()


def test_hash_and_rows_come_from_the_same_bytes(tmp_path, monkeypatch):
    """A file rewritten while it is read: the row's sha256 is of the bytes its rows came
    from, and the next run sees the new version as changed."""
    import extractor.reading.pipeline as pipeline

    src, ds = tmp_path / "in", tmp_path / "ds"
    path, = write_reports(src, 1)
    original = path.read_bytes()
    read_document = pipeline.read_document

    def rewritten_meanwhile(p, data=None, *rest):
        p.write_text(report_text(99), "utf-8")
        return read_document(p, data, *rest)

    monkeypatch.setattr(pipeline, "read_document", rewritten_meanwhile)
    ingest([src], ds)
    monkeypatch.undo()
    row = rows(ds)["report_0000.txt"]
    assert row["sha256"] == hashlib.sha256(original).hexdigest()
    assert pd.read_parquet(ds / "measures")["measure"].str.contains("เล่มที่ ๐").any()
    run = ingest([src], ds)
    assert run.changed == 1
    assert pd.read_parquet(ds / "measures")["measure"].str.contains("เล่มที่ ๙๙").any()


def test_a_pdf_rewritten_while_read_is_retried(tmp_path, monkeypatch):
    import extractor.reading.readers.pdf as pdf

    src, ds = tmp_path / "in", tmp_path / "ds"
    src.mkdir()
    shutil.copy(PDFS / "sample_tsv_plan_status__ruled.pdf", src / "plan.pdf")
    read_pdf = pdf.read_pdf

    def rewritten_meanwhile(path, *a, **k):
        doc = read_pdf(path, *a, **k)
        Path(path).write_bytes(Path(path).read_bytes() + b"\n% appended\n")
        return doc

    monkeypatch.setattr(pdf, "read_pdf", rewritten_meanwhile)
    run = ingest([src], ds)
    assert run.failed == 1 and run.quarantined[0]["reason"] == "file changed while it was being read"
    assert run.quarantined[0]["failure"] == "transient"
    monkeypatch.undo()
    again = ingest([src], ds)
    assert again.retried == 1 and again.ok == 1


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(p.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_the_parent_and_leave_no_temp_folders(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 2)
    slow = (ROOT / "data" / "raw" / "sample_markdown_indicators.md").read_text("utf-8") * 8000
    for i in range(3):
        (src / f"slow_{i}.md").write_text(slow + f"\n{i}\n", "utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "ingest", str(src), "-o", str(ds),
                             "--workers", "2", "--time-limit", "600", "-q"], cwd=ROOT,
                            env={**os.environ, "TMPDIR": str(temp)})
    deadline = time.monotonic() + 60
    family: set[int] = set()
    while time.monotonic() < deadline and len(family) < 3:  # forkserver + two workers
        family = _descendants(proc.pid)
        time.sleep(0.2)
    assert len(family) >= 3
    assert any(p.name.startswith("ita-extract-") for p in temp.iterdir())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.2)
    assert not [p for p in family if _alive(p)]
    run = subprocess.run([sys.executable, "-m", "extractor", "ingest", str(src / "report_0000.txt"),
                          "-o", str(tmp_path / "ds2"), "--workers", "0", "-q"], cwd=ROOT,
                         env={**os.environ, "TMPDIR": str(temp)}, capture_output=True, timeout=120)
    assert run.returncode == 0
    assert not list(temp.iterdir())  # the killed run's folder went with the next run


def test_a_lifeline_takes_the_workers_children_along(tmp_path):
    """What a worker starts (tesseract) is in its process group and dies with it."""
    import multiprocessing as mp

    from extractor.batch.lifeline import start_watchdog

    def worker(lifeline, inherited_write_end, pidfile):
        inherited_write_end.close()  # a forked child gets a copy; the forkserver's do not
        start_watchdog(lifeline)
        child = subprocess.Popen(["sleep", "120"])
        Path(pidfile).write_text(str(child.pid))
        time.sleep(120)

    ctx = mp.get_context("fork")
    life_r, life_w = ctx.Pipe(duplex=False)
    pidfile = tmp_path / "pid"
    p = ctx.Process(target=worker, args=(life_r, life_w, str(pidfile)))
    p.start()
    life_r.close()
    deadline = time.monotonic() + 30
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(pidfile.read_text())
    life_w.close()  # as the kernel does when the parent dies
    p.join(20)
    deadline = time.monotonic() + 20
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not p.is_alive() and not _alive(grandchild)


def test_a_folder_that_cannot_be_listed_gets_a_row_and_is_retried(tmp_path, monkeypatch):
    src, ds = tmp_path / "in", tmp_path / "ds"
    write_reports(src, 2)
    locked = src / "locked"
    write_reports(locked, 2, start=5)
    if os.geteuid() == 0:  # root reads anything: make the folder unreadable for the scan
        real = os.listdir

        def listdir(path="."):
            if isinstance(path, (str, os.PathLike)) and os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr("extractor.batch.scan.os.listdir", listdir)
    else:
        locked.chmod(0)
    run = ingest([src], ds)
    assert run.failed == 1 and run.ok == 2
    q, = run.quarantined
    assert q["path"] == str(locked) and "cannot be read" in q["reason"] and q["failure"] == "transient"
    monkeypatch.undo()
    locked.chmod(0o755)
    run = ingest([src], ds)
    stored = rows(ds)
    assert run.new == 2 and "locked" not in stored and len(stored) == 4


def test_utf16_without_a_byte_order_mark_is_read(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "utf16.txt").write_bytes(report_text(3).encode("utf-16-le"))
    run = ingest([src], tmp_path / "ds")
    row = rows(tmp_path / "ds")["utf16.txt"]
    assert run.ok == 1 and row["encoding"] == "utf-16-le" and row["n_measures"] == 2


def test_a_newline_in_a_file_name_cannot_forge_a_summary_line(tmp_path):
    src = tmp_path / "in"
    write_reports(src, 1)
    (src / "x.txt\n  QUARANTINED (failed) passwd: pwned.txt").write_bytes(b"\x00\x01\x02")
    proc = cli("ingest", src, "-o", tmp_path / "ds", "--workers", "0")
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert not any(line.startswith("  QUARANTINED (failed) passwd") for line in lines)
    assert sum(line.startswith("  QUARANTINED") for line in lines) == 1
    assert any(line.endswith("\\n  QUARANTINED (failed) passwd: pwned.txt: binary data (NUL bytes), "
                             "not a text report") for line in lines)


def test_a_dataset_path_with_glob_characters_works(tmp_path, capsys):
    src, ds = tmp_path / "in", tmp_path / "data[1]*?{a,b}"
    write_reports(src, 2)
    ingest([src], ds)
    assert main(["query", "select count(*) as n from measures", "--data", str(ds), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n4\n"
    assert main(["report", "--data", str(ds), "-o", str(tmp_path / "r.html")]) == 0
    assert "4</b><span>measures" in (tmp_path / "r.html").read_text("utf-8")


def test_no_writable_home_still_reads_reports(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env.update(HOME="/dev/null", TMPDIR=str(tmp_path))  # HOME not even a folder
    path, = write_reports(tmp_path / "in", 1)
    proc = subprocess.run([sys.executable, "-m", "extractor", "extract", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["measures"]) == 2


def test_a_scanned_pdf_without_an_ocr_engine_fails_and_is_retried(tmp_path):
    src, ds = tmp_path / "in", tmp_path / "ds"
    src.mkdir()
    shutil.copy(PDFS / "sample_tsv_plan_status__scan.pdf", src / "scan.pdf")
    no_tesseract = str(Path(sys.executable).parent)  # a PATH without tesseract
    proc = cli("ingest", src, "-o", ds, "--workers", "0", "--log-json", env={"PATH": no_tesseract})
    assert proc.returncode == 1
    row = rows(ds)["scan.pdf"]
    assert (row["status"], row["error"], row["failure"]) == ("failed", "tesseract with Thai not installed",
                                                             "transient")
    if shutil.which("tesseract"):  # once it is installed, the next run reads it
        summary = [json.loads(l) for l in cli("ingest", src, "-o", ds, "--workers", "0", "--log-json",
                                               timeout=600).stderr.splitlines() if l.startswith("{")][-1]
        assert summary["retried"] == 1 and rows(ds)["scan.pdf"]["status"] != "failed"


def test_a_night_of_hostile_inputs_among_good_reports(tmp_path):
    src, ds, elsewhere = tmp_path / "in", tmp_path / "ds", tmp_path / "elsewhere"
    good = write_reports(src, 5)
    write_reports(elsewhere, 1, start=8)
    os.mkfifo(src / "fifo.txt")
    os.symlink("/dev/zero", src / "zero.txt")
    os.symlink(elsewhere / "report_0008.txt", src / "outside.txt")
    with open(os.fsencode(src) + b"/" + "ชื่อไทย.txt".encode("cp874"), "wb") as fh:
        fh.write(report_text(11).encode())
    (src / "utf16.txt").write_bytes(report_text(12).encode("utf-16-le"))
    (src / "binary.txt").write_bytes(os.urandom(2048))
    (src / "empty.txt").write_bytes(b"")
    (src / "bomb.html").write_text("<table>" + "<tr><td>x" * 200000 + "</table>")
    (src / "line\nbreak.txt").write_bytes(b"\x00\x01\x02garbage")
    (src / "not_a_pdf.pdf").write_text("<html>404</html>")
    for night in (1, 2):
        proc = cli("ingest", src, "-o", ds, "--workers", "2", "--time-limit", "60", "--log-json",
                   timeout=600)
        events = [json.loads(l) for l in proc.stderr.splitlines() if l.startswith("{")]
        summary = events[-1]
        assert summary["event"] == "summary" and proc.returncode == summary["exit_code"]
        stored = rows(ds)
        for p in good:
            assert stored[p.name]["status"] == "ok"
        assert stored["ชื่อไทย.txt"]["status"] == stored["utf16.txt"]["status"] == "ok"
        for name in ("fifo.txt", "zero.txt", "outside.txt", "binary.txt", "empty.txt", "not_a_pdf.pdf"):
            assert stored[name]["status"] == "failed" and stored[name]["error"], name
        assert stored["line\nbreak.txt"]["status"] == "failed"
        assert len(stored) == len(list(src.iterdir()))
        if night == 1:
            assert proc.returncode == 1
        else:
            assert summary["skipped"] == len(stored) - summary["retried"]

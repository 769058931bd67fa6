"""`ita-extract report`: the HTML page's content, and the page in headless Chromium.

The Chromium tests need Debian's `chromium` (CI: apt-get install -y --no-install-recommends
chromium fonts-thai-tlwg); they skip, saying so, when it is not installed. Set
ITA_REPORT_SCREENSHOT=path.png to keep the screenshot for a look.
"""
import argparse
from collections import Counter
import os
import re
import shutil
import subprocess
import time
from html import escape
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from .dataset_helpers import as_other_version

from extractor import cli
from extractor.exploring.html_report import add_report_parser, build_report, render_report
from extractor.batch.ingest import ingest
from extractor.exploring.query import DatasetError
from extractor.dataset.schema import TABLES
from extractor.exploring.svg_charts import REPORT_STATUS_COLOURS, STATUS_COLOURS
from .conftest import copy_text_samples

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM, reason="chromium is not installed (Debian: apt-get install -y chromium)")
SECTIONS = ["reports-by-status", "measures-by-indicator", "coverage-by-province", "most-warnings",
            "needs-review", "confidence", "nulls"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """data/raw plus a binary file (failed) and a letter with no table (empty)."""
    tmp = tmp_path_factory.mktemp("report")
    folder = tmp / "in"
    copy_text_samples(folder)
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "letter.txt").write_text("เรียน นายอำเภอ\nขอเชิญประชุม\n", encoding="utf-8")
    ingest([folder], tmp / "ds")
    return tmp / "ds"


@pytest.fixture(scope="module")
def page(dataset, tmp_path_factory):
    path = build_report(dataset, tmp_path_factory.mktemp("html") / "report.html")
    return path, path.read_text(encoding="utf-8")


def bar_titles(html: str, chart_id: str) -> list[tuple[str, str, int]]:
    """(label, series, count) of every bar segment of one chart, from the segments' <title>."""
    svg = re.search(rf'<svg class="chart" id="{chart_id}".*?</svg>', html, re.S).group(0)
    return [(label, series, int(n)) for label, series, n in
            re.findall(r'<rect class="bar"[^>]*><title>(.*?) — (.*?): (\d+)</title>', svg)]


def test_page_is_self_contained(page):
    html = page[1]
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    for needle in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src="):
        assert needle not in html, needle
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', html))


def test_page_summarises_the_dataset(page, dataset):
    html = page[1]
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in html
    assert "<b>6</b><span>reports</span>" in html and "<b>19</b><span>measures</span>" in html
    assert "<b>1</b><span>failed</span>" in html and "<b>1</b><span>empty</span>" in html
    assert "junk.txt" in html and "binary data" in html  # the failed file with its error
    assert {s for _, s, _ in bar_titles(html, "chart-report-status")} == {"ok", "empty", "failed"}
    # The indicator chart's segments add up to the measures, by status.
    segments = bar_titles(html, "chart-indicator-status")
    assert sum(n for *_, n in segments) == 19
    assert sum(n for _, s, n in segments if s == "completed") == 11
    measures = ds.dataset(dataset / "measures", format="parquet", partitioning="hive").to_table().to_pylist()
    expected = Counter((m["indicator_no"] or m["indicator_inferred"], m["status"] or "no status")
                       for m in measures)
    assert Counter({(int(label.split()[0]) if label[0].isdigit() else None, s): n
                    for label, s, n in segments}) == expected
    provinces = {label for label, _, _ in bar_titles(html, "chart-province")}
    assert provinces == {"ภูเก็ต", "สมุทรปราการ", "เชียงราย", "เชียงใหม่"}
    assert "<td>(province not resolved)</td><td class=\"num\">0</td>" in html  # the letter: no agency
    # The report with most warning notes comes first after the failed file, by kind.
    warned = html[html.index('<section id="most-warnings">'):html.index('<section id="needs-review">')]
    assert warned.index("junk.txt") < warned.index("letter.txt")
    assert "file_failed (review) ×1" in warned and "agency_missing (review) ×1" in warned
    assert "status_merged" not in warned  # info notes are not warnings
    # Fields most often null, as shares; `error` is null by design and left out.
    nulls = html[html.index('<section id="nulls">'):]
    assert re.search(r"<title>recommendation — null: \d+%</title>", nulls)
    assert "<title>error — null" not in nulls and "<code>error</code> (only failed files" in nulls


def test_same_dataset_same_bytes(page, dataset):
    assert render_report(dataset) == page[1]


def _section(html: str, sid: str) -> str:
    start = html.index(f'<section id="{sid}">')
    return html[start:html.index("</section>", start)]


def test_needs_review_lists_flagged_reports_with_their_reasons(page, dataset):
    section = _section(page[1], "needs-review")
    reports = ds.dataset(dataset / "reports", format="parquet", partitioning="hive").to_table().to_pylist()
    flagged = [r for r in reports if r["needs_review"]]
    assert {"junk.txt", "letter.txt"} <= {r["source_file"] for r in flagged}  # failed, empty
    assert f"{len(flagged)} report(s) flagged, {len(reports) - len(flagged)} not flagged." in section
    for r in flagged:
        assert r["source_file"] in section
        for reason in r["review_reasons"]:
            assert f"<li>{escape(reason)}</li>" in section


def _without_review_columns(dataset: Path, out: Path) -> Path:
    def older(f):
        t = pq.read_table(f)
        pq.write_table(t.drop_columns([c for c in ("needs_review", "review_reasons") if c in t.column_names]), f)

    return as_other_version(dataset, out, "reports", older, schema_version="1")


def test_needs_review_on_older_datasets(dataset, tmp_path, monkeypatch):
    old = _without_review_columns(dataset, tmp_path / "old")
    if "needs_review" in TABLES["reports"].names:  # the schema has it, these files do not
        assert "6 without the flag (written before it existed)" in _section(render_report(old), "needs-review")
        monkeypatch.setitem(TABLES, "reports", pa.schema(
            [f for f in TABLES["reports"] if f.name not in ("needs_review", "review_reasons")]))
    assert "no <code>reports.needs_review</code> column" in _section(render_report(old), "needs-review")


def test_text_from_reports_is_escaped_and_empty_tables_render(tmp_path):
    (tmp_path / "ds" / "reports").mkdir(parents=True)
    row = {"report_id": "r1", "source_file": "<b>x</b>.txt", "source_path": "/x", "status": "ok",
           "agency_name": "<script>alert(1)</script>", "agency_id": "A-1", "fiscal_year_be": 2567,
           "notes": [{"kind": "row_not_measure", "severity": "warning", "page": 1, "line": 3,
                      "message": 'raw cell: <input type="checkbox" checked> & more'}]}
    pq.write_table(pa.Table.from_pylist([row], schema=TABLES["reports"]),
                   tmp_path / "ds" / "reports" / "part-0.parquet")
    html = render_report(tmp_path / "ds")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;input type=&quot;checkbox&quot; checked&gt; &amp; more" in html
    assert "no data" in html and "measures: no rows" in html


def test_command(dataset, tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="ita-extract")
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["report", "--data", str(dataset), "-o", str(tmp_path / "r.html")])
    assert args.handler(args) == 0 and (tmp_path / "r.html").is_file()
    args = parser.parse_args(["report", "--data", str(tmp_path / "none"), "-o", str(tmp_path / "n.html")])
    assert args.handler(args) == 2 and str(tmp_path / "none") in capsys.readouterr().err
    with pytest.raises(DatasetError):
        build_report(tmp_path / "none", tmp_path / "n.html")
    sub = next(a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction))
    if "report" in sub.choices:  # once wired into cli.py
        assert cli.main(["report", "--data", str(dataset), "-o", str(tmp_path / "c.html")]) == 0


# --- headless Chromium ------------------------------------------------------------------

def chromium(tmp_path: Path, url: str, *mode: str) -> subprocess.CompletedProcess:
    """One headless run with the flags CI uses; console messages are logged to stderr."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
           f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
           "--hide-scrollbars", *mode, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def console_messages(stderr: str) -> list[str]:
    """Lines Chromium logs for the page's console: errors, uncaught exceptions, failed loads."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@needs_chromium
def test_console_errors_are_seen(tmp_path):
    """The check below would notice a script error: a page with one is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><p>x</p><script>notDefined()</script>", encoding="utf-8")
    run = chromium(tmp_path, bad.as_uri(), "--dump-dom")
    assert any("notDefined" in m for m in console_messages(run.stderr)), run.stderr[-2000:]


@needs_chromium
def test_page_in_headless_chromium(page, tmp_path):
    path, html = page
    start = time.perf_counter()
    run = chromium(tmp_path, path.as_uri(), "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_messages(run.stderr) == []
    dom = run.stdout
    # The browser parsed the page into the expected elements: sections, and every chart with
    # all its bars (the DOM is Chromium's serialisation, not our file).
    assert "<h1>ita-extract dataset report: ds</h1>" in dom
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in dom
    for chart in re.findall(r'<svg class="chart" id="([^"]+)"', html):
        svg = re.search(rf'<svg class="chart" id="{chart}".*?</svg>', dom, re.S)
        assert svg, chart
        assert svg.group(0).count('<rect class="bar"') == len(re.findall(
            r'<rect class="bar"', re.search(rf'<svg class="chart" id="{chart}".*?</svg>', html, re.S).group(0)))

    shot = tmp_path / "report.png"
    run = chromium(tmp_path, path.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000")
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    assert console_messages(run.stderr) == []
    if os.environ.get("ITA_REPORT_SCREENSHOT"):
        shutil.copy(shot, os.environ["ITA_REPORT_SCREENSHOT"])
    Image = pytest.importorskip("PIL.Image", reason="Pillow reads the screenshot")
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 2000)
    colours = {rgb: n for n, rgb in img.getcolors(maxcolors=1 << 24)}
    assert len(colours) > 50  # text, rules and bars, not a blank page
    white = colours.get((255, 255, 255), 0)
    assert white < 0.95 * img.size[0] * img.size[1]
    # Charts are drawn: each status colour fills at least a few bars' worth of pixels.
    for name, hex_ in {**STATUS_COLOURS, "failed": REPORT_STATUS_COLOURS["failed"]}.items():
        rgb = tuple(int(hex_[i:i + 2], 16) for i in (1, 3, 5))
        assert colours.get(rgb, 0) > 400, f"{name} bars ({hex_}) not drawn"
    print(f"chromium: dom + screenshot in {time.perf_counter() - start:.1f}s")

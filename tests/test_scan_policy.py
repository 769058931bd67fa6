"""Which pages go to OCR, how many at once, and what is recorded (issues 11 and 14).

Mostly without tesseract: the policy, the queue's bound, the core share of ingest
workers, scan-image detection, `--ocr never`, page progress. One test OCRs a one-page
born-digital PDF under `--ocr force` (about 3 s).
"""
import io
import threading
from pathlib import Path

import pytest

from extractor.batch.ingest import IngestOptions, ingest
from extractor.batch.progress import Progress
from extractor.reading.pipeline import extract_report
from extractor.reading.readers import ocr
from extractor.reading.readers.ocr_policy import OcrOptions, OcrQueue, is_scan_image, plan_page
from extractor.reading.readers.pdf import read_pdf

PDFS = Path(__file__).parent / "pdfs"
SCANS = PDFS / "scans"
SCAN = SCANS / "scan_a_maitra__chromium_ruled.pdf"  # two pages, image only
LAYER = SCANS / "scan_d_namom__libreoffice_ruled_ocrmypdf.pdf"  # with ocrmypdf's text layer
BORN = PDFS / "sample_tsv_plan_status__ruled.pdf"
needs_tesseract = pytest.mark.skipif(
    "tha" not in ocr.tesseract_langs(),
    reason="tesseract with the Thai model is not installed (apt-get install tesseract-ocr tesseract-ocr-tha)")


def test_the_policy_per_page():
    assert plan_page(True, True, False, "auto").method == "text"
    assert plan_page(True, True, True, "auto").scan_layer  # OCR'd before: reused
    assert plan_page(False, False, True, "auto").method == "ocr"
    assert plan_page(True, False, False, "auto").reason == "its text layer looks broken"
    assert plan_page(False, False, True, "never").method == "none"
    assert plan_page(True, True, False, "force").method == "ocr"
    assert OcrOptions.of(False).mode == "never" and OcrOptions.of(True).mode == "auto"
    with pytest.raises(ValueError):
        OcrOptions("sometimes")


def test_scans_are_told_from_born_digital_pages():
    import pypdfium2 as pdfium

    for path, expected in ((SCAN, True), (LAYER, True), (BORN, False)):
        pdf = pdfium.PdfDocument(str(path))
        page = pdf[0]
        tp = page.get_textpage()
        assert is_scan_image(page, tp) is expected, path.name
        tp.close()
        page.close()
        pdf.close()


class _Job:
    def __init__(self, running: list) -> None:
        self.running = running
        running.append(self)

    def cancel(self) -> None:
        if self in self.running:
            self.running.remove(self)


@pytest.mark.parametrize("size", [1, 2, 3])
def test_the_queue_never_runs_more_pages_than_its_cores(size):
    """Pages 0–9, all scanned but 4 and 5: started ahead of their turn, never more
    than `size` at once, each exactly once, in page order."""
    running: list[_Job] = []
    started: list[int] = []
    most = 0

    def start(i):
        nonlocal most
        started.append(i)
        job = _Job(running)
        most = max(most, len(running))
        return job

    plan = lambda i: plan_page(i in (4, 5), i in (4, 5), False, "auto")  # noqa: E731
    queue = OcrQueue(10, size, plan, start)
    for i in range(10):
        if plan(i).method == "ocr":
            queue.job(i).cancel()  # collected: its tesseract is done
    assert most == size and started == [0, 1, 2, 3, 6, 7, 8, 9]


def test_ingest_workers_share_the_cores(monkeypatch, tmp_path):
    """With N workers each OCRs at most cores/N pages at once (never oversubscribing);
    in-process, all the cores; the mode is passed through."""
    import extractor.batch.ingest as ingest_mod
    from extractor.reading.readers import ocr_policy

    seen = {}
    monkeypatch.setattr(ocr_policy, "available_cores", lambda: 4)
    monkeypatch.setattr(ingest_mod, "run_local",
                        lambda paths, workers, limits, on_result, version, read, on_page:
                        seen.update(local=read))
    monkeypatch.setattr(ingest_mod, "run_inline",
                        lambda paths, on_result, version, read, on_page: seen.update(inline=read))
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.pdf").write_bytes(BORN.read_bytes())
    ingest([src], tmp_path / "ds1", IngestOptions(workers=2, ocr="never"))
    ingest([src], tmp_path / "ds2", IngestOptions(workers=0, ocr="force"))
    assert seen["local"] == OcrOptions("never", 2)
    assert seen["inline"] == OcrOptions("force", None) and seen["inline"].pages_at_once == 4


def test_ocr_never_leaves_a_scan_unread_and_says_so():
    doc = read_pdf(SCAN, "never")
    assert not doc.blocks and not doc.ocr_used
    assert [(p.method, p.reason) for p in doc.page_sources] == [
        ("none", "it has no text layer; OCR off")] * 2
    assert [n.kind for n in doc.notes] == ["page_not_read"] * 2


def test_progress_shows_file_page_and_time(tmp_path):
    """Page progress reaches the batch Progress from worker processes, and its log line
    names the file, the page of pages and the time spent on the file."""
    src = tmp_path / "in"
    src.mkdir()
    (src / SCAN.name).write_bytes(SCAN.read_bytes())
    pages: list[tuple[str, int, int]] = []
    ingest([src], tmp_path / "ds", IngestOptions(workers=1, ocr="never"),
           on_page=lambda path, i, n: pages.append((Path(path).name, i, n)))
    assert pages == [(SCAN.name, 1, 2), (SCAN.name, 2, 2)]
    out = io.StringIO()
    progress = Progress(out)
    progress.last_log = -1e9  # log the next line at once
    progress.page(str(src / SCAN.name), 2, 2)
    assert f"{SCAN.name} page 2/2" in out.getvalue() and "[0/?]" in out.getvalue()


@needs_tesseract
def test_ocr_force_reads_a_born_digital_page_by_ocr(tmp_path):
    from tests.fixtures.make_pdfs import font_files, render_report

    if font_files() is None:
        pytest.skip("Thai fonts not installed (fonts-tlwg-laksaman-ttf, fonts-dejavu-core)")
    born = render_report("รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n\n"
                         "มาตรการ\tผู้รับผิดชอบ\tระยะเวลา\n"
                         "๑. ประกาศเจตนารมณ์สุจริต\tสำนักปลัด\tธ.ค. ๒๕๖๗\n",
                         tmp_path / "born.pdf", landscape=False, font_size=14)
    assert [p.method for p in read_pdf(born).page_sources] == ["text"]
    doc = read_pdf(born, "force")
    assert [(p.method, p.reason) for p in doc.page_sources] == [("ocr", "OCR forced (--ocr force)")]
    assert doc.ocr_used and any("สำนักปลัด" in c.text for t in doc.tables() for r in t.rows for c in r)


@needs_tesseract
def test_an_ocrmypdf_layer_is_reused_not_ocrd_again():
    """`--ocr auto` on a scan that ocrmypdf already OCR'd: the layer's words are read,
    the grid comes from the image, and tesseract does not run again."""
    report = extract_report(LAYER)
    assert [p.method for p in report.page_sources] == ["text"]
    assert "scan" in report.page_sources[0].reason and not report.ocr_used
    assert len(report.measures) == 5

"""PDF path speed and memory, against a pypdfium2 floor, pdfplumber, camelot and ocrmypdf.

usage: python benchmarks/bench_pdf.py [--rounds N] [--no-ocr] [--no-camelot] [--no-memory]
                                     [--shares]

Born-digital corpus: the multi-engine corpus committed under tests/pdfs/corpus
(LibreOffice from .docx/.odt, Chromium, WeasyPrint; damaged layers left out), plus the
seed reports rendered by reportlab (ruled and unruled, landscape A4) when ../shared
exists. Every tool reads every page of every file; the tools take turns, round after
round (default 5), and each keeps its fastest round: on a shared machine the slowest
rounds measure the neighbours. Ratios come from that one run. Tools:

- floor: a pypdfium2 loop over every character, its code point and loose box (what
  the reader cannot do without), and pypdfium2's page text alone
- ours, reader: `extractor.reading.readers.pdf.read_pdf` (OCR off: no page needs it)
- ours, whole: `extractor.reading.pipeline.extract_report` (reader + tables, records, fields)
- pdfplumber `page.extract_words()`, `page.extract_tables()` (pages closed as read)
- camelot `read_pdf(flavor="lattice")` (pip install camelot-py, the `bench` extra)

OCR: one seed-layout report scanned (image only, 200 dpi), read by our OCR path, and by
`ocrmypdf --force-ocr -l tha` alone (Debian's ocrmypdf), both with one tesseract job.
Memory: peak RSS of a fresh process reading a 100-page born-digital PDF with read_pdf.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.make_pdfs import image_only, render_report  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


CORPUS = ROOT / "tests" / "pdfs" / "corpus"


def corpus(out: Path) -> list[Path]:
    files = sorted(p for p in CORPUS.glob("*.pdf") if "__damaged-" not in p.name)
    texts = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    for t in texts:
        for ruled in (True, False):
            f = out / f"{t.stem}__{'ruled' if ruled else 'unruled'}.pdf"
            render_report(t.read_text("utf-8"), f, ruled=ruled)
            files.append(f)
    return files


def n_pages(f: Path) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(f))
    try:
        return len(pdf)
    finally:
        pdf.close()


def floor(f: Path) -> None:
    """Every character's code point and loose box, as Python values: the least a reader
    of characters and their positions does."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(f))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            r = raw.FS_RECTF()
            rp = ctypes.byref(r)
            out = []
            for k in range(raw.FPDFText_CountChars(tp)):
                u = raw.FPDFText_GetUnicode(tp, k)
                raw.FPDFText_GetLooseCharBox(tp, k, rp)
                out.append((u, r.left, r.top, r.right, r.bottom))
            tp.close()
            page.close()
    finally:
        pdf.close()


def text_only(f: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(f))
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
    finally:
        pdf.close()


def best_times(tools: dict, files: list[Path], rounds: int) -> dict[str, float]:
    """Each tool's fastest round over all files, the tools taking turns."""
    for fn in tools.values():
        fn(files[0])  # warm-up: imports, dictionaries, caches
    best = {name: float("inf") for name in tools}
    for _ in range(rounds):
        for name, fn in tools.items():
            t0 = time.perf_counter()
            for f in files:
                fn(f)
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def plumber(method: str):
    def run(f: Path) -> None:
        import pdfplumber
        with pdfplumber.open(str(f)) as pdf:
            for page in pdf.pages:
                getattr(page, method)()
                page.close()
    return run


def camelot_lattice(f: Path) -> None:
    import camelot
    camelot.read_pdf(str(f), pages="all", flavor="lattice")


def born_digital(files: list[Path], with_camelot: bool, rounds: int) -> None:
    from extractor.reading.pipeline import extract_report
    from extractor.reading.readers.pdf import read_pdf

    pages = sum(n_pages(f) for f in files)
    tools = {"floor: pypdfium2 characters and boxes": floor,
             "pypdfium2 page text only": text_only,
             "ours: read_pdf (reader)": lambda f: read_pdf(f, ocr=False),
             "ours: extract_report (whole)": extract_report,
             "pdfplumber extract_words": plumber("extract_words"),
             "pdfplumber extract_tables": plumber("extract_tables")}
    if with_camelot and importlib.util.find_spec("camelot"):
        tools["camelot lattice"] = camelot_lattice
    elif with_camelot:
        print("camelot not installed (pip install camelot-py): skipped")
    best = best_times(tools, files, rounds)
    rates = {name: pages / t for name, t in best.items()}
    ours = rates["ours: read_pdf (reader)"]
    print(f"\nborn-digital: {len(files)} files, {pages} pages; best of {rounds} rounds\n")
    print("| tool | pages/s | ours (reader) ÷ tool |\n|---|---:|---:|")
    for name, r in rates.items():
        print(f"| {name} | {r:.1f} | {ours / r:.2f}× |")


def shares(files: list[Path], rounds: int = 2) -> None:
    """Where the reader's time goes: its stages timed inside `read_pdf` (the functions
    wrapped with a timer for this pass only), as shares of its total."""
    import pypdfium2 as pdfium

    from extractor.reading.readers import glyphs as glyphs_mod, page as page_mod, pdf as pdf_mod

    spent: dict[str, float] = {}
    stages = [(pdfium.PdfDocument, "get_page", "page load (pdfium, as the floor)"),
              # (the reader loads a page's text page directly, not through get_textpage)
              (glyphs_mod._TextPage, "__init__", "  text page (pdfium, as the floor)"),
              (pdf_mod, "read_text_layer", "text layer (incl. text page)"),
              (pdf_mod, "page_edges", "rules: edges from path objects"),
              (pdf_mod, "ruled_grids", "rules: ruled grids"),
              (pdf_mod, "page_blocks", "page assembly"),
              (page_mod, "find_unruled", "  unruled tables"),
              (page_mod, "_table_block", "  cells"),
              (pdf_mod, "_repaired", "text repairs")]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in stages]

    def timed(fn, label):
        def run(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t0
        return run

    for (owner, name, label), (_, _, fn) in zip(stages, saved):
        setattr(owner, name, timed(fn, label))
    try:
        t0 = time.perf_counter()
        for _ in range(rounds):
            for f in files:
                pdf_mod.read_pdf(f, ocr=False)
        total = time.perf_counter() - t0
    finally:
        for owner, name, fn in saved:
            setattr(owner, name, fn)
    top = sum(v for k, v in spent.items() if not k.startswith(" "))  # (nested: "  …")
    print(f"\nreader time by stage ({rounds} passes, {total:.2f} s, timers included)\n")
    print("| stage | share |\n|---|---:|")
    for _, _, label in stages:
        print(f"| {label.strip() if not label.startswith(' ') else '… ' + label.strip()} | "
              f"{spent.get(label, 0.0) / total:.0%} |")
    print(f"| the rest (document open, plans, page joins) | {(total - top) / total:.0%} |")


def ocr(tmp: Path) -> None:
    from extractor.reading.pipeline import extract_report

    src = (SEEDS / "000_93688901ef3ad390.txt") if SEEDS.is_dir() else \
        ROOT / "data" / "raw" / "sample_markdown_indicators.md"
    born = render_report(src.read_text("utf-8"), tmp / "born.pdf", font_size=10)
    scan = image_only(born, tmp / "scan.pdf", dpi=200)
    pages = n_pages(scan)
    t0 = time.perf_counter()
    report = extract_report(scan)
    ours = time.perf_counter() - t0
    print(f"\nOCR: {src.name} scanned, {pages} pages, 200 dpi\n")
    print("| tool | s/page | measures |\n|---|---:|---:|")
    print(f"| ours (render, rules, tesseract tha+eng, tables) | {ours / pages:.2f} | "
          f"{len(report.measures)} |")
    exe = shutil.which("ocrmypdf")
    if exe is None:
        print("| ocrmypdf | not installed (apt-get install ocrmypdf) | |")
        return
    for jobs in (1, 2):
        t0 = time.perf_counter()
        subprocess.run([exe, "-q", "--force-ocr", "-l", "tha", "--output-type", "pdf",
                        "--optimize", "0", "--jobs", str(jobs), str(scan), str(tmp / "o.pdf")],
                       check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        t = time.perf_counter() - t0
        print(f"| ocrmypdf alone, --jobs {jobs} (text layer only, no tables) | {t / pages:.2f} | – |")


def memory(tmp: Path) -> None:
    texts = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else \
        [ROOT / "data" / "raw" / "sample_tsv_plan_status.txt"]
    body = "\n\n".join(t.read_text("utf-8") for t in texts)
    big = tmp / "hundred.pdf"
    text = body
    while True:
        render_report(text, big)
        if n_pages(big) >= 100:
            break
        text += "\n\n" + body
    pages = n_pages(big)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
    code = ("import re, sys, time; sys.path.insert(0, %r)\n"
            "hwm = lambda: int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
            "from extractor.reading.readers.pdf import read_pdf\n"
            "base = hwm()\n"
            "t = time.perf_counter(); d = read_pdf(%r); t = time.perf_counter() - t\n"
            "print(base, hwm(), t, len(d.blocks))"
            % (str(ROOT), str(big)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    base, peak, secs, blocks = out.stdout.split()
    print(f"\nmemory: {pages}-page PDF ({big.stat().st_size / 1e6:.1f} MB), read_pdf in a fresh "
          f"process: peak RSS {int(peak) / 1024:.0f} MB (after imports {int(base) / 1024:.0f} MB), "
          f"{pages / float(secs):.1f} pages/s, {blocks} blocks")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--no-camelot", action="store_true")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--shares", action="store_true", help="where the reader's time goes")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        files = corpus(tmp)
        born_digital(files, not args.no_camelot, args.rounds)
        if args.shares:
            shares(files)
        if not args.no_ocr:
            ocr(tmp)
        if not args.no_memory:
            memory(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

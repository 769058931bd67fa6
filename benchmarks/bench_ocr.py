"""OCR speed: seconds per scanned page for the whole pipeline against tesseract alone on
the same page images at the same dpi, at 1 and 2 cores, in one run.

usage: python benchmarks/bench_ocr.py [FOLDER] [--repeat N] [--psm P]
       (default FOLDER: build/scan-corpus/scan — make it with tests/fixtures/make_scans.py)

- tesseract alone: every page of every PDF rendered once at 200 dpi (grey, as the
  pipeline renders it) to an image file, then `tesseract IMAGE OUT -l tha --psm P tsv`
  with OMP_THREAD_LIMIT=1, one process at a time (1 core) and two at a time (2 cores).
  Rendering is not counted: it is the floor for the OCR alone.
- ours: `extract_report(path, OcrOptions("auto", cores=C))` on each file in turn, C = 1
  and 2 — the whole pipeline: render, deskew, grid, marks, tesseract (C pages at once),
  digit and Latin re-reads, tables, records, document fields.

Each measurement is repeated (`--repeat`, default 1) and the fastest kept; all in one
run, so that the ratios hold on a shared machine whose speed moves between runs.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def render_pages(pdfs: list[Path], out: Path, dpi: int = 200) -> list[Path]:
    import pypdfium2 as pdfium

    images = []
    for f in pdfs:
        pdf = pdfium.PdfDocument(str(f))
        for i in range(len(pdf)):
            img = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            path = out / f"{f.stem}-{i}.pgm"
            img.save(path)
            images.append(path)
        pdf.close()
    return images


def tesseract_alone(images: list[Path], processes: int, psm: str, out: Path) -> float:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def one(img: Path) -> None:
        subprocess.run(["tesseract", str(img), str(out / img.stem), "-l", "tha", "--psm", psm,
                        "--dpi", "200", "tsv"], capture_output=True, env=env, check=True)

    t = time.perf_counter()
    with ThreadPoolExecutor(processes) as pool:  # each thread waits on one tesseract
        list(pool.map(one, images))
    return time.perf_counter() - t


def ours(pdfs: list[Path], cores: int) -> tuple[float, int]:
    from extractor.reading.pipeline import extract_report
    from extractor.reading.readers.ocr_policy import OcrOptions

    t = time.perf_counter()
    measures = 0
    for f in pdfs:
        report = extract_report(f, OcrOptions("auto", cores))
        measures += len(report.measures)
    return time.perf_counter() - t, measures


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT / "build" / "scan-corpus" / "scan"))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--psm", default="6")
    args = ap.parse_args()
    pdfs = sorted(Path(args.folder).glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {args.folder}: run tests/fixtures/make_scans.py first")
        return 2
    from extractor.reading.pipeline import extract_report
    extract_report(pdfs[0], "never")  # imports and the first-call loads, outside the timings
    from extractor.reading.readers.thai_digits import _templates
    _templates()
    with tempfile.TemporaryDirectory() as tmp:
        images = render_pages(pdfs, Path(tmp))
        n = len(images)
        results: dict[str, float] = {}
        for _ in range(args.repeat):
            for cores in (1, 2):
                t = tesseract_alone(images, cores, args.psm, Path(tmp))
                results[f"tess{cores}"] = min(results.get(f"tess{cores}", 1e9), t)
                t, m = ours(pdfs, cores)
                results[f"ours{cores}"] = min(results.get(f"ours{cores}", 1e9), t)
    print(f"{len(pdfs)} files, {n} pages, load {os.getloadavg()[0]:.1f}")
    print(f"{'':28s} {'1 core':>14s} {'2 cores':>14s} {'1→2 speed-up':>14s}")
    for key, label in (("tess", f"tesseract alone (psm {args.psm})"), ("ours", "ours, whole pipeline")):
        a, b = results[f"{key}1"], results[f"{key}2"]
        print(f"{label:28s} {a / n:11.2f} s/p {b / n:11.2f} s/p {a / b:13.2f}×")
    print(f"{'ours ÷ tesseract alone':28s} {results['ours1'] / results['tess1']:13.2f}× "
          f"{results['ours2'] / results['tess2']:13.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())

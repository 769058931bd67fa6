"""Which pages of a PDF go to OCR, why, and how many at once.

The policy is ocrmypdf's: `auto` reads a page's own text layer when it is good (a
born-digital page; or a scan whose invisible layer was OCR'd before, by ocrmypdf or a
scanner's software: its words are reused, only the grid and the marks come from the
image — no page is OCR'd twice), OCRs pages with no usable layer, and says per page
which it did and why; `force` OCRs every page; `never` OCRs none (a page with no usable
layer is then not read, and a note says so).

OCR of one file runs several pages at once, up to the cores the reader is given: the
whole machine when a file is read on its own, the machine's share of one worker when a
batch runs several workers (`ingest` divides the cores), so the batch never
oversubscribes. Each tesseract is single-threaded.
"""
from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass

OCR_MODES = ("auto", "never", "force")


def available_cores() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class OcrOptions:
    """How a reader treats pages: `mode` auto|never|force; `cores`: pages OCR'd at once
    (None: every CPU this process may use)."""

    mode: str = "auto"
    cores: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in OCR_MODES:
            raise ValueError(f"OCR mode must be one of {', '.join(OCR_MODES)}, not {self.mode!r}")

    @property
    def pages_at_once(self) -> int:
        return max(1, self.cores or available_cores())

    @classmethod
    def of(cls, value: "OcrOptions | str | bool | None") -> "OcrOptions":
        """Options from what callers pass: options, a mode, or the old True/False."""
        if isinstance(value, OcrOptions):
            return value
        if value is None or value is True:
            return cls()
        if value is False:
            return cls("never")
        return cls(str(value))


@dataclass(frozen=True)
class PagePlan:
    """What to do with one page — decided from the born-digital reader's verdict on its
    text layer (`text_layer.judge_text_layer`): `text` (its own layer; `scan_layer` when that layer
    lies invisible over a page image, so the grid must come from the image), `ocr`, or
    `none` (not read), and why, in words for `page_sources`."""

    method: str
    reason: str
    scan_layer: bool = False


def plan_page(has_text: bool, layer_ok: bool, scan_image: bool, mode: str) -> PagePlan:
    """The policy for one page.

    >>> plan_page(True, True, False, "auto").method
    'text'
    >>> plan_page(True, True, True, "auto")
    PagePlan(method='text', reason='text layer of a scan (OCR done before) reused; grid from the image', scan_layer=True)
    >>> plan_page(False, False, True, "auto").reason
    'it has no text layer'
    >>> plan_page(True, False, False, "never")
    PagePlan(method='none', reason='its text layer looks broken; OCR off', scan_layer=False)
    >>> plan_page(True, True, False, "force").method
    'ocr'
    """
    if mode == "force":
        return PagePlan("ocr", "OCR forced (--ocr force)")
    if has_text and layer_ok:
        if scan_image:
            return PagePlan("text", "text layer of a scan (OCR done before) reused; grid from "
                            "the image", scan_layer=True)
        return PagePlan("text", "text layer read")
    why = "its text layer looks broken" if has_text else "it has no text layer"
    if mode == "never":
        return PagePlan("none", f"{why}; OCR off")
    return PagePlan("ocr", why)


def is_scan_image(page, textpage=None) -> bool:
    """Whether a pdfium page is a scan: its text (if any) invisible — an OCR layer laid
    over the picture, as ocrmypdf, scanner software and Acrobat's "searchable image"
    write it (render mode 3) — and one image covering most of the page. A born-digital
    page is told by its first visible character, without walking its objects."""
    import pypdfium2.raw as raw

    if textpage is not None:
        n = raw.FPDFText_CountChars(textpage)
        for k in range(0, n, max(1, n // 24)):  # a sample: layers are all invisible
            obj = raw.FPDFText_GetTextObject(textpage, k)
            if obj and raw.FPDFTextObj_GetTextRenderMode(obj) != raw.FPDF_TEXTRENDERMODE_INVISIBLE:
                return False
    width, height = page.get_size()
    area = max(width * height, 1.0)
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    for k in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, k)
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(
                obj, *(ctypes.byref(v) for v in (l, b, r, t))):
            if (r.value - l.value) * (t.value - b.value) >= 0.6 * area:
                return True
    return False


class OcrQueue:
    """Pages OCR'd ahead of their turn, at most `size` tesseracts at once.

    `plan(i)` says what page i needs (cached by the caller); `start(i)` prepares page i
    and starts its tesseract. When the reader asks for page i's job, the queue first tops
    up: pages ahead that need OCR are started until `size` run, so the cores are busy
    while the reader waits for page i and assembles it."""

    def __init__(self, n_pages: int, size: int, plan, start) -> None:
        self.n_pages, self.size = n_pages, max(1, size)
        self.plan, self.start = plan, start
        self.jobs: dict[int, object] = {}
        self.next = 0  # the first page not yet looked at for starting

    def job(self, i: int):
        if i not in self.jobs:
            self.jobs[i] = self.start(i)
        self.next = max(self.next, i + 1)
        while len(self.jobs) < self.size and self.next < self.n_pages:
            j = self.next
            self.next += 1
            if self.plan(j).method == "ocr":
                self.jobs[j] = self.start(j)
        return self.jobs.pop(i)

    def close(self) -> None:
        """Stop what was started ahead but never collected (an error, a time limit)."""
        for job in self.jobs.values():
            job.cancel()
        self.jobs.clear()

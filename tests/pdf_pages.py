"""A page of a PDF as the reader's text layer reads it (for tests of the page assembly)."""
from pathlib import Path

import pytest


def page_glyphs(path: Path, index: int = 0):
    """The page's `Glyphs`, read as `read_pdf` reads them."""
    pdfium = pytest.importorskip("pypdfium2")
    from extractor.reading.readers.pdf import _to_display, read_text_layer
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        try:
            return read_text_layer(page, _to_display(page))[0]
        finally:
            page.close()
    finally:
        pdf.close()

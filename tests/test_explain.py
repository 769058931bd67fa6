"""The visual debugger (`ita-extract explain`) writes what it says, on a committed PDF."""
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.exploring.explain import SCALE, _COLOURS, explain

PDF = Path(__file__).resolve().parent / "pdfs" / "sample_tsv_plan_status__ruled.pdf"


def test_explain_draws_each_page_and_describes_what_was_read(tmp_path):
    from PIL import Image
    import pypdfium2 as pdfium

    written = explain(PDF, tmp_path)
    pdf = pdfium.PdfDocument(str(PDF))
    sizes = [pdf[i].get_size() for i in range(len(pdf))]
    pdf.close()
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert [p.name for p in pngs] == [f"page-{i:03d}.png" for i in range(1, len(sizes) + 1)]
    assert set(written) == set(pngs) | {tmp_path / "explain.txt"}
    for png, (w, h) in zip(pngs, sizes):
        image = Image.open(png).convert("RGB")
        assert abs(image.width - w * SCALE) <= 1 and abs(image.height - h * SCALE) <= 1
    # the first measure's cells are outlined in its colour on page 1
    import numpy as np
    first = np.asarray(Image.open(pngs[0]).convert("RGB"))
    outline = int((first == np.array(_COLOURS[0], np.uint8)).all(axis=2).sum())
    assert outline > 500
    text = (tmp_path / "explain.txt").read_text("utf-8")
    assert "page 1: text (text layer read" in text
    assert "header [measure]" in text and "header [period_text]" in text
    assert "measures: 4" in text
    assert "#1 page 1" in text and "กำหนดหลักเกณฑ์การมอบหมายงาน" in text


def test_explain_one_page_from_the_command_line(tmp_path, capsys):
    assert main(["explain", str(PDF), "--page", "2", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["explain.txt", "page-002.png"]
    assert "page-002.png" in capsys.readouterr().out
    assert "=== page 1 ===" not in (tmp_path / "explain.txt").read_text("utf-8")


@pytest.mark.parametrize("args", [["--page", "99"], []])
def test_explain_refuses_what_it_cannot_do(tmp_path, args, capsys):
    target = PDF if args else tmp_path / "missing.pdf"
    assert main(["explain", str(target), *args, "-o", str(tmp_path / "out")]) == 2
    assert "ita-extract:" in capsys.readouterr().err

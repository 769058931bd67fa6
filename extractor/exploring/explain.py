"""A visual debugger for PDFs: what the reader saw on each page, and what became of it.

`explain(path, out_dir)` writes, per page, `page-NNN.png`: the page rendered with
- every table cell it found, outlined in grey (ruled grids and unruled ones alike);
- each header cell filled light blue and labelled with the field it maps to
  (`period_text`, `status_completed`, … or `?` when no field);
- each extracted measure's cells outlined in a colour of its own, labelled `#k field`;
- paragraph lines outside tables underlined faintly;
and `explain.txt`: how each page was read and why (text layer, OCR, not read), the
notes, each page's lines and tables (every cell with its field and box), and the
measures with their page and box — as pdfplumber's `debug_tablefinder()` shows its
table finding, for this reader. `ita-extract explain FILE [--page N] -o DIR` is a thin
layer over it.
"""
from __future__ import annotations

from pathlib import Path

from extractor.model import Document, Line, Report, Table

SCALE = 1.5  # pixels per point (108 dpi)
_COLOURS = [(230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180),
            (70, 240, 240), (240, 50, 230), (128, 128, 0), (0, 128, 128), (170, 110, 40)]
GRID = (150, 150, 150)
HEADER = (200, 225, 255)


def _layouts(doc: Document) -> dict[int, tuple[tuple[str | None, ...], int]]:
    """Per table (by id): the fields of its columns and how many header rows it has —
    its own header, else the last one of the same width (a table continued)."""
    from extractor.reading.layout import read_layout

    out: dict[int, tuple[tuple[str | None, ...], int]] = {}
    last = None
    for t in doc.tables():
        layout, n = read_layout(t.rows)
        if layout is not None:
            last = layout.fields
            out[id(t)] = (layout.fields, n)
        elif last is not None and len(last) == t.n_cols:
            out[id(t)] = (last, 0)
    return out


def explain(path: str | Path, out_dir: str | Path, page: int | None = None,
            scale: float = SCALE) -> list[Path]:
    """Write the page images and `explain.txt` for the PDF at `path` into `out_dir`
    (only page `page`, 1-based, when given). Returns the files written."""
    import pypdfium2 as pdfium

    from extractor.reading.pipeline import extract_document
    from extractor.reading.readers.pdf import read_pdf

    path, out_dir = Path(path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = read_pdf(path)
    layouts = _layouts(doc)
    fields_of = _cell_fields(doc, layouts)
    report = extract_document(doc)
    pages = [page] if page else list(range(1, doc.pages + 1))
    written: list[Path] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for p in pages:
            if not 1 <= p <= len(pdf):
                raise ValueError(f"page {p} is not in the file ({len(pdf)} pages)")
            image = pdf[p - 1].render(scale=scale).to_pil().convert("RGB")
            _draw(image, doc, report, fields_of, p, scale)
            target = out_dir / f"page-{p:03d}.png"
            image.save(target)
            written.append(target)
    finally:
        pdf.close()
    text = out_dir / "explain.txt"
    text.write_text(describe(doc, report, fields_of, pages), "utf-8")
    written.append(text)
    return written


def _cell_fields(doc: Document, layouts) -> dict[int, tuple[str, bool]]:
    """Per cell (by id): (its column's field or "?", whether it is a header cell)."""
    out: dict[int, tuple[str, bool]] = {}
    for t in doc.tables():
        fields, n_head = layouts.get(id(t), ((), 0))
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row):
                field = (fields[c] if c < len(fields) else None) or "?"
                out[id(cell)] = (field, r < n_head)
    return out


def _box(b, scale: float) -> tuple[float, float, float, float]:
    return (b[0] * scale, b[1] * scale, b[2] * scale, b[3] * scale)


def _draw(image, doc: Document, report: Report, fields_of, page: int, scale: float) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image, "RGBA")
    for block in doc.blocks:
        if block.page != page:
            continue
        if isinstance(block, Line) and block.bbox:
            x0, _, x1, bottom = _box(block.bbox, scale)
            draw.line([(x0, bottom), (x1, bottom)], fill=(120, 120, 120, 90), width=1)
            continue
        if not isinstance(block, Table):
            continue
        for row in block.rows:
            for cell in row:
                if cell.spanned or not cell.bbox:
                    continue
                box = _box(cell.bbox, scale)
                field, header = fields_of.get(id(cell), ("?", False))
                if header:
                    draw.rectangle(box, fill=HEADER + (110,))
                    draw.text((box[0] + 2, box[1] + 1), field, fill=(0, 40, 140))
                draw.rectangle(box, outline=GRID, width=1)
    for k, m in enumerate(report.measures):
        colour = _COLOURS[k % len(_COLOURS)]
        for cb in m.cell_boxes:
            if cb.page != page:
                continue
            box = _box(cb.bbox, scale)
            draw.rectangle((box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2), outline=colour, width=3)
            draw.text((box[0] + 4, box[3] - 12), f"#{k + 1} {cb.field}", fill=colour)


def describe(doc: Document, report: Report, fields_of, pages: list[int]) -> str:
    """What the reader saw, as text: page sources, notes, lines, tables, measures."""
    out = [f"{doc.source_file}: {doc.pages} pages, OCR {'used' if doc.ocr_used else 'not used'}"]
    for ps in doc.page_sources:
        if ps.page in pages:
            out.append(f"page {ps.page}: {ps.method} ({ps.reason})")
    notes = [n for n in doc.notes if n.page is None or n.page in pages]
    if notes:
        out.append("\nnotes:")
        out += [f"  [{n.kind}] p{n.page}: {n.message}" for n in notes]
    for p in pages:
        out.append(f"\n=== page {p} ===")
        for t_no, block in enumerate(doc.blocks):
            if block.page != p:
                continue
            if isinstance(block, Line):
                out.append(f"line {block.line} {_fmt(block.bbox)}: {block.text}")
                continue
            out.append(f"table (block {t_no}, {len(block.rows)} rows × {block.n_cols} columns)")
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    if cell.spanned or not cell.text:
                        continue
                    field, header = fields_of.get(id(cell), ("?", False))
                    role = "header" if header else "cell"
                    out.append(f"  r{r} c{c} {role} [{field}] {_fmt(cell.bbox)}: {cell.text}")
    out.append(f"\nmeasures: {len(report.measures)}")
    for k, m in enumerate(report.measures, 1):
        out.append(f"#{k} page {m.page} {_fmt(m.bbox)} status={m.status} seq={m.seq}: {m.measure}")
        for cb in m.cell_boxes:
            out.append(f"    {cb.field} p{cb.page} {_fmt(cb.bbox)}")
    return "\n".join(out) + "\n"


def _fmt(b) -> str:
    return "(" + ", ".join(f"{v:.1f}" for v in b) + ")" if b else "()"

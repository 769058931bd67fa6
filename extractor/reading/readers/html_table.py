"""HTML `<table>` markup (as OCR models such as Typhoon OCR emit it) → a grid of cells.

Cells keep their inner markup (`<p>`, `<br>`, `<input type="checkbox" checked>`), which
the normalizers turn into text later. `rowspan`/`colspan` are expanded into a full grid:
the covered positions get a copy of the cell marked `spanned`, so a status group header
spans its sub-columns and an indicator cell spanning two rows reaches both rows.
"""
from __future__ import annotations

from html.parser import HTMLParser

from extractor.model import Cell

_VOID = {"br", "input", "img", "hr", "col", "meta"}


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name and value:
            try:
                return max(1, min(int(value.strip()), 1000))
            except ValueError:
                return 1
    return 1


class _TableParser(HTMLParser):
    def __init__(self, first_line: int, page: int):
        super().__init__(convert_charrefs=False)
        self.first_line = first_line
        self.page = page
        self.rows: list[list[Cell]] = []
        self.row: list[Cell] | None = None
        self.cell: Cell | None = None
        self.parts: list[str] = []
        self.depth = 0  # nested tables are flattened into their cell's text

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            if self.depth > 1 and self.cell is not None:
                self.parts.append(" ")
            return
        if self.depth > 1:
            return
        if tag == "tr":
            self._close_row()
            self.row = []
        elif tag in ("td", "th"):
            self._close_cell()
            if self.row is None:
                self.row = []
            self.cell = Cell("", self._line(), self.page, _span(attrs, "colspan"),
                             _span(attrs, "rowspan"), header=tag == "th")
            self.parts = []
        elif self.cell is not None:
            self.parts.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        if self.cell is not None:
            self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
            return
        if self.depth > 1:
            return
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif self.cell is not None and tag not in _VOID:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        if self.cell is not None:
            self.parts.append(data)

    def handle_entityref(self, name):
        if self.cell is not None:
            self.parts.append(f"&{name};")

    def handle_charref(self, name):
        if self.cell is not None:
            self.parts.append(f"&#{name};")

    def _close_cell(self):
        if self.cell is not None:
            self.cell.raw = "".join(self.parts).strip()
            if self.row is None:
                self.row = []
            self.row.append(self.cell)
            self.cell = None
            self.parts = []

    def _close_row(self):
        self._close_cell()
        if self.row:
            self.rows.append(self.row)
        self.row = None

    def close(self):
        super().close()
        self._close_row()


def expand_spans(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Place cells on a grid, copying row/col-spanning cells into what they cover.

    >>> a, b, c = Cell("A", 1, rowspan=2), Cell("B", 1, colspan=2), Cell("C", 2)
    >>> grid = expand_spans([[a, b], [c]])
    >>> [[x.raw for x in r] for r in grid]
    [['A', 'B', 'B'], ['A', 'C', '']]
    >>> [[x.spanned for x in r] for r in grid]
    [[False, False, True], [True, False, False]]
    """
    grid: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr == dc == 0:
                        grid[(r, c)] = cell
                    else:
                        grid[(r + dr, c + dc)] = Cell(cell.raw, cell.line, cell.page,
                                                      header=cell.header, spanned=True)
            c += cell.colspan
    if not grid:
        return []
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    out = []
    for r in range(n_rows):
        line = next((grid[(r, c)].line for c in range(n_cols) if (r, c) in grid), 0)
        out.append([grid.get((r, c)) or Cell("", line) for c in range(n_cols)])
    return out


def parse_html_table(markup: str, first_line: int, page: int = 1) -> list[list[Cell]]:
    """Parse one `<table>…</table>` string into an expanded grid of cells."""
    parser = _TableParser(first_line, page)
    parser.feed(markup)
    parser.close()
    return expand_spans(parser.rows)

"""Read OCR text reports (.txt/.md/.html) into a `Document` of lines and tables.

Three table syntaxes appear in OCR output, often mixed in one file: tab-separated rows,
markdown pipe tables (with `|---|` rules) and HTML `<table>` markup. A table ends at a
blank line or where the syntax changes; stitching tables broken across pages is the
table logic's job, not the reader's. Page breaks (form feeds, page-number lines) advance
the page counter and are dropped, as are header/footer lines repeated on many pages.
"""
from __future__ import annotations

import re
from pathlib import Path

from normalizers.text import strip_markup

from extractor.model import Cell, Document, Line, Table
from .encoding import decode_text
from .html_table import parse_html_table

_DIGIT = r"[0-9๐-๙]"
_PAGE_RE = re.compile(
    rf"^(?:(?:หน้า(?:ที่)?|page|p\.)\s*{_DIGIT}+(?:\s*(?:/|จาก|of)\s*{_DIGIT}+)?"
    rf"|{_DIGIT}{{1,4}}(?:\s*/\s*{_DIGIT}{{1,4}})?)$",
    re.IGNORECASE,
)
_RULE_RE = re.compile(r"^[-=_*~#\s]{3,}$")
_MD_RULE_CELL = re.compile(r"^:?-{1,}:?$")
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def is_page_break(line: str) -> bool:
    """A line that only marks a page: a page number, a rule, a page comment.

    >>> [is_page_break(s) for s in ["- 2 -", "หน้า ๓", "Page 4 of 9", "3/10", "-----", "<!-- page 2 -->"]]
    [True, True, True, True, True, True]
    >>> [is_page_break(s) for s in ["(ต่อ)", "๑. มาตรการ", "ปี 2566"]]
    [False, False, False]
    """
    s = line.strip()
    if not s:
        return False
    if _COMMENT_RE.match(s) or _RULE_RE.match(s):
        return True
    core = re.sub(r"^[-–—=_*\s]+|[-–—=_*\s]+$", "", s)
    return bool(core) and bool(_PAGE_RE.match(core))


def _md_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip().replace("\\|", "|") for c in _MD_SPLIT.split(s)]


def _is_md_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2


def _is_rule_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(_MD_RULE_CELL.match(c) for c in filled)


def parse_text(text: str, source_file: str = "<text>", fmt: str = "txt") -> Document:
    """Split OCR text into paragraph lines and tables, tracking line and page.

    >>> doc = parse_text("หัวเรื่อง\\n\\nก\\tข\\n1\\t2\\n\\n- 2 -\\n| x | y |\\n|---|---|\\n| 3 | 4 |\\n")
    >>> [type(b).__name__ for b in doc.blocks]
    ['Line', 'Table', 'Table']
    >>> [[c.raw for c in r] for r in doc.tables()[1].rows], doc.tables()[1].page
    ([['x', 'y'], ['3', '4']], 2)
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks: list[Line | Table] = []
    page = 1
    current: Table | None = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
            current = None  # a table never runs across a page break
        stripped = raw.strip()
        low = stripped.lower()
        if "<table" in low:
            current = None
            start = raw.lower().index("<table")
            if raw[:start].strip():
                blocks.append(Line(raw[:start].strip(), lineno, page))
            chunk = [raw[start:]]
            j = i
            while "</table>" not in "\n".join(chunk).lower() and j + 1 < len(lines):
                j += 1
                chunk.append(lines[j])
            markup = "\n".join(chunk)
            end = markup.lower().rfind("</table>")
            tail = markup[end + len("</table>"):] if end >= 0 else ""
            rows = parse_html_table(markup[: end + 8] if end >= 0 else markup, lineno, page)
            if rows:
                blocks.append(Table(rows, lineno, page, "html"))
            if tail.strip():
                lines[j] = tail
                i = j
                continue
            i = j + 1
            continue
        if not stripped:
            current = None
            i += 1
            continue
        if _is_md_row(raw):
            cells = _md_cells(raw)
            if _is_rule_row(cells):
                if current is not None and current.syntax == "markdown" and current.rows:
                    for c in current.rows[-1]:
                        c.header = True
                i += 1
                continue
            if current is None or current.syntax != "markdown":
                current = Table([], lineno, page, "markdown")
                blocks.append(current)
            current.rows.append([Cell(c, lineno, page) for c in cells])
            i += 1
            continue
        if "\t" in raw:
            cells = raw.split("\t")
            if _is_rule_row(cells):
                i += 1
                continue
            if current is None or current.syntax != "tsv":
                current = Table([], lineno, page, "tsv")
                blocks.append(current)
            current.rows.append([Cell(c.strip(), lineno, page) for c in cells])
            i += 1
            continue
        current = None
        # OCR models wrap paragraphs in markup ("<p>- ๓ -</p>"): a page number or an
        # empty paragraph is still one
        plain = strip_markup(stripped) if "<" in stripped else stripped
        if is_page_break(stripped) or is_page_break(plain):
            page += 1
            i += 1
            continue
        if not plain:
            i += 1
            continue
        blocks.append(Line(stripped.lstrip("#").strip(), lineno, page))
        i += 1
    blocks = _drop_running_headers(blocks)
    return Document(source_file, fmt, blocks, pages=page)


def _edges(blocks: list[Line | Table]) -> set[int]:
    """Indexes of the blocks where running headers and footers sit: the first two and
    last two of each page, and lines right above or below a table."""
    by_page: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        by_page.setdefault(b.page, []).append(i)
    out = {i for idx in by_page.values() for i in idx[:2] + idx[-2:]}
    for i, b in enumerate(blocks):
        if isinstance(b, Table):
            out.update((i - 1, i + 1))
    return out


def _drop_running_headers(blocks: list[Line | Table]) -> list[Line | Table]:
    """Drop short lines printed at the top or bottom of three or more pages (headers and
    footers), or, in text with fewer pages marked, three times next to a table, keeping
    the first copy when it comes before the first table. A line repeated inside the text (the status line of each labelled measure)
    is text, and stays."""
    from ..headers import SECTION_RE

    edges = _edges(blocks)
    many_pages = len({b.page for b in blocks}) >= 3
    seen_at: dict[str, list[int]] = {}
    for i, b in enumerate(blocks):
        if isinstance(b, Line) and len(b.raw) < 120 and i in edges:
            seen_at.setdefault(b.raw, []).append(b.page)
    running = {raw for raw, pages in seen_at.items()
               if len(set(pages) if many_pages else pages) >= 3 and not SECTION_RE.search(raw)}
    # One copy is kept where it can name the report (above its first table); copies
    # among the tables are page furniture that would read as stray cell text.
    first_table = next((i for i, b in enumerate(blocks) if isinstance(b, Table)), len(blocks))
    seen: set[str] = set()
    out: list[Line | Table] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Line) and i in edges and b.raw in running:
            if b.raw in seen or i > first_table:
                continue
            seen.add(b.raw)
        out.append(b)
    return out


def read_text(path: str | Path) -> Document:
    """Read a text report file: decode (UTF-8 with/without BOM, TIS-620) and parse."""
    path = Path(path)
    text, encoding = decode_text(path.read_bytes())
    suffix = path.suffix.lower().lstrip(".")
    fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix or "txt")
    doc = parse_text(text, path.name, fmt)
    doc.encoding = encoding
    return doc
